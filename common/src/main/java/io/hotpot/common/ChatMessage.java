package io.hotpot.common;

import java.time.Instant;

/**
 * One chat message as stored in its room's stream ({@link RedisKeys#chatRoom}) and as sent to
 * clients (with {@code "type":"message"}) and by {@code GET /api/rooms/{room}/messages}.
 *
 * @param id      the stream entry id, for example {@code 1764168000000-0}; ordered within a room
 * @param room    the room
 * @param user    who sent it ({@code anonymous-…} when anonymous users are allowed)
 * @param message the text, as the client sent it
 * @param ts      when chat-service accepted it
 */
public record ChatMessage(String id, String room, String user, String message, Instant ts) {
    /** Stream field holding the sender. */
    public static final String FIELD_USER = "user";
    /** Stream field holding the text. */
    public static final String FIELD_MESSAGE = "message";
    /** Stream field holding the accept time, epoch millis. */
    public static final String FIELD_TS = "ts";
}
