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

    /**
     * Who opened a WebSocket: from {@code ?token=} or {@code Authorization: Bearer}, or an
     * anonymous user when there is no token and {@code anonymousAllowed}; empty with a reason
     * (an error code) otherwise.
     */
    public Identified identify(io.quarkus.websockets.next.HandshakeRequest request, boolean anonymousAllowed) {
        java.util.List<String> tokens = new io.netty.handler.codec.http.QueryStringDecoder(
                "?" + Optional.ofNullable(request.query()).orElse("")).parameters().get("token");
        String token = tokens == null || tokens.isEmpty() ? null : tokens.get(0);
        String header = request.header("Authorization");
        if (token == null && header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = header.substring(7).trim();
        }
        if (token != null) {
            return verify(token).map(caller -> new Identified(caller, null)).orElse(new Identified(null, "invalid_token"));
        }
        if (anonymousAllowed) {
            return new Identified(new Caller("anonymous-" + java.util.UUID.randomUUID().toString().substring(0, 8),
                    Optional.empty()), null);
        }
        return new Identified(null, "token_required");
    }

    /** A caller, or the error code saying why there is none. */
    public record Identified(Caller caller, String error) {
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
