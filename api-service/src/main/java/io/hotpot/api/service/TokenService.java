package io.hotpot.api.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.hotpot.api.config.ApiConfig;
import io.hotpot.common.ChatProtocol;
import io.smallrye.jwt.build.Jwt;

/**
 * Issues chat tokens: a JWT signed with {@code smallrye.jwt.sign.key}, naming the user
 * ({@code upn}) and, when asked, the only rooms it may join (claim {@code rooms}).
 */
@ApplicationScoped
public class TokenService {
    /** User names: letters, digits, {@code _ . @ -}, 1 to 64 characters. */
    static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");

    private final ApiConfig.Tokens config;

    public TokenService(ApiConfig config) {
        this.config = config.tokens();
    }

    /** What {@code POST /api/tokens} accepts. */
    public record TokenRequest(String user, List<String> rooms) {
    }

    /** What it answers. */
    public record IssuedToken(String token, String user, List<String> rooms, Instant expiresAt) {
    }

    public IssuedToken issue(TokenRequest request) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (request == null || request.user() == null || !USER_NAME.matcher(request.user()).matches()) {
            errors.add(new Problem.FieldError("user", "required: 1 to 64 letters, digits, '_', '.', '@' or '-'"));
        }
        List<String> rooms = request == null || request.rooms() == null ? null : request.rooms();
        if (rooms != null) {
            for (int i = 0; i < rooms.size(); i++) {
                if (rooms.get(i) == null || !ChatProtocol.ROOM_NAME.matcher(rooms.get(i)).matches()) {
                    errors.add(new Problem.FieldError("rooms[" + i + "]", "room names are 1 to 64 letters, digits, '_', '-' or '.'"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw Problem.unprocessable("The token request is invalid.", errors);
        }
        Instant expiresAt = Instant.now().plus(config.ttl());
        var builder = Jwt.issuer(config.issuer()).upn(request.user()).subject(request.user())
                .issuedAt(Instant.now()).expiresAt(expiresAt);
        if (rooms != null) {
            builder.claim("rooms", rooms);
        }
        return new IssuedToken(builder.sign(), request.user(), rooms, expiresAt);
    }
}
