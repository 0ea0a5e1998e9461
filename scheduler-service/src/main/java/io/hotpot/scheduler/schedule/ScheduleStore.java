package io.hotpot.scheduler.schedule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.RedisKeys;
import io.hotpot.common.ScheduleDefinition;
import io.hotpot.common.ScheduleFields;
import io.hotpot.common.TaskEvent;
import io.hotpot.common.TaskFields;
import io.hotpot.common.TaskMessage;
import io.hotpot.common.TaskStatus;
import io.hotpot.scheduler.config.SchedulerConfig;
import io.hotpot.redis.ReplicaAcks;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.hash.HashCommands;

/**
 * Schedules and their state in Redis, as the scheduler's leader reads and writes them. Every
 * write is fenced (the caller's lock value must still be the lock's) and compares the state's
 * next fire time with the one the caller computed from, so two leaders at once, or a leader and
 * an update through the API, cannot both move a schedule on.
 */
@ApplicationScoped
public class ScheduleStore {
    private static final Logger LOG = Logger.getLogger(ScheduleStore.class);

    /** Result of {@link #fire}: the caller no longer leads. */
    public static final int NOT_LEADER = -1;
    /** Result of {@link #fire} and {@link #advance}: the state moved meanwhile; read it again. */
    public static final int STALE = -2;
    /** Result of {@link #fire}: this tick already created its task (fire key present). */
    public static final int ALREADY_FIRED = 0;
    /** Result of {@link #fire}: the tick created its task. */
    public static final int FIRED = 1;

    /**
     * Sets the next fire time when there is none or the timing changed.
     * KEYS[1] lock, KEYS[2] state; ARGV[1] fence, ARGV[2] spec, ARGV[3] next.
     */
    private static final String INIT = """
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
            if redis.call('HGET', KEYS[2], 'nextFireTime') and redis.call('HGET', KEYS[2], 'spec') == ARGV[2] then return 0 end
            redis.call('HSET', KEYS[2], 'nextFireTime', ARGV[3], 'spec', ARGV[2])
            return 1
            """;
    /**
     * Moves past missed ticks. KEYS[1] lock, KEYS[2] state; ARGV[1] fence, ARGV[2] expected next,
     * ARGV[3] new next, ARGV[4] the missed tick.
     */
    private static final String ADVANCE = """
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
            if redis.call('HGET', KEYS[2], 'nextFireTime') ~= ARGV[2] then return -2 end
            redis.call('HSET', KEYS[2], 'nextFireTime', ARGV[3], 'lastMissedTime', ARGV[4])
            return 1
            """;
    /**
     * One tick creates one task. KEYS: 1 lock, 2 state, 3 fire key, 4 task record, 5 due set,
     * 6 due messages, 7 recent tasks. ARGV: 1 fence, 2 expected next, 3 new next, 4 fire time (ms),
     * 5 task id, 6 record ttl (s), 7 event channel, 8 event, 9 message, 10 due score, 11 fire key
     * ttl (ms), 12 recent index cap, 13.. record fields. The record is written as api-service
     * writes a new one (0001): the message's fields, PENDING only if no status yet, attempts 0,
     * expiry, indexed among the recent tasks (so /api/tasks lists it), event. The message goes
     * into the due set, so the due-task mover publishes it confirmed, retrying until RabbitMQ
     * takes it, and a crash after this script loses nothing.
     */
    private static final String FIRE = """
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
            if redis.call('HGET', KEYS[2], 'nextFireTime') ~= ARGV[2] then return -2 end
            redis.call('HSET', KEYS[2], 'nextFireTime', ARGV[3])
            if not redis.call('SET', KEYS[3], ARGV[5], 'NX', 'PX', ARGV[11]) then return 0 end
            redis.call('HSET', KEYS[2], 'lastFireTime', ARGV[4], 'lastTaskId', ARGV[5])
            redis.call('HSET', KEYS[4], unpack(ARGV, 13))
            local created = redis.call('HSETNX', KEYS[4], 'status', 'PENDING')
            redis.call('HSETNX', KEYS[4], 'attempts', '0')
            redis.call('EXPIRE', KEYS[4], ARGV[6])
            redis.call('ZADD', KEYS[7], ARGV[4], ARGV[5])
            redis.call('ZREMRANGEBYRANK', KEYS[7], 0, -1 - tonumber(ARGV[12]))
            if created == 1 then redis.call('PUBLISH', ARGV[7], ARGV[8]) end
            redis.call('ZADD', KEYS[5], ARGV[10], ARGV[5])
            redis.call('HSET', KEYS[6], ARGV[5], ARGV[9])
            return 1
            """;
    /** Replaces a group's published config schedules. KEYS[1] lock, KEYS[2] hash; ARGV[1] fence, ARGV[2..] name/json pairs. */
    private static final String PUBLISH_CONFIG = """
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
            redis.call('DEL', KEYS[2])
            if #ARGV > 1 then redis.call('HSET', KEYS[2], unpack(ARGV, 2)) end
            return 1
            """;

