package io.hotpot.api.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.api.config.ApiConfig;
import io.hotpot.common.WorkflowScripts;
import io.hotpot.common.RedisKeys;
import io.hotpot.common.TaskError;
import io.hotpot.common.TaskEvent;
import io.hotpot.common.TaskFields;
import io.hotpot.common.TaskMessage;
import io.hotpot.common.TaskProgress;
import io.hotpot.common.TaskStatus;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * Task records in Redis as api-service sees them: it writes the first version of a record
 * and reads records back. Workers write every later change (see
 * docs/decisions/0001-redis-key-layout.md for who writes what).
 */
@ApplicationScoped
public class TaskRecords {
    /**
     * Writes the fields the message carries, sets {@code PENDING} only if no worker has set a
     * status yet (a fast worker may already have started it), keeps a tombstone, indexes it among
     * the recent tasks and announces it. KEYS: record, tombstone, recent index. ARGV: ttl seconds,
     * event channel, event, tombstone ttl, created epoch ms, id, index cap, then the fields.
     */
    private static final String CREATE = """
            redis.call('HSET', KEYS[1], unpack(ARGV, 8))
            local created = redis.call('HSETNX', KEYS[1], 'status', 'PENDING')
            redis.call('HSETNX', KEYS[1], 'attempts', '0')
            redis.call('EXPIRE', KEYS[1], ARGV[1])
            redis.call('SET', KEYS[2], '1', 'EX', ARGV[4])
            redis.call('ZADD', KEYS[3], ARGV[5], ARGV[6])
            redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -1 - tonumber(ARGV[7]))
            if created == 1 then redis.call('PUBLISH', ARGV[2], ARGV[3]) end
            return created
            """;

    /**
     * A delayed task: its record ({@code SCHEDULED}) and its entry in the due set, where the
     * scheduler's leader finds it, in one step, indexed among the recent tasks. KEYS: record, due
     * set, due messages, tombstone, recent index. ARGV: record ttl, channel, event, due epoch ms,
     * id, message JSON, tombstone ttl, created epoch ms, index cap, then the fields.
     */
    private static final String SCHEDULE = """
            redis.call('HSET', KEYS[1], 'status', 'SCHEDULED', 'attempts', '0', unpack(ARGV, 10))
            redis.call('ZADD', KEYS[5], ARGV[8], ARGV[5])
            redis.call('ZREMRANGEBYRANK', KEYS[5], 0, -1 - tonumber(ARGV[9]))
            redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])
            redis.call('HSET', KEYS[3], ARGV[5], ARGV[6])
            redis.call('EXPIRE', KEYS[1], ARGV[1])
            redis.call('SET', KEYS[4], '1', 'EX', ARGV[7])
            redis.call('PUBLISH', ARGV[2], ARGV[3])
            return 1
            """;

    /**
     * The newest records, filtered: walks the recent index from the newest, at most ARGV[1] ids,
     * and returns up to ARGV[2] records (as field/value lists) whose status and type match
     * ARGV[3] and ARGV[4] (empty: any). KEYS[1] recent index; ARGV[5] record key prefix.
     */
    private static final String RECENT = """
            local ids = redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
            local found = {}
            for _, id in ipairs(ids) do
              local record = redis.call('HGETALL', ARGV[5] .. id)
              if #record > 0 then
                local f = {}
                for i = 1, #record, 2 do f[record[i]] = record[i + 1] end
                if (ARGV[3] == '' or f['status'] == ARGV[3]) and (ARGV[4] == '' or f['type'] == ARGV[4]) then
                  found[#found + 1] = record
                  if #found >= tonumber(ARGV[2]) then break end
                end
              end
            end
            return found
            """;

