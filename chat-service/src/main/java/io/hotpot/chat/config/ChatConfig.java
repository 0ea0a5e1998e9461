package io.hotpot.chat.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** chat-service's own settings, under {@code hotpot.}. */
@ConfigMapping(prefix = "hotpot")
public interface ChatConfig {

    /** Chat rooms: who may join, what they may send, how much is kept. */
    Chat chat();

    interface Chat {
        /** Let clients without a token in, as {@code anonymous-…}; off unless configured (on in dev and test). */
        @WithDefault("false")
        boolean allowAnonymous();

        /**
         * Roles of a client let in without a token ({@link #allowAnonymous()}): {@code chat} joins
         * rooms, {@code read} also watches every task on {@code /ws/tasks} (a local run only).
         */
        @WithDefault("chat")
        List<String> anonymousRoles();

        /**
         * How long a room's stream (its history) and member set live after the room was last used
         * (a message sent, or a member connected at a presence refresh); then Redis deletes them.
         */
        @WithDefault("30d")
        Duration roomTtl();

        /**
         * Browser origins allowed to open a WebSocket (for example {@code https://hotpot.example.com}).
         * A request without {@code Origin} (not a browser) is let through to the token check; one whose
         * origin is neither listed nor the same as its {@code Host} is refused with 403.
         */
        Optional<List<String>> allowedOrigins();

        /**
         * Rooms only tokens carrying them (claim {@code rooms}) may join; an entry ending in {@code *}
         * is a prefix. A token with a {@code rooms} claim may join only those rooms in any case.
         */
        Optional<List<String>> restrictedRooms();

        /** Messages sent to a member when it joins. */
        @WithDefault("50")
        int historySize();

        /** Messages kept per room (the stream's cap); recovery and the REST API read at most this many. */
        @WithDefault("1000")
        int historyCap();

        /** Largest accepted {@code message}, in UTF-8 bytes; larger ones get an error frame. */
        @WithDefault("4096")
        int maxMessageBytes();

        /** Messages per second a connection may send on average. */
        @WithDefault("10")
        double ratePerSecond();

        /** Messages a connection may send at once before the rate applies. */
        @WithDefault("20")
        int rateBurst();

        /** Open WebSocket connections this replica accepts; more are closed with 1013. */
        @WithDefault("10000")
        int maxConnections();

        /** Frames queued to one client and not yet written; past this the client is closed with 4008. */
        @WithDefault("1000")
        int sendQueueLimit();

        /** A connection from which nothing (not even a pong) arrived for this long is closed with 4000. */
        @WithDefault("60s")
        Duration idleTimeout();

        /** How long a membership stays listed unless its replica refreshes it (a dead replica's members vanish). */
        @WithDefault("30s")
        Duration presenceTtl();

        /** How often a replica refreshes its members' presence and checks for idle connections. */
        @WithDefault("10s")
        Duration presenceRefresh();

        /**
         * Rooms with up to this many members on a replica get a presence frame per join and leave;
         * above it, one summary per {@link #presenceInterval()}, so a filling room does not cost
         * members × joins frames. The member list is always at {@code GET /api/rooms}.
         */
        @WithDefault("100")
        int presenceLiveUpTo();

        /** How often a big room's members get the summary of its joins and leaves. */
        @WithDefault("1s")
        Duration presenceInterval();

        /** How long one read of the room streams waits for news; bounds how soon a new room goes live. */
        @WithDefault("250ms")
        Duration relayBlock();

        /** On shutdown, how long to wait for the reconnect frames and closes to be written. */
        @WithDefault("3s")
        Duration drainTimeout();
    }
}
