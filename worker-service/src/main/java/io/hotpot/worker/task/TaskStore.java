package io.hotpot.worker.task;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.WorkflowScripts;
import io.hotpot.common.RedisKeys;
import io.hotpot.common.SensitiveArgs;
import io.hotpot.common.TaskError;
import io.hotpot.common.TaskFields;
import io.hotpot.common.TaskMessage;
import io.hotpot.common.TaskStatus;
import io.hotpot.worker.config.WorkerConfig;
import io.hotpot.redis.ReplicaAcks;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;

/**
 * Writes a task's record as the worker moves it along, one verb of {@link TaskLifecycle} per
 * method. Each write is one Lua script: it checks that the current status may make the change
 * (the list comes from {@link TaskLifecycle}), writes, refreshes the expiry and publishes the
 * {@code TaskEvent}, all in one round trip. A final task is never touched, so a redelivered
 * message of a finished task does nothing.
 */
@ApplicationScoped
public class TaskStore {
    /**
     * KEYS[1] record. ARGV: ttl, channel, worker, startedAt, legal-from list, expires (epoch ms or
     * ''), now (epoch ms), expired error JSON, then the field/value pairs the message carries.
     * Returns {status, attempts}: STARTED when this call started it, REVOKED when it expired.
     */
    private static final String START = WorkflowScripts.ON_FINAL + """
            local status = redis.call('HGET', KEYS[1], 'status') or 'PENDING'
            if not string.find(ARGV[5], ',' .. status .. ',', 1, true) then
              return {status, redis.call('HGET', KEYS[1], 'attempts') or '0'}
            end
            redis.call('HSET', KEYS[1], unpack(ARGV, 9))
            local event = '{"id":' .. cjson.encode(redis.call('HGET', KEYS[1], 'id'))
              .. ',"type":' .. cjson.encode(redis.call('HGET', KEYS[1], 'type'))
            if ARGV[6] ~= '' and tonumber(ARGV[7]) > tonumber(ARGV[6]) and status ~= 'STARTED' then
              redis.call('HSET', KEYS[1], 'status', 'REVOKED', 'finishedAt', ARGV[4], 'error', ARGV[8])
              redis.call('HDEL', KEYS[1], 'nextAttemptAt')
              redis.call('HSETNX', KEYS[1], 'attempts', '0')
              redis.call('EXPIRE', KEYS[1], ARGV[1])
              redis.call('PUBLISH', ARGV[2], event .. ',"status":"REVOKED","attempts":'
                .. (redis.call('HGET', KEYS[1], 'attempts') or '0') .. ',"error":' .. ARGV[8]
                .. ',"at":' .. cjson.encode(ARGV[4]) .. '}')
              hotpot_final(KEYS[1], 'REVOKED', ARGV[4])
              return {'REVOKED', redis.call('HGET', KEYS[1], 'attempts') or '0'}
            end
            local attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
            redis.call('HSET', KEYS[1], 'status', 'STARTED', 'startedAt', ARGV[4], 'worker', ARGV[3])
            redis.call('HDEL', KEYS[1], 'nextAttemptAt', 'finishedAt')
            redis.call('EXPIRE', KEYS[1], ARGV[1])
            redis.call('PUBLISH', ARGV[2], event .. ',"status":"STARTED","attempts":' .. attempts
              .. ',"worker":' .. cjson.encode(ARGV[3]) .. ',"at":' .. cjson.encode(ARGV[4]) .. '}')
            return {'STARTED', tostring(attempts)}
            """;

    /**
     * Every change after the start. KEYS[1] record, KEYS[2] due set, KEYS[3] due messages.
     * ARGV: ttl, channel, legal-from list, new status, at, worker, field (result or error), its
     * JSON, due epoch ms ('' when not waiting), due message JSON, fields to delete (space
     * separated, '' for none), the task id when the attempt held a lease ('' when not), then
     * further field/value pairs. Returns the status afterwards. A lease is dropped whatever the
     * status: the attempt is over, and a final task needs none.
     */
    private static final String MOVE = WorkflowScripts.ON_FINAL + """
            if ARGV[12] ~= '' then
              redis.call('ZREM', KEYS[2], ARGV[12])
              redis.call('HDEL', KEYS[3], ARGV[12])
            end
            local status = redis.call('HGET', KEYS[1], 'status') or 'PENDING'
            if not string.find(ARGV[3], ',' .. status .. ',', 1, true) then return status end
            redis.call('HSET', KEYS[1], 'status', ARGV[4], ARGV[7], ARGV[8], 'worker', ARGV[6], unpack(ARGV, 13))
            for field in string.gmatch(ARGV[11], '%S+') do redis.call('HDEL', KEYS[1], field) end
            local id = redis.call('HGET', KEYS[1], 'id')
            if ARGV[9] ~= '' then
              redis.call('ZADD', KEYS[2], ARGV[9], id)
              redis.call('HSET', KEYS[3], id, ARGV[10])
            end
            redis.call('EXPIRE', KEYS[1], ARGV[1])
            redis.call('PUBLISH', ARGV[2], '{"id":' .. cjson.encode(id)
              .. ',"type":' .. cjson.encode(redis.call('HGET', KEYS[1], 'type'))
              .. ',"status":' .. cjson.encode(ARGV[4])
              .. ',"attempts":' .. (redis.call('HGET', KEYS[1], 'attempts') or '0')
              .. ',"worker":' .. cjson.encode(ARGV[6]) .. ',"at":' .. cjson.encode(ARGV[5])
              .. ',"' .. ARGV[7] .. '":' .. ARGV[8] .. '}')
            if ARGV[4] == 'SUCCESS' or ARGV[4] == 'FAILURE' or ARGV[4] == 'REVOKED' then hotpot_final(KEYS[1], ARGV[4], ARGV[5]) end
            return ARGV[4]
            """;