    /** Counts the recent tasks by status. KEYS[1] recent index; ARGV[1] record key prefix. */
    private static final String STATS = """
            local counts = {}
            for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
              local status = redis.call('HGET', ARGV[1] .. id, 'status')
              if status then counts[status] = (counts[status] or 0) + 1 end
            end
            local flat = {}
            for status, n in pairs(counts) do flat[#flat + 1] = status; flat[#flat + 1] = n end
            return flat
            """;

    /** How many index entries a filtered listing looks at, at most. */
    static final int RECENT_SCAN = 2000;

    /**
     * Revokes a task that is not final (the worker's {@code TaskLifecycle.REVOKE}): the record
     * becomes {@code REVOKED} with the reason and a waiting entry leaves the due set; the worker
     * running a started one sees the status within a second and interrupts it (its RevokeJob).
     * KEYS: record, due set, due messages. ARGV: ttl, events channel, at, reason JSON, id.
     * Returns the status before ('' when there is no record).
     */
    private static final String REVOKE = WorkflowScripts.ON_FINAL + """
            local status = redis.call('HGET', KEYS[1], 'status')
            if not status then return '' end
            if status == 'SUCCESS' or status == 'FAILURE' or status == 'REVOKED' then return status end
            redis.call('HSET', KEYS[1], 'status', 'REVOKED', 'finishedAt', ARGV[3], 'error', ARGV[4])
            redis.call('HDEL', KEYS[1], 'nextAttemptAt')
            redis.call('ZREM', KEYS[2], ARGV[5])
            redis.call('HDEL', KEYS[3], ARGV[5])
            redis.call('EXPIRE', KEYS[1], ARGV[1])
            redis.call('PUBLISH', ARGV[2], '{"id":' .. cjson.encode(ARGV[5])
              .. ',"type":' .. cjson.encode(redis.call('HGET', KEYS[1], 'type'))
              .. ',"status":"REVOKED","attempts":' .. (redis.call('HGET', KEYS[1], 'attempts') or '0')
              .. ',"error":' .. ARGV[4] .. ',"at":' .. cjson.encode(ARGV[3]) .. '}')
            hotpot_final(KEYS[1], 'REVOKED', ARGV[3])
            return status
            """;

    /**
     * An operator re-queues a dead letter (the worker's {@code TaskLifecycle.REQUEUE}): a
     * {@code FAILURE} record becomes {@code PENDING} again with its retries afresh. KEYS[1]
     * record; ARGV ttl, channel, at. Returns 1 when the task may be re-queued (also when its
     * record expired: the worker writes a new one), 0 when its status is anything but FAILURE.
     */
    private static final String REQUEUE = """
            local status = redis.call('HGET', KEYS[1], 'status')
            if not status then return 1 end
            if status ~= 'FAILURE' then return 0 end
            redis.call('HSET', KEYS[1], 'status', 'PENDING', 'retries', '0')
            redis.call('HDEL', KEYS[1], 'finishedAt', 'nextAttemptAt')
            redis.call('EXPIRE', KEYS[1], ARGV[1])
            redis.call('PUBLISH', ARGV[2], '{"id":' .. cjson.encode(redis.call('HGET', KEYS[1], 'id'))
              .. ',"type":' .. cjson.encode(redis.call('HGET', KEYS[1], 'type'))
              .. ',"status":"PENDING","attempts":' .. (redis.call('HGET', KEYS[1], 'attempts') or '0')
              .. ',"at":' .. cjson.encode(ARGV[3]) .. '}')
            return 1
            """;

    /** Undoes {@link #REQUEUE} when the copy could not be published. KEYS[1] record. */
    private static final String UNREQUEUE = """
            if redis.call('HGET', KEYS[1], 'status') == 'PENDING' then
              redis.call('HSET', KEYS[1], 'status', 'FAILURE')
            end
            return 1
            """;

