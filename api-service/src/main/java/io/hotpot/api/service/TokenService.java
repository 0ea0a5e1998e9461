package io.hotpot.api.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.hotpot.api.config.ApiConfig;
import io.hotpot.api.security.ApiKeys;
import io.hotpot.api.security.Authenticator;
import io.hotpot.api.security.Caller;
import io.hotpot.api.security.Refused;
import io.hotpot.api.security.Role;
import io.hotpot.common.ChatProtocol;
import io.smallrye.jwt.build.Jwt;

/**
 * Issues tokens in exchange for an API key: a JWT signed with {@code smallrye.jwt.sign.key},
 * naming the user ({@code upn}; the key's name unless the key holder names one, as a backend does
 * for its own users), carrying the roles the request names ({@code groups}; never one the key does
 * not hold; {@code chat} alone when it names none) and, when asked, the only chat rooms it may join
 * (claim {@code rooms}). {@code admin} is never a default: it must be named, and the key must hold
 * it. With authentication off (a local run), a token can be had without a key by naming a user.
 */
@ApplicationScoped
public class TokenService {
    /** User names: letters, digits, {@code _ . @ -}, 1 to 64 characters. */
    static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");
    /** What a token carries when its request names no roles: chat, and nothing on the REST API. */
    static final List<Role> DEFAULT_ROLES = List.of(Role.CHAT);

    private final ApiConfig.Tokens config;
    private final Authenticator authenticator;
    private final ApiKeys keys;

    public TokenService(ApiConfig config, Authenticator authenticator, ApiKeys keys) {
        this.config = config.tokens();
        this.authenticator = authenticator;
        this.keys = keys;
    }

    /**
     * What {@code POST /api/tokens} accepts: the API key, and optionally a user name, rooms and the
     * roles the token should carry ({@code chat}, {@code read}, {@code submit}, {@code admin};
     * {@code ["chat"]} when absent).
     */
    public record TokenRequest(String key, String user, List<String> rooms, List<String> roles) {
    }

    /** What it answers. */
    public record IssuedToken(String token, String user, List<String> roles, List<String> rooms, Instant expiresAt) {
    }

    public IssuedToken issue(TokenRequest request) {
        Caller caller = null;
        if (request != null && request.key() != null && !request.key().isBlank()) {
            caller = keys.find(request.key())
                    .orElseThrow(() -> Refused.unauthorized("That API key is not valid; no token was issued.", "invalid_token"));
        } else if (authenticator.enabled()) {
            throw Refused.unauthorized("A token is issued in exchange for an API key: send {\"key\":\"…\"}.", null);
        }
        String user = request == null ? null : request.user();
        if (user == null && caller != null) {
            user = caller.id().substring(caller.id().indexOf(':') + 1);
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        if (user == null || !USER_NAME.matcher(user).matches()) {
            errors.add(new Problem.FieldError("user", caller == null
                    ? "required without a key: 1 to 64 letters, digits, '_', '.', '@' or '-'"
                    : "1 to 64 letters, digits, '_', '.', '@' or '-'"));
        }
        List<String> rooms = request == null || request.rooms() == null ? null : request.rooms();
        if (rooms != null) {
            for (int i = 0; i < rooms.size(); i++) {
                if (rooms.get(i) == null || !ChatProtocol.ROOM_NAME.matcher(rooms.get(i)).matches()) {
                    errors.add(new Problem.FieldError("rooms[" + i + "]", "room names are 1 to 64 letters, digits, '_', '-' or '.'"));
                }
            }
        }
        Set<Role> wanted = requestedRoles(request == null ? null : request.roles(), errors);
        if (!errors.isEmpty()) {
            throw Problem.unprocessable("The token request is invalid.", errors);
        }
        // A key grants at most what it holds; with authentication off there is no key and nothing to exceed.
        if (caller != null) {
            Caller holder = caller;
            List<String> missing = wanted.stream().filter(role -> !holder.may(role)).map(Role::id).sorted().toList();
            if (!missing.isEmpty()) {
                throw Refused.forbidden("This API key does not hold " + String.join(", ", missing)
                        + "; a token carries at most the roles of the key it was issued for. Ask for fewer roles "
                        + "(\"roles\":[…]), or use a key that holds them.");
            }
        }
        List<String> roles = wanted.stream().map(Role::id).sorted().toList();
        Instant expiresAt = Instant.now().plus(config.ttl());
        var builder = Jwt.issuer(config.issuer()).upn(user).subject(user).groups(new java.util.HashSet<>(roles))
                .issuedAt(Instant.now()).expiresAt(expiresAt);
        if (rooms != null) {
            builder.claim("rooms", rooms);
        }
        return new IssuedToken(builder.sign(), user, roles, rooms, expiresAt);
    }

    /** The roles a request names, or {@link #DEFAULT_ROLES}; unknown names and an empty list are field errors. */
    private static Set<Role> requestedRoles(List<String> names, List<Problem.FieldError> errors) {
        if (names == null) {
            return EnumSet.copyOf(DEFAULT_ROLES);
        }
        if (names.isEmpty()) {
            errors.add(new Problem.FieldError("roles", "name at least one role (chat, read, submit, admin), or leave "
                    + "the field out for a chat token"));
            return EnumSet.noneOf(Role.class);
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (int i = 0; i < names.size(); i++) {
            Optional<Role> role = names.get(i) == null ? Optional.empty() : Role.of(names.get(i));
            if (role.isEmpty()) {
                errors.add(new Problem.FieldError("roles[" + i + "]", "roles are chat, read, submit and admin"));
            } else {
                roles.add(role.get());
            }
        }
        return roles;
    }
}
