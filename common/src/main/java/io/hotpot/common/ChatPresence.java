package io.hotpot.common;

import java.time.Instant;

/**
 * A member joined or left a room; published on {@link RedisKeys#CHAT_PRESENCE_CHANNEL} and sent
 * to the room's members with {@code "type":"presence"}.
 *
 * @param room  the room
 * @param event {@code join} or {@code leave}
 * @param user  the member's user name
 * @param at    when it happened
 */
public record ChatPresence(String room, String event, String user, Instant at) {
    public static final String JOIN = "join";
    public static final String LEAVE = "leave";
}