    /**
     * Withdraws a task whose publish was not confirmed (docs/decisions/0002): RabbitMQ may hold it
     * all the same, or the connector may still send it, so unless a worker has already written its
     * record, the record is written {@code REVOKED} now, and a copy that arrives later is dropped by
     * the worker's start script like any revoked task. KEYS: record, tombstone, recent index. ARGV:
     * ttl, events channel, at, error JSON, id, tombstone ttl, created epoch ms, index cap, then the
     * fields. Returns the status a worker had already set, or '' when this call withdrew the task.
     */
    private static final String WITHDRAW = WorkflowScripts.ON_FINAL + """
            local status = redis.call('HGET', KEYS[1], 'status')
            if status then return status end
            redis.call('HSET', KEYS[1], unpack(ARGV, 9))
            redis.call('HSET', KEYS[1], 'status', 'REVOKED', 'attempts', '0', 'finishedAt', ARGV[3], 'error', ARGV[4])
            redis.call('EXPIRE', KEYS[1], ARGV[1])
            redis.call('SET', KEYS[2], '1', 'EX', ARGV[6])
            redis.call('ZADD', KEYS[3], ARGV[7], ARGV[5])
            redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -1 - tonumber(ARGV[8]))
            redis.call('PUBLISH', ARGV[2], '{"id":' .. cjson.encode(ARGV[5])
              .. ',"type":' .. cjson.encode(redis.call('HGET', KEYS[1], 'type'))
              .. ',"status":"REVOKED","attempts":0,"error":' .. ARGV[4] .. ',"at":' .. cjson.encode(ARGV[3]) .. '}')
            hotpot_final(KEYS[1], 'REVOKED', ARGV[3])
            return ''
            """;

    /**
     * A later task of a chain, recorded as {@code SCHEDULED} until the one before succeeds (its
     * outcome script then puts this task's message in the due set). KEYS: record, tombstone, recent
     * index. ARGV: ttl, channel, event, tombstone ttl, created epoch ms, id, index cap, then the fields.
     */
    private static final String WAITING = """
            redis.call('HSET', KEYS[1], 'status', 'SCHEDULED', 'attempts', '0', unpack(ARGV, 8))
            redis.call('EXPIRE', KEYS[1], ARGV[1])
            redis.call('SET', KEYS[2], '1', 'EX', ARGV[4])
            redis.call('ZADD', KEYS[3], ARGV[5], ARGV[6])
            redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -1 - tonumber(ARGV[7]))
            redis.call('PUBLISH', ARGV[2], ARGV[3])
            return 1
            """;

    /** Claims an idempotency key. KEYS[1] key; ARGV[1] task id, ARGV[2] window seconds. Returns the holder, or nil. */
    private static final String CLAIM = """
            local holder = redis.call('GET', KEYS[1])
            if holder then return holder end
            redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
            return false
            """;

