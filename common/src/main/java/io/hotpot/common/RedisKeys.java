package io.hotpot.common;

/**
 * Every Redis key and channel Hotpot uses, in one place (see docs/decisions/0001-redis-key-layout.md).
 * All keys start with {@code hotpot:} so a shared Redis can hold other data beside them.
 */
public final class RedisKeys {
    /** Prefix of every key. */
    public static final String PREFIX = "hotpot:";
    /** Sorted set of live worker ids, scored by their last heartbeat (epoch millis). */
    public static final String WORKERS = PREFIX + "workers";
    /**
     * Sorted set of ids of tasks waiting for a time (countdown, eta, retry back-off), scored by
     * when they are due (epoch millis). The scheduler's leader publishes them when due.
     */
    public static final String DUE = PREFIX + "due";
    /** Hash: task id → the {@link TaskMessage} JSON to publish when the task is due. */
    public static final String DUE_MESSAGES = PREFIX + "due:messages";
    /**
     * Pub/sub channel carrying the ids of running tasks that were revoked; the worker running one
     * interrupts it. The record is already {@code REVOKED} when the id is published.
     */
    public static final String REVOKES_CHANNEL = PREFIX + "revokes";
    /** Pub/sub channel carrying {@link TaskEvent}s as JSON. */
    public static final String TASK_EVENTS_CHANNEL = PREFIX + "events:tasks";

    private RedisKeys() {
    }

    /** Hash holding one task's record ({@link TaskFields}). */
    public static String task(String id) {
        return PREFIX + "task:" + id;
    }

    /**
     * String marking that a task existed, kept longer than its record, so a read after the
     * record expired can say so instead of "never submitted".
     */
    public static String tombstone(String id) {
        return PREFIX + "tombstone:" + id;
    }

    /**
     * String holding the id of the task first submitted with an idempotency key; it expires
     * with the key's window (24 h), after which the key may be used again.
     */
    public static String idempotency(String key) {
        return PREFIX + "idempotency:" + key;
    }

    /** String holding one worker's latest {@link WorkerHeartbeat} as JSON; expires with the heartbeat. */
    public static String worker(String workerId) {
        return PREFIX + "worker:" + workerId;
    }
}
