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

    /**
     * Appends a message to its room's stream (history capped at about a number of entries) and
     * starts the room's time to live again (an idle room goes away with its history,
     * docs/decisions/0010), in one script: a room never holds a message without its expiry,
     * whatever stops in between. Returns the entry's id. KEYS[1] the room's stream
     * ({@link RedisKeys#chatRoom}); ARGV[1] the cap, ARGV[2] the time to live in ms, ARGV[3] the
     * user, ARGV[4] the text, ARGV[5] the accept time in epoch ms.
     */
    public static final String APPEND = """
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', '%s', ARGV[3], '%s', ARGV[4], '%s', ARGV[5])
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return id
            """.formatted(FIELD_USER, FIELD_MESSAGE, FIELD_TS);

    /**
     * The arguments of the {@code EVAL} that runs {@link #APPEND} for a message of {@code user} in
     * {@code room}, accepted at {@code atMillis}: the script, its one key, then its ARGV in order.
     */
    public static String[] append(String room, int cap, long ttlMillis, String user, String text, long atMillis) {
        return new String[] { APPEND, "1", RedisKeys.chatRoom(room), Integer.toString(cap), Long.toString(ttlMillis), user,
                text, Long.toString(atMillis) };
    }
}
