package io.hotpot.chat.service;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.hotpot.chat.config.ChatConfig;
import io.hotpot.common.ChatProtocol;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.quarkus.websockets.next.HandshakeRequest;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Checks a token issued by api-service ({@code POST /api/tokens}): signature against
 * {@code mp.jwt.verify.publickey}, issuer {@code mp.jwt.verify.issuer}, expiry. A token names
 * its user, carries its roles ({@code groups}: {@code chat} to join rooms, {@code read} to watch
 * tasks, {@code admin} for both) and may list the rooms it allows (claim {@code rooms}).
 */
@ApplicationScoped
public class TokenVerifier {
    /** Claim listing the rooms a token allows; absent means any unrestricted room. */
    public static final String ROOMS_CLAIM = "rooms";

    private final JWTParser parser;
    private final Set<String> anonymousRoles;

    public TokenVerifier(JWTParser parser, ChatConfig config) {
        this.parser = parser;
        this.anonymousRoles = Set.copyOf(config.chat().anonymousRoles());
    }

    /** Who a valid token names, which rooms it allows and which roles it carries. */
    public record Caller(String user, Optional<Set<String>> rooms, Set<String> roles) {
        /** Whether the caller may act as {@code role}; {@code admin} may act as anyone. */
        public boolean may(String role) {
            return roles.contains(role) || roles.contains(ChatProtocol.ROLE_ADMIN);
        }
    }

    /**
     * Who opened a WebSocket: from a {@code hotpot.bearer.<token>} subprotocol, an
     * {@code Authorization: Bearer} header or {@code ?token=} (the fallback that puts the token in
     * URLs and so in access logs), or an anonymous user with {@code hotpot.chat.anonymous-roles}
     * when there is no token and {@code anonymousAllowed}; empty with a reason (an error code) otherwise.
     */
    public Identified identify(HandshakeRequest request, boolean anonymousAllowed) {
        String token = tokenOf(request);
        if (token != null) {
            return verify(token).map(caller -> new Identified(caller, null)).orElse(new Identified(null, "invalid_token"));
        }
        if (anonymousAllowed) {
            return new Identified(new Caller("anonymous-" + UUID.randomUUID().toString().substring(0, 8),
                    Optional.empty(), anonymousRoles), null);
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
            Set<String> groups = jwt.getGroups() == null ? Set.of() : Set.copyOf(jwt.getGroups());
            return Optional.of(new Caller(user, rooms(jwt.getClaim(ROOMS_CLAIM)), groups));
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String tokenOf(HandshakeRequest request) {
        for (String offered : offeredSubprotocols(request)) {
            if (offered.startsWith(ChatProtocol.BEARER_SUBPROTOCOL_PREFIX)) {
                return offered.substring(ChatProtocol.BEARER_SUBPROTOCOL_PREFIX.length());
            }
        }
        String header = request.header("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return header.substring(7).trim();
        }
        List<String> tokens = new QueryStringDecoder("?" + Optional.ofNullable(request.query()).orElse(""))
                .parameters().get("token");
        return tokens == null || tokens.isEmpty() ? null : tokens.get(0);
    }

    /** The subprotocols a client offered ({@code Sec-WebSocket-Protocol}, comma-separated, maybe in several headers). */
    static List<String> offeredSubprotocols(HandshakeRequest request) {
        List<String> offered = new ArrayList<>();
        List<String> headers = request.headers(HandshakeRequest.SEC_WEBSOCKET_PROTOCOL);
        if (headers != null) {
            for (String header : headers) {
                for (String part : header.split(",")) {
                    if (!part.isBlank()) {
                        offered.add(part.trim());
                    }
                }
            }
        }
        return offered;
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