    /**
     * Takes or renews the lease of a running attempt (docs/decisions/0031): only while the record
     * is still {@code STARTED} by this worker in this attempt. KEYS[1] record, KEYS[2] due set,
     * KEYS[3] due messages. ARGV: worker, attempt, task id, due epoch ms, message JSON ('' to renew
     * an existing entry only: {@code ZADD XX}). Returns 1 when the lease is held.
     */
    private static final String LEASE = """
            if redis.call('HGET', KEYS[1], 'status') ~= 'STARTED' or redis.call('HGET', KEYS[1], 'worker') ~= ARGV[1]
                or redis.call('HGET', KEYS[1], 'attempts') ~= ARGV[2] then
              return 0
            end
            if ARGV[5] == '' then
              redis.call('ZADD', KEYS[2], 'XX', 'CH', ARGV[4], ARGV[3])
              return redis.call('ZSCORE', KEYS[2], ARGV[3]) and 1 or 0
            end
            redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
            redis.call('HSET', KEYS[3], ARGV[3], ARGV[5])
            return 1
            """;

    private final RedisDataSource redis;
    /** The outcome and the lease, after which the delivery is acknowledged, wait for replicas. */
    private final ReplicaAcks acks;
    private final ObjectMapper mapper;
    private final String ttlSeconds;

    public TaskStore(RedisDataSource redis, ReplicaAcks acks, ObjectMapper mapper, WorkerConfig config) {
        this.redis = redis;
        this.acks = acks;
        this.mapper = mapper;
        this.ttlSeconds = Long.toString(config.tasks().resultTtl().toSeconds());
    }

    /** What {@link #start} found: whether this attempt should run, and which attempt it is. */
    public record Start(TaskStatus status, int attempt) {
        public boolean shouldRun() {
            return status == TaskStatus.STARTED;
        }
    }

    /**
     * {@link TaskLifecycle#START}: marks the task started by this worker, unless it is final, or
     * {@link TaskLifecycle#EXPIRE}s it when it was not started before its {@code expires} time.
     */
    public Start start(TaskMessage task, String worker, Instant at, Set<String> sensitive) {
        TaskError expired = new TaskError("Expired", "not started before it expired at " + task.expires());
        List<String> args = new ArrayList<>(List.of(START, "1", RedisKeys.task(task.id()), ttlSeconds,
                RedisKeys.TASK_EVENTS_CHANNEL, worker, at.toString(), TaskLifecycle.START.fromForLua(),
                task.expires() == null ? "" : Long.toString(task.expires().toEpochMilli()),
                Long.toString(at.toEpochMilli()), json(expired)));
        args.addAll(List.of(
                TaskFields.ID, task.id(),
                TaskFields.TYPE, task.type(),
                TaskFields.ARGS, json(SensitiveArgs.mask(task.recordedArgs(), sensitive)),
                TaskFields.QUEUE, task.queue(),
                TaskFields.PRIORITY, Integer.toString(task.priority()),
                TaskFields.CREATED_AT, task.createdAt().toString(),
                TaskFields.RETRIES, Integer.toString(task.retries())));
        if (task.correlationId() != null) {
            args.addAll(List.of(TaskFields.CORRELATION_ID, task.correlationId()));
        }
        if (task.maxRetries() != null) {
            args.addAll(List.of(TaskFields.MAX_RETRIES, task.maxRetries().toString()));
        }
        if (task.timeout() != null) {
            args.addAll(List.of(TaskFields.TIMEOUT, task.timeout().toString()));
        }
        if (task.expires() != null) {
            args.addAll(List.of(TaskFields.EXPIRES, task.expires().toString()));
        }
        if (task.eta() != null) {
            args.addAll(List.of(TaskFields.ETA, task.eta().toString()));
        }
        if (task.group() != null) {
            args.addAll(List.of(TaskFields.GROUP, task.group()));
        }
        if (task.next() != null) {
            args.addAll(TaskFields.chain(task, json(task.next())));
        }
        Response reply = redis.execute("EVAL", args.toArray(String[]::new));
        return new Start(TaskStatus.valueOf(reply.get(0).toString()), Integer.parseInt(reply.get(1).toString()));
    }

