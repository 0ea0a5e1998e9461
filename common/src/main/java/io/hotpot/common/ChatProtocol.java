package io.hotpot.common;

import java.util.regex.Pattern;

/**
 * The chat WebSocket protocol's fixed parts: room names, frame types and close codes. A frame
 * from the server is a JSON object with a {@code type}; chat messages also carry
 * {@code message}, so a page written for the Django Channels tutorial works unchanged.
 */
public final class ChatProtocol {
    /** Room names: letters, digits, {@code _ - .}, 1 to 64 characters. */
    public static final Pattern ROOM_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /** A chat message ({@link ChatMessage} fields). */
    public static final String TYPE_MESSAGE = "message";
    /** After the history or the recovered messages: {@code count}, {@code lastId}, {@code recovered}. */
    public static final String TYPE_HISTORY = "history";
    /**
     * A member joined or left ({@link ChatPresence} fields, {@code event} {@code join} or
     * {@code leave}); in a room above {@code hotpot.chat.presence-live-up-to} members, once per
     * {@code hotpot.chat.presence-interval} instead, with {@code event} {@link #PRESENCE_SUMMARY}
     * and the users who {@code joined} and {@code left} meanwhile.
     */
    public static final String TYPE_PRESENCE = "presence";
    /** The {@code event} of a presence frame that sums up an interval's joins and leaves of a big room. */
    public static final String PRESENCE_SUMMARY = "summary";
    /** A refused frame or connection: {@code code} (stable, machine-readable) and {@code error} (for people). */
    public static final String TYPE_ERROR = "error";
    /** The replica is shutting down: reconnect with {@code lastId} (the last message id sent to this client). */
    public static final String TYPE_RECONNECT = "reconnect";
    /** First frame of {@code /ws/tasks/{id}}: the task's current record under {@code record} (as {@code GET /api/tasks/{id}} fields). */
    public static final String TYPE_TASK_RECORD = "task-record";
    /** A {@link TaskEvent} under {@code event} (with {@code progress} when a handler reported some). */
    public static final String TYPE_TASK_EVENT = "task-event";
    /**
     * A {@link GroupEvent} under {@code event}: on {@code /ws/tasks} without {@code type} or
     * {@code status}, and with {@code ?group=} only that group's.
     */
    public static final String TYPE_GROUP_EVENT = "group-event";
    /** First frame of {@code /ws/tasks}: subscribed; events follow. */
    public static final String TYPE_TASK_SUBSCRIBED = "task-subscribed";

    /**
     * The WebSocket subprotocol of Hotpot's extended frames (history markers, presence, errors,
     * ids and users on messages). A client that offers it, or asks with {@link #EXTENDED_QUERY},
     * gets them; any other client gets only {@code {"message": …}} frames, as from Django Channels.
     */
    public static final String SUBPROTOCOL = "hotpot.v1";
    /** Query parameter asking for the extended frames without a subprotocol: {@code ?protocol=hotpot.v1}. */
    public static final String EXTENDED_QUERY = "protocol";
    /**
     * Prefix of a second offered subprotocol that carries the token ({@code hotpot.bearer.<jwt>}),
     * so a browser keeps it out of the URL; offered beside {@link #SUBPROTOCOL}, which the server
     * selects (the token is never echoed).
     */
    public static final String BEARER_SUBPROTOCOL_PREFIX = "hotpot.bearer.";

    /** Token role ({@code groups} claim) needed to join chat rooms. */
    public static final String ROLE_CHAT = "chat";
    /** Token role needed to watch tasks ({@code /ws/tasks}). */
    public static final String ROLE_READ = "read";
    /** Token role that may do everything. */
    public static final String ROLE_ADMIN = "admin";

    /** Close code: bad or expired token, forbidden room, bad room name or origin (RFC 6455 policy violation). */
    public static final int CLOSE_POLICY = 1008;
    /** Close code: a frame far beyond the message size limit (RFC 6455 message too big). */
    public static final int CLOSE_TOO_BIG = 1009;
    /** Close code: the replica is going away (draining); reconnect with the last id. */
    public static final int CLOSE_GOING_AWAY = 1001;
    /** Close code: this replica has reached its connection limit; try again (RFC 6455 try again later). */
    public static final int CLOSE_TRY_AGAIN = 1013;
    /** Close code: the client read too slowly and its send queue passed the bound. */
    public static final int CLOSE_SLOW_CONSUMER = 4008;
    /** Close code: nothing heard from the client (not even a pong) for the idle timeout. */
    public static final int CLOSE_IDLE = 4000;

    private ChatProtocol() {
    }
}
