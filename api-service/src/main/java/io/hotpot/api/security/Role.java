package io.hotpot.api.security;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a credential may do. The name is what API keys list and what tokens carry in their
 * {@code groups} claim. {@link #ADMIN} may do everything.
 */
public enum Role {
    /**
     * Join chat rooms (chat-service). Grants nothing on the REST API; it is what a token carries
     * when its request names no roles (docs/decisions/0050-credentials-and-tokens.md).
     */
    CHAT,
    /** Submit tasks ({@code POST /api/tasks}). */
    SUBMIT,
    /** Read tasks, workers, queues, rooms and their messages, schedules. */
    READ,
    /** Revoke tasks, dead letters, schedule changes, and everything the other roles may. */
    ADMIN;

    /** Every role, as one immutable set (what a caller has when authentication is off). */
    public static final Set<Role> ALL = Set.of(values());

    /** The name in keys and tokens: {@code chat}, {@code submit}, {@code read}, {@code admin}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> of(String id) {
        return Arrays.stream(values()).filter(role -> role.id().equals(id)).findFirst();
    }
}
