package io.hotpot.chat.service;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Checks a token issued by api-service ({@code POST /api/tokens}): signature against
 * {@code mp.jwt.verify.publickey}, issuer {@code mp.jwt.verify.issuer}, expiry. A token names
 * its user and may list the rooms it allows (claim {@code rooms}).
 */
@ApplicationScoped
public class TokenVerifier {
    /** Claim listing the rooms a token allows; absent means any unrestricted room. */
    public static final String ROOMS_CLAIM = "rooms";

    private final JWTParser parser;

    public TokenVerifier(JWTParser parser) {
        this.parser = parser;
    }

    /** Who a valid token names and which rooms it allows. */
    public record Caller(String user, Optional<Set<String>> rooms) {
    }

    /** The caller, or empty when the token is invalid, expired or signed by someone else. */
    public Optional<Caller> verify(String token) {
        try {
            JsonWebToken jwt = parser.parse(token);
            String user = jwt.getName();
            if (user == null || user.isBlank()) {
                return Optional.empty();
            }
            return Optional.of(new Caller(user, rooms(jwt.getClaim(ROOMS_CLAIM))));
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<Set<String>> rooms(Object claim) {
        if (claim == null) {
            return Optional.empty();
        }
        Set<String> rooms = new LinkedHashSet<>();
        if (claim instanceof JsonArray array) {
            for (JsonValue value : array) {
                if (value instanceof JsonString text) {
                    rooms.add(text.getString());
                }
            }
        } else if (claim instanceof Collection<?> values) {
            values.forEach(v -> rooms.add(String.valueOf(v)));
        } else {
            rooms.add(String.valueOf(claim));
        }
        return Optional.of(rooms);
    }
}
