package io.hotpot.api.security;

import java.util.Set;

/**
 * Who made a request, once their credential was checked.
 *
 * @param id    the credential, safe to log and to key rate limits by: {@code key:<name>},
 *              {@code token:<subject>}, or {@code addr:<client address>} for an anonymous caller;
 *              never the key or token itself
 * @param roles what it may do; empty for an anonymous caller
 */
public record Caller(String id, Set<Role> roles) {
    public Caller {
        roles = Set.copyOf(roles);
    }

    public static Caller anonymous(String address) {
        return new Caller("addr:" + address, Set.of());
    }

    public boolean anonymous() {
        return id.startsWith("addr:");
    }

    /** Whether the caller may act as {@code role}; admin may act as anyone. */
    public boolean may(Role role) {
        return roles.contains(role) || roles.contains(Role.ADMIN);
    }
}