    /**
     * Converts a running attempt to a lease: puts the task's message into the due set, due at
     * {@code until}, so the scheduler's leader publishes it again unless the lease is renewed or
     * dropped first. Only while the record is {@code STARTED} by {@code worker} in this attempt.
     * Returns whether the lease is held; only then may the delivery be acknowledged early.
     */
    public boolean lease(TaskMessage task, String worker, int attempt, Instant until) {
        return leaseScript(task.id(), worker, attempt, until, json(task));
    }

    /** Moves a held lease on to {@code until} ({@code ZADD XX}); false when it is no longer this attempt's. */
    public boolean renewLease(String taskId, String worker, int attempt, Instant until) {
        return leaseScript(taskId, worker, attempt, until, "");
    }

    private boolean leaseScript(String taskId, String worker, int attempt, Instant until, String message) {
        return acks.execute("EVAL", LEASE, "3", RedisKeys.task(taskId), RedisKeys.DUE, RedisKeys.DUE_MESSAGES, worker,
                Integer.toString(attempt), taskId, Long.toString(until.toEpochMilli()), message).toInteger() == 1;
    }

    /** {@link TaskLifecycle#SUCCEED}: the attempt's result. */
    public TaskStatus succeed(String taskId, Object result, String worker, Instant at) {
        return succeed(taskId, result, worker, at, false);
    }

    /** {@link TaskLifecycle#SUCCEED}, dropping the attempt's lease in the same script when it held one. */
    public TaskStatus succeed(String taskId, Object result, String worker, Instant at, boolean leased) {
        return move(TaskLifecycle.SUCCEED, taskId, TaskFields.RESULT, result, worker, at, null, null,
                TaskFields.ERROR, leased, TaskFields.FINISHED_AT, at.toString());
    }

    /** {@link TaskLifecycle#FAIL}: the attempt's error, final. */
    public TaskStatus fail(String taskId, TaskError error, String worker, Instant at) {
        return fail(taskId, error, worker, at, false);
    }

    /** {@link TaskLifecycle#FAIL}, dropping the attempt's lease in the same script when it held one. */
    public TaskStatus fail(String taskId, TaskError error, String worker, Instant at, boolean leased) {
        return move(TaskLifecycle.FAIL, taskId, TaskFields.ERROR, error, worker, at, null, null,
                "", leased, TaskFields.FINISHED_AT, at.toString());
    }

    /** {@link TaskLifecycle#REVOKE}: a running task was revoked and its handler stopped. */
    public TaskStatus revoke(String taskId, TaskError reason, String worker, Instant at) {
        return revoke(taskId, reason, worker, at, false);
    }

    /** {@link TaskLifecycle#REVOKE}, dropping the attempt's lease in the same script when it held one. */
    public TaskStatus revoke(String taskId, TaskError reason, String worker, Instant at, boolean leased) {
        return move(TaskLifecycle.REVOKE, taskId, TaskFields.ERROR, reason, worker, at, null, null,
                "", leased, TaskFields.FINISHED_AT, at.toString());
    }

    /**
     * {@link TaskLifecycle#RETRY}: records the error and the time of the next attempt, and in
     * the same script puts the next attempt's message in the due set, where the scheduler finds
     * it. The caller then acknowledges the failed attempt's message: a waiting retry holds no
     * thread and no unacknowledged message.
     */
    public TaskStatus retry(TaskMessage next, TaskError error, Instant nextAttemptAt, String worker, Instant at) {
        return retry(next, error, nextAttemptAt, worker, at, false);
    }

    /**
     * {@link #retry}, for an attempt that held a lease: its entry is replaced by the next
     * attempt's in the same script (dropped first, then written, should the retry not apply).
     */
    public TaskStatus retry(TaskMessage next, TaskError error, Instant nextAttemptAt, String worker, Instant at,
            boolean leased) {
        return move(TaskLifecycle.RETRY, next.id(), TaskFields.ERROR, error, worker, at, nextAttemptAt, next,
                "", leased, TaskFields.NEXT_ATTEMPT_AT, nextAttemptAt.toString(), TaskFields.RETRIES,
                Integer.toString(next.retries()));
    }

    private TaskStatus move(TaskLifecycle change, String taskId, String field, Object value, String worker, Instant at,
            Instant dueAt, TaskMessage dueMessage, String delete, boolean leased, String... more) {
        List<String> args = new ArrayList<>(List.of(MOVE, "3", RedisKeys.task(taskId), RedisKeys.DUE,
                RedisKeys.DUE_MESSAGES, ttlSeconds, RedisKeys.TASK_EVENTS_CHANNEL, change.fromForLua(),
                change.to().name(), at.toString(), worker, field, json(value),
                dueAt == null ? "" : Long.toString(dueAt.toEpochMilli()),
                dueMessage == null ? "" : json(dueMessage), delete, leased ? taskId : ""));
        args.addAll(List.of(more));
        return TaskStatus.valueOf(acks.execute("EVAL", args.toArray(String[]::new)).toString());
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a value Jackson cannot write: " + e.getOriginalMessage(), e);
        }
    }
}
