package io.hotpot.common;

/**
 * Every Redis key and channel Hotpot uses, in one place (see docs/decisions/0001-redis-key-layout.md
 * and 0034-redis-cluster.md). All keys start with {@link #PREFIX}, {@code {hotpot}:}: a shared Redis
 * can hold other data beside them, and in a Redis Cluster the hash tag {@code {hotpot}} puts every
 * key in one hash slot, so each Lua script and multi-key command runs on one node. Pub/sub channels
 * are not keys (a cluster carries them to every node) and start with {@link #CHANNEL_PREFIX}.
 */
public final class RedisKeys {
    /** The hash tag every key carries: Redis Cluster hashes only what is between the braces. */
    public static final String HASH_TAG = "{hotpot}";
    /** Prefix of every key. */
    public static final String PREFIX = HASH_TAG + ":";
    /**
     * The prefix keys had before they carried the hash tag ({@code hotpot:task:…}). The services
     * refuse to start on a Redis that still holds such keys (HOTPOT-REDIS-015);
     * {@code redis/migrate-keys.sh} renames them.
     */
    public static final String OLD_PREFIX = "hotpot:";
    /** Prefix of every pub/sub channel. */
    public static final String CHANNEL_PREFIX = "hotpot:";
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
     * Sorted set of the most recent task ids scored by creation time (epoch millis), capped at
     * {@link #RECENT_TASKS_CAP}; dashboards list and count tasks from it.
     */
    public static final String RECENT_TASKS = PREFIX + "tasks:recent";
    /** How many ids {@link #RECENT_TASKS} keeps. */
    public static final int RECENT_TASKS_CAP = 10_000;
    /**
     * Sorted set of the most recent group ids ({@code POST /api/groups}) scored by creation time
     * (epoch millis), capped at {@link #RECENT_GROUPS_CAP}; {@code GET /api/groups} and the dashboard
     * list groups from it.
     */
    public static final String RECENT_GROUPS = PREFIX + "groups:recent";
    /** How many ids {@link #RECENT_GROUPS} keeps. */
    public static final int RECENT_GROUPS_CAP = 1_000;
    /** Hash: schedule name → {@link ScheduleDefinition} JSON, the schedules written through the REST API. */
    public static final String SCHEDULES = PREFIX + "schedules";
    /**
     * Hash: task type → the {@link TaskTypeInfo} JSON a worker last advertised for it. With
     * {@link #CATALOGUE_TYPES_SEEN} and {@link #CATALOGUE_QUEUES} it forms the catalogue of what
     * api-service accepts: written by every worker heartbeat, kept after the workers are gone
     * (see docs/decisions/0060-task-catalogue.md).
     */
    public static final String CATALOGUE_TYPES = PREFIX + "catalogue:types";
    /** Sorted set of task types scored by when a worker last advertised them (epoch millis). */
    public static final String CATALOGUE_TYPES_SEEN = PREFIX + "catalogue:types:seen";
    /** Sorted set of logical queues scored by when a worker last advertised consuming them (epoch millis). */
    public static final String CATALOGUE_QUEUES = PREFIX + "catalogue:queues";
    /**
     * Pub/sub channel carrying {@link TaskEvent}s as JSON, and {@link GroupEvent}s (told apart by
     * their {@code "kind":"group"}).
     */
    public static final String TASK_EVENTS_CHANNEL = CHANNEL_PREFIX + "events:tasks";

    /**
     * Sorted set of rooms that have members somewhere, scored by when that presence expires
     * (epoch millis); readers ignore scores in the past (see docs/decisions/0010-chat-redis-layout.md).
     */
    public static final String CHAT_ROOMS = PREFIX + "chat:rooms";
    /** Pub/sub channel carrying {@link ChatPresence} events (join, leave) between chat-service replicas. */
    public static final String CHAT_PRESENCE_CHANNEL = CHANNEL_PREFIX + "events:chat-presence";

    private RedisKeys() {
    }

    /**
     * Hash of one group ({@code POST /api/groups}), its fields {@link GroupFields}. Its members'
     * ids, in order, are the list {@link #groupTasks}.
     */
    public static String group(String id) {
        return PREFIX + "group:" + id;
    }

    /**
     * Set of a group's task ids that reached a final status: added by the script that finalises
     * each ({@link WorkflowScripts}), so a member counts once however often it is delivered.
     */
    public static String groupFinished(String id) {
        return PREFIX + "group:" + id + ":finished";
    }

    /** List of a group's task ids, in the order submitted. */
    public static String groupTasks(String id) {
        return PREFIX + "group:" + id + ":tasks";
    }

    /** Hash holding one task's record ({@link TaskFields}). */
    public static String task(String id) {
        return PREFIX + "task:" + id;
    }

    /**
     * Hash holding one rate-limit token bucket ({@code tokens}, {@code at}) of one credential for
     * one limited action ({@code tasks}, {@code tokens}); expires once the bucket would be full again.
     */
    public static String rateLimit(String action, String credential) {
        return PREFIX + "ratelimit:" + action + ":" + credential;
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

    /**
     * String holding the scheduler leader's lock: {@code <token>#<epoch>}, with an expiry the
     * leader keeps renewing. {@code group} separates independent sets of scheduler replicas
     * ({@code scheduler} by default).
     */
    public static String leaderLock(String group) {
        return PREFIX + "leader:" + group;
    }

    /** Counter incremented on every acquisition of {@link #leaderLock(String)}: the fencing epoch. */
    public static String leaderEpoch(String group) {
        return PREFIX + "leader:" + group + ":epoch";
    }

    /**
     * Hash: schedule name → {@link ScheduleDefinition} JSON of the schedules in a scheduler
     * group's configuration, written by that group's leader so the API can show them.
     */
    public static String configSchedules(String group) {
        return PREFIX + "schedules:config:" + group;
    }

    /** Hash holding a schedule's state ({@link ScheduleFields}). */
    public static String scheduleState(String name) {
        return PREFIX + "schedule:" + name;
    }

    /**
     * String set once ({@code SET NX}) when a schedule's tick creates its task; holds the task id.
     * It makes a tick create one task, even with two leaders at once.
     */
    public static String fired(String schedule, long fireTimeMillis) {
        return PREFIX + "fired:" + schedule + ":" + fireTimeMillis;
    }

    /** String holding one worker's latest {@link WorkerHeartbeat} as JSON; expires with the heartbeat. */
    public static String worker(String workerId) {
        return PREFIX + "worker:" + workerId;
    }

    /**
     * Stream of one chat room's messages (fields in {@link ChatMessage}), capped to the history
     * size; its entry ids are the message ids clients use for history and recovery.
     */
    public static String chatRoom(String room) {
        return PREFIX + "chat:room:" + room;
    }

    /**
     * Sorted set of one room's members, as {@code connectionId|user}, scored by when that
     * membership expires (epoch millis) unless its replica refreshes it.
     */
    public static String chatMembers(String room) {
        return PREFIX + "chat:members:" + room;
    }
}