    /** Releases an idempotency key only if it still names this task. KEYS[1] key, ARGV[1] task id. */
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """;

    private final ReactiveRedisDataSource redis;
    private final ReactiveHashCommands<String, String, String> hashes;
    private final ObjectMapper mapper;
    private final Duration ttl;
    private final Duration tombstoneTtl;
    private final Duration idempotencyWindow;

    public TaskRecords(ReactiveRedisDataSource redis, ObjectMapper mapper, ApiConfig config) {
        this.redis = redis;
        this.hashes = redis.hash(String.class);
        this.mapper = mapper;
        this.ttl = config.tasks().resultTtl();
        this.tombstoneTtl = config.tasks().tombstoneTtl();
        this.idempotencyWindow = config.tasks().idempotencyWindow();
    }

    /** Records a task that RabbitMQ has just confirmed. */
    public Uni<Void> create(TaskMessage task) {
        TaskEvent event = new TaskEvent(task.id(), task.type(), TaskStatus.PENDING, 0, null, null, null,
                task.createdAt());
        List<String> args = new ArrayList<>(List.of(CREATE, "3", RedisKeys.task(task.id()), RedisKeys.tombstone(task.id()),
                RedisKeys.RECENT_TASKS, Long.toString(ttl.toSeconds()), RedisKeys.TASK_EVENTS_CHANNEL, json(event),
                Long.toString(ttl.plus(tombstoneTtl).toSeconds()), Long.toString(task.createdAt().toEpochMilli()),
                task.id(), Integer.toString(RedisKeys.RECENT_TASKS_CAP)));
        args.addAll(fields(task));
        return redis.execute("EVAL", args.toArray(String[]::new)).replaceWithVoid();
    }

    /**
     * Withdraws a task whose publish was not confirmed; the answer is the status a worker had
     * already given it (it was queued after all), or {@code null} when it is now {@code REVOKED}
     * and will never run.
     */
    public Uni<TaskStatus> withdraw(TaskMessage task, TaskError reason, Instant at) {
        List<String> args = new ArrayList<>(List.of(WITHDRAW, "3", RedisKeys.task(task.id()), RedisKeys.tombstone(task.id()),
                RedisKeys.RECENT_TASKS, Long.toString(ttl.toSeconds()), RedisKeys.TASK_EVENTS_CHANNEL, at.toString(),
                json(reason), task.id(), Long.toString(ttl.plus(tombstoneTtl).toSeconds()),
                Long.toString(task.createdAt().toEpochMilli()), Integer.toString(RedisKeys.RECENT_TASKS_CAP)));
        args.addAll(fields(task));
        return redis.execute("EVAL", args.toArray(String[]::new))
                .map(reply -> reply.toString().isEmpty() ? null : TaskStatus.valueOf(reply.toString()));
    }

    /**
     * Records a delayed task as {@code SCHEDULED} and puts its message in the due set, to be
     * published when due. Nothing goes to RabbitMQ now.
     */
    public Uni<Void> schedule(TaskMessage task, Instant due) {
        TaskEvent event = new TaskEvent(task.id(), task.type(), TaskStatus.SCHEDULED, 0, null, null, null,
                task.createdAt());
        Duration untilDue = Duration.between(Instant.now(), due);
        Duration recordTtl = ttl.plus(untilDue.isNegative() ? Duration.ZERO : untilDue);
        List<String> args = new ArrayList<>(List.of(SCHEDULE, "5", RedisKeys.task(task.id()), RedisKeys.DUE,
                RedisKeys.DUE_MESSAGES, RedisKeys.tombstone(task.id()), RedisKeys.RECENT_TASKS,
                Long.toString(recordTtl.toSeconds()), RedisKeys.TASK_EVENTS_CHANNEL, json(event),
                Long.toString(due.toEpochMilli()), task.id(), json(task), Long.toString(recordTtl.plus(tombstoneTtl).toSeconds()),
                Long.toString(task.createdAt().toEpochMilli()), Integer.toString(RedisKeys.RECENT_TASKS_CAP)));
        args.addAll(fields(task));
        return redis.execute("EVAL", args.toArray(String[]::new)).replaceWithVoid();
    }

    /**
     * Records the later tasks of a chain as waiting ({@code SCHEDULED}), for as long as a record is
     * kept after the first task's {@code due} time (now when {@code null}).
     */
    public Uni<Void> waiting(List<TaskMessage> steps, Instant due) {
        Duration untilDue = due == null ? Duration.ZERO : Duration.between(Instant.now(), due);
        Duration recordTtl = ttl.plus(untilDue.isNegative() ? Duration.ZERO : untilDue);
        return io.smallrye.mutiny.Multi.createFrom().iterable(steps)
                .onItem().transformToUniAndConcatenate(task -> {
                    TaskEvent event = new TaskEvent(task.id(), task.type(), TaskStatus.SCHEDULED, 0, null, null, null,
                            task.createdAt());
                    List<String> args = new ArrayList<>(List.of(WAITING, "3", RedisKeys.task(task.id()),
                            RedisKeys.tombstone(task.id()), RedisKeys.RECENT_TASKS, Long.toString(recordTtl.toSeconds()),
                            RedisKeys.TASK_EVENTS_CHANNEL, json(event), Long.toString(recordTtl.plus(tombstoneTtl).toSeconds()),
                            Long.toString(task.createdAt().toEpochMilli()), task.id(), Integer.toString(RedisKeys.RECENT_TASKS_CAP)));
                    args.addAll(fields(task));
                    return redis.execute("EVAL", args.toArray(String[]::new));
                })
                .collect().last().replaceWithVoid();
    }

    /** Revokes a task; the answer is the status it had before, or {@code null} when there is no record. */
    public Uni<TaskStatus> revoke(String id, TaskError reason, Instant at) {
        return redis.execute("EVAL", REVOKE, "3", RedisKeys.task(id), RedisKeys.DUE, RedisKeys.DUE_MESSAGES,
                Long.toString(ttl.toSeconds()), RedisKeys.TASK_EVENTS_CHANNEL, at.toString(), json(reason), id)
                .map(reply -> reply.toString().isEmpty() ? null : TaskStatus.valueOf(reply.toString()));
    }

    /**
     * Claims an idempotency key for a new task. The answer is {@code null} when the key is now
     * this task's, or the id of the task that holds it.
     */
    public Uni<String> claimIdempotencyKey(String key, String taskId) {
        return redis.execute("EVAL", CLAIM, "1", RedisKeys.idempotency(key), taskId,
                Long.toString(idempotencyWindow.toSeconds()))
                .map(reply -> reply == null ? null : reply.toString());
    }

    /** Gives a key back when its task was not accepted after all, so the client's retry can use it. */
    public Uni<Void> releaseIdempotencyKey(String key, String taskId) {
        return redis.execute("EVAL", RELEASE, "1", RedisKeys.idempotency(key), taskId).replaceWithVoid();
    }

    /** Reopens a failed task for its dead letter's re-queue; {@code false} when it is not FAILURE. */
    public Uni<Boolean> requeue(String id, Instant at) {
        return redis.execute("EVAL", REQUEUE, "1", RedisKeys.task(id), Long.toString(ttl.toSeconds()),
                RedisKeys.TASK_EVENTS_CHANNEL, at.toString()).map(reply -> reply.toInteger() == 1);
    }

    /** Puts a reopened task back to FAILURE when its re-queue did not happen. */
    public Uni<Void> unrequeue(String id) {
        return redis.execute("EVAL", UNREQUEUE, "1", RedisKeys.task(id)).replaceWithVoid();
    }

    /** Whether a task with this id existed, though its record may have expired. */
    public Uni<Boolean> existed(String id) {
        return redis.execute("EXISTS", RedisKeys.tombstone(id)).map(reply -> reply.toInteger() == 1);
    }

    /** A task's first record fields, name and value in turn. */
    List<String> fields(TaskMessage task) {
        List<String> fields = new ArrayList<>(List.of(
                TaskFields.ID, task.id(),
                TaskFields.TYPE, task.type(),
                TaskFields.ARGS, json(task.recordedArgs()),
                TaskFields.QUEUE, task.queue(),
                TaskFields.PRIORITY, Integer.toString(task.priority()),
                TaskFields.CREATED_AT, task.createdAt().toString(),
                TaskFields.CORRELATION_ID, task.correlationId(),
                TaskFields.RETRIES, Integer.toString(task.retries())));
        if (task.maxRetries() != null) {
            fields.addAll(List.of(TaskFields.MAX_RETRIES, task.maxRetries().toString()));
        }
        if (task.timeout() != null) {
            fields.addAll(List.of(TaskFields.TIMEOUT, task.timeout().toString()));
        }
        if (task.expires() != null) {
            fields.addAll(List.of(TaskFields.EXPIRES, task.expires().toString()));
        }
        if (task.eta() != null) {
            fields.addAll(List.of(TaskFields.ETA, task.eta().toString()));
        }
        if (task.next() != null) {
            fields.addAll(TaskFields.chain(task, json(task.next())));
        }
        return fields;
    }

    /** The record of a task, or {@code null} when Redis holds none (unknown or expired). */
    public Uni<TaskView> find(String id) {
        return hashes.hgetall(RedisKeys.task(id)).map(fields -> fields.isEmpty() ? null : view(fields));
    }

    /** The newest tasks, newest first, optionally only those with this status and type. */
    public Uni<List<TaskView>> recent(int limit, TaskStatus status, String type) {
        return redis.execute("EVAL", RECENT, "1", RedisKeys.RECENT_TASKS, Integer.toString(RECENT_SCAN),
                Integer.toString(limit), status == null ? "" : status.name(), type == null ? "" : type,
                RedisKeys.task(""))
                .map(reply -> {
                    List<TaskView> views = new ArrayList<>();
                    for (Response record : reply) {
                        Map<String, String> fields = new HashMap<>();
                        for (int i = 0; i + 1 < record.size(); i += 2) {
                            fields.put(record.get(i).toString(), record.get(i + 1).toString());
                        }
                        views.add(view(fields));
                    }
                    return views;
                });
    }

    /** How many of the recent tasks are in each status (every status present, zero when none). */
    public Uni<Map<TaskStatus, Long>> countByStatus() {
        return redis.execute("EVAL", STATS, "1", RedisKeys.RECENT_TASKS, RedisKeys.task("")).map(reply -> {
            Map<TaskStatus, Long> counts = new EnumMap<>(TaskStatus.class);
            for (TaskStatus status : TaskStatus.values()) {
                counts.put(status, 0L);
            }
            for (int i = 0; i + 1 < reply.size(); i += 2) {
                counts.put(TaskStatus.valueOf(reply.get(i).toString()), reply.get(i + 1).toLong());
            }
            return counts;
        });
    }

    private TaskView view(Map<String, String> f) {
        return new TaskView(
                f.get(TaskFields.ID),
                f.get(TaskFields.TYPE),
                TaskStatus.valueOf(f.get(TaskFields.STATUS)),
                tree(f.get(TaskFields.ARGS)),
                tree(f.get(TaskFields.RESULT)),
                f.get(TaskFields.ERROR) == null ? null : read(f.get(TaskFields.ERROR), TaskError.class),
                Integer.parseInt(f.getOrDefault(TaskFields.ATTEMPTS, "0")),
                f.get(TaskFields.QUEUE),
                Integer.parseInt(f.getOrDefault(TaskFields.PRIORITY, "0")),
                instant(f.get(TaskFields.CREATED_AT)),
                instant(f.get(TaskFields.STARTED_AT)),
                instant(f.get(TaskFields.FINISHED_AT)),
                f.get(TaskFields.WORKER),
                Integer.parseInt(f.getOrDefault(TaskFields.RETRIES, "0")),
                f.get(TaskFields.MAX_RETRIES) == null ? null : Integer.valueOf(f.get(TaskFields.MAX_RETRIES)),
                f.get(TaskFields.TIMEOUT) == null ? null : Double.valueOf(f.get(TaskFields.TIMEOUT)),
                instant(f.get(TaskFields.ETA)),
                instant(f.get(TaskFields.EXPIRES)),
                instant(f.get(TaskFields.NEXT_ATTEMPT_AT)),
                f.get(TaskFields.PROGRESS) == null ? null : read(f.get(TaskFields.PROGRESS), TaskProgress.class),
                null,
                f.get(TaskFields.GROUP),
                f.get(TaskFields.CHAIN_REST) == null ? null : List.of(f.get(TaskFields.CHAIN_REST).split(" ")));
    }

    private static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }

    private JsonNode tree(String json) {
        return json == null ? null : read(json, JsonNode.class);
    }

    private <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable task record field: " + e.getOriginalMessage(), e);
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
