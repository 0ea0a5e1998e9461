package io.hotpot.api.security;

import java.util.EnumSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import io.hotpot.api.config.ApiConfig;
import io.quarkus.runtime.Startup;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Turns an {@code Authorization} header into a {@link Caller}. A bearer credential with the shape
 * of a JWT (three dot-separated parts) is verified as a token issued by {@code /api/tokens}
 * ({@code mp.jwt.verify.publickey}, {@code mp.jwt.verify.issuer}, expiry; roles from
 * {@code groups}); anything else is looked up as an API key. Neither is ever logged.
 */
@Startup // so bad key entries stop the start, and the warning of auth off comes at once
@ApplicationScoped
public class Authenticator {
    private static final Logger LOG = Logger.getLogger(Authenticator.class);
    private static final String BEARER = "Bearer ";

    private final boolean enabled;
    private final ApiKeys keys;
    private final JWTParser tokens;

    public Authenticator(ApiConfig config, ApiKeys keys, JWTParser tokens) {
        this.enabled = config.auth().enabled();
        this.keys = keys;
        this.tokens = tokens;
        if (!enabled) {
            LOG.warn("HOTPOT-API-101 AUTHENTICATION IS OFF (hotpot.auth.enabled=false): every caller may submit, "
                    + "revoke and change schedules. Only for a local run on loopback.");
        }
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * The caller behind a request: anonymous without a credential, every role when authentication is off.
     *
     * @throws Refused 401 when a credential is sent and is not valid
     */
    public Caller authenticate(String authorization, String address) {
        if (!enabled) {
            return new Caller("addr:" + address, Role.ALL);
        }
        if (authorization == null || authorization.isBlank()) {
            return Caller.anonymous(address);
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw Refused.unauthorized("Send the API key or token as 'Authorization: Bearer <key or token>'.",
                    "invalid_request");
        }
        String credential = authorization.substring(BEARER.length()).trim();
        return isJwt(credential) ? verifyToken(credential, address) : verifyKey(credential, address);
    }

    private Caller verifyToken(String token, String address) {
        try {
            JsonWebToken jwt = tokens.parse(token);
            Set<Role> roles = EnumSet.noneOf(Role.class);
            jwt.getGroups().forEach(group -> Role.of(group).ifPresent(roles::add));
            String subject = jwt.getSubject() != null ? jwt.getSubject() : jwt.getName();
            return new Caller("token:" + subject, roles);
        } catch (ParseException e) {
            // The reason only: jose4j's messages quote the claims, and nothing of a credential is logged.
            LOG.infof("HOTPOT-API-102 refused a token from %s (%s)", address, rootCause(e));
            throw Refused.unauthorized("The token is not valid: it expired, or this Hotpot did not issue it. "
                    + "Get a new one from POST /api/tokens.", "invalid_token");
        }
    }

    private Caller verifyKey(String key, String address) {
        return keys.find(key).orElseThrow(() -> {
            LOG.infof("HOTPOT-API-103 refused an unknown API key from %s", address);
            return Refused.unauthorized("The API key is not valid (unknown, or rotated out).", "invalid_token");
        });
    }

    private static boolean isJwt(String credential) {
        return credential.chars().filter(c -> c == '.').count() == 2;
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName();
    }
}
