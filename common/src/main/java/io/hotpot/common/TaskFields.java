package io.hotpot.common;

/**
 * Field names of the task record, a Redis hash at {@link RedisKeys#task(String)}.
 * JSON-valued fields ({@link #ARGS}, {@link #RESULT}, {@link #ERROR}) hold JSON text;
 * times are ISO-8601 instants.
 */
public final class TaskFields {
    public static final String ID = "id";
    public static final String TYPE = "type";
    public static final String STATUS = "status";
    public static final String ARGS = "args";
    public static final String RESULT = "result";
    public static final String ERROR = "error";
    public static final String ATTEMPTS = "attempts";
    public static final String QUEUE = "queue";
    public static final String PRIORITY = "priority";
    public static final String CREATED_AT = "createdAt";
    public static final String STARTED_AT = "startedAt";
    public static final String FINISHED_AT = "finishedAt";
    public static final String WORKER = "worker";
    public static final String CORRELATION_ID = "correlationId";
    /** The handler's latest {@link TaskProgress}, as JSON; also carried by progress events. */
    public static final String PROGRESS = "progress";
    /** While {@code RETRY}: when the next attempt is due. */
    public static final String NEXT_ATTEMPT_AT = "nextAttemptAt";
    /** Retries made so far (attempts also count redeliveries after a crash; this does not). */
    public static final String RETRIES = "retries";
    /** Retries allowed, when the submission set it. */
    public static final String MAX_RETRIES = "maxRetries";
    /** Time limit of one attempt in seconds, when the submission set it. */
    public static final String TIMEOUT = "timeout";
    /** When an unstarted task is revoked instead of run. */
    public static final String EXPIRES = "expires";
    /** When a delayed task is due. */
    public static final String ETA = "eta";
    /** The first submission's idempotency key, if it had one. */
    public static final String IDEMPOTENCY_KEY = "idempotencyKey";
    /** The group the task belongs to, when it was submitted in one. */
    public static final String GROUP = "group";
    /** In a chain: the next task's message (carrying the rest of the chain), scheduled when this one succeeds. */
    public static final String CHAIN_NEXT = "chainNext";
    /** In a chain: the ids of every later task, space-separated, the next one first. */
    public static final String CHAIN_REST = "chainRest";

    /**
     * The chain fields of a task's record, name and value in turn; none for a task without a chain.
     * {@code nextJson}: the JSON of {@link TaskMessage#next()} (ignored without one).
     */
    public static java.util.List<String> chain(TaskMessage task, String nextJson) {
        if (task.then().isEmpty()) {
            return java.util.List.of();
        }
        return java.util.List.of(CHAIN_NEXT, nextJson, CHAIN_REST,
                String.join(" ", task.then().stream().map(TaskMessage::id).toList()));
    }

    private TaskFields() {
    }
}
