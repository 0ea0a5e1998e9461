package io.hotpot.api.security;

import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;

/** Tokens as /api/tokens will issue them, signed with the test key pair under src/test/resources/test-keys. */
final class TestTokens {
    private TestTokens() {
    }

    static String token(String subject, String... groups) {
        return Jwt.issuer("hotpot").subject(subject).groups(Set.of(groups)).expiresIn(300).sign(testKey());
    }

    static String expired(String subject, String... groups) {
        return Jwt.issuer("hotpot").subject(subject).groups(Set.of(groups))
                .issuedAt(Instant.now().minusSeconds(600)).expiresAt(Instant.now().minusSeconds(300)).sign(testKey());
    }

    static String otherIssuer(String subject, String... groups) {
        return Jwt.issuer("not-hotpot").subject(subject).groups(Set.of(groups)).expiresIn(300).sign(testKey());
    }

    /** Right claims, signed with a key this Hotpot does not know. */
    static String foreignKey(String subject, String... groups) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return Jwt.issuer("hotpot").subject(subject).groups(Set.of(groups)).expiresIn(300)
                    .sign(generator.generateKeyPair().getPrivate());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateKey testKey() {
        try {
            return KeyUtils.readPrivateKey("test-keys/privateKey.pem");
        } catch (Exception e) {
            throw new IllegalStateException("the test key pair is missing from src/test/resources/test-keys", e);
        }
    }
}