    private final RedisDataSource redis;
    private final ReplicaAcks acks;
    private final HashCommands<String, String, String> hashes;
    private final ObjectMapper mapper;
    private final String recordTtlSeconds;
    private final String firedKeyTtlMillis;

    public ScheduleStore(RedisDataSource redis, ReplicaAcks acks, ObjectMapper mapper, SchedulerConfig config) {
        this.redis = redis;
        this.acks = acks;
        this.hashes = redis.hash(String.class);
        this.mapper = mapper;
        this.recordTtlSeconds = Long.toString(config.tasks().resultTtl().toSeconds());
        this.firedKeyTtlMillis = Long.toString(config.schedule().firedKeyTtl().toMillis());
    }

    /** The schedules written through the API; unreadable entries are logged and left out. */
    public List<ScheduleDefinition> dynamic() {
        List<ScheduleDefinition> definitions = new ArrayList<>();
        for (Map.Entry<String, String> entry : hashes.hgetall(RedisKeys.SCHEDULES).entrySet()) {
            try {
                definitions.add(mapper.readValue(entry.getValue(), ScheduleDefinition.class));
            } catch (JsonProcessingException e) {
                LOG.warnf("HOTPOT-SCHEDULER-031 schedule '%s' in Redis is unreadable: %s", entry.getKey(), e.getOriginalMessage());
            }
        }
        return definitions;
    }

    /** A schedule's state ({@link ScheduleFields}); empty when it has none yet. */
    public Map<String, String> state(String name) {
        return hashes.hgetall(RedisKeys.scheduleState(name));
    }

    /** Sets the next fire time when there is none or the timing changed; -1 when not leader. */
    public long init(String lockKey, String fence, String name, String spec, String next) {
        return redis.execute("EVAL", INIT, "2", lockKey, RedisKeys.scheduleState(name), fence, spec, next).toLong();
    }

    /** Gives up missed ticks: moves the next fire time from {@code expected} to {@code next}. */
    public long advance(String lockKey, String fence, String name, String expected, String next, long missed) {
        return redis.execute("EVAL", ADVANCE, "2", lockKey, RedisKeys.scheduleState(name), fence, expected, next,
                Long.toString(missed)).toLong();
    }

    /**
     * Creates the task of one tick, moving the next fire time from {@code expected} to {@code next}.
     * Returns {@link #FIRED}, {@link #ALREADY_FIRED}, {@link #STALE} or {@link #NOT_LEADER}.
     */
    public int fire(String lockKey, String fence, ScheduleDefinition schedule, String expected, String next,
            long fireTime, TaskMessage task) {
        TaskEvent event = new TaskEvent(task.id(), task.type(), TaskStatus.PENDING, 0, null, null, null,
                Instant.ofEpochMilli(fireTime));
        List<String> args = new ArrayList<>(List.of("EVAL", FIRE, "7", lockKey, RedisKeys.scheduleState(schedule.name()),
                RedisKeys.fired(schedule.name(), fireTime), RedisKeys.task(task.id()), RedisKeys.DUE,
                RedisKeys.DUE_MESSAGES, RedisKeys.RECENT_TASKS,
                fence, expected, next, Long.toString(fireTime), task.id(), recordTtlSeconds,
                RedisKeys.TASK_EVENTS_CHANNEL, json(event), json(task), Long.toString(System.currentTimeMillis()),
                firedKeyTtlMillis, Integer.toString(RedisKeys.RECENT_TASKS_CAP),
                TaskFields.ID, task.id(),
                TaskFields.TYPE, task.type(),
                TaskFields.ARGS, json(task.recordedArgs()),
                TaskFields.QUEUE, task.queue(),
                TaskFields.PRIORITY, Integer.toString(task.priority()),
                TaskFields.CREATED_AT, task.createdAt().toString(),
                TaskFields.CORRELATION_ID, task.correlationId(),
                ScheduleFields.TASK_SCHEDULE, schedule.name()));
        // The fire key must survive a Redis failover before the task is published, or the next leader fires the tick again.
        return acks.execute(args.get(0), args.subList(1, args.size()).toArray(String[]::new)).toInteger();
    }

    /** Publishes a group's config schedules for the API to show; false when not leader. */
    public boolean publishConfig(String lockKey, String fence, String group, List<ScheduleDefinition> schedules) {
        List<String> args = new ArrayList<>(List.of(PUBLISH_CONFIG, "2", lockKey, RedisKeys.configSchedules(group), fence));
        for (ScheduleDefinition schedule : schedules) {
            args.add(schedule.name());
            args.add(json(schedule));
        }
        return redis.execute("EVAL", args.toArray(String[]::new)).toLong() == 1;
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
