package io.hotpot.worker.task;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.RedisKeys;
import io.hotpot.common.TaskFields;
import io.hotpot.common.TaskMessage;
import io.hotpot.common.TaskStatus;
import io.hotpot.worker.config.WorkerConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;

/**
 * Writes a task's record as the worker moves it along. Each write is one Lua script: it checks
 * the current status, writes, refreshes the expiry and publishes the {@code TaskEvent}, all in
 * one round trip, and never touches a task that is already final (a redelivered message of a
 * finished task does nothing).
 */
@ApplicationScoped
public class TaskStore {
    /**
     * KEYS[1] record. ARGV: ttl, channel, worker, startedAt, then field/value pairs the message
     * carries. Returns {status, attempts}: STARTED when this call started it.
     */
    private static final String START = """
            local status = redis.call('HGET', KEYS[1], 'status')
            if status == 'SUCCESS' or status == 'FAILURE' or status == 'REVOKED' then
              return {status, redis.call('HGET', KEYS[1], 'attempts') or '0'}
            end
            redis.call('HSET', KEYS[1], unpack(ARGV, 5))
            local attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
            redis.call('HSET', KEYS[1], 'status', 'STARTED', 'startedAt', ARGV[4], 'worker', ARGV[3])
            redis.call('EXPIRE', KEYS[1], ARGV[1])
            redis.call('PUBLISH', ARGV[2], '{"id":' .. cjson.encode(redis.call('HGET', KEYS[1], 'id'))
              .. ',"type":' .. cjson.encode(redis.call('HGET', KEYS[1], 'type'))
              .. ',"status":"STARTED","attempts":' .. attempts
              .. ',"worker":' .. cjson.encode(ARGV[3]) .. ',"at":' .. cjson.encode(ARGV[4]) .. '}')
            return {'STARTED', tostring(attempts)}
            """;

    /**
     * KEYS[1] record. ARGV: ttl, channel, status, finishedAt, field (result or error), its JSON,
     * worker. Returns the status the record has afterwards.
     */
    private static final String FINISH = """
            local status = redis.call('HGET', KEYS[1], 'status')
            if status == 'SUCCESS' or status == 'FAILURE' or status == 'REVOKED' then return status end
            redis.call('HSET', KEYS[1], 'status', ARGV[3], 'finishedAt', ARGV[4], ARGV[5], ARGV[6])
            redis.call('EXPIRE', KEYS[1], ARGV[1])
            redis.call('PUBLISH', ARGV[2], '{"id":' .. cjson.encode(redis.call('HGET', KEYS[1], 'id'))
              .. ',"type":' .. cjson.encode(redis.call('HGET', KEYS[1], 'type'))
              .. ',"status":' .. cjson.encode(ARGV[3])
              .. ',"attempts":' .. (redis.call('HGET', KEYS[1], 'attempts') or '0')
              .. ',"worker":' .. cjson.encode(ARGV[7]) .. ',"at":' .. cjson.encode(ARGV[4])
              .. ',"' .. ARGV[5] .. '":' .. ARGV[6] .. '}')
            return ARGV[3]
            """;

    private final RedisDataSource redis;
    private final ObjectMapper mapper;
    private final String ttlSeconds;

    public TaskStore(RedisDataSource redis, ObjectMapper mapper, WorkerConfig config) {
        this.redis = redis;
        this.mapper = mapper;
        this.ttlSeconds = Long.toString(config.tasks().resultTtl().toSeconds());
    }

    /** What {@link #start} found: whether this attempt should run, and which attempt it is. */
    public record Start(TaskStatus status, int attempt) {
        public boolean shouldRun() {
            return status == TaskStatus.STARTED;
        }
    }

    /** Marks the task started by this worker, unless it is already final. */
    public Start start(TaskMessage task, String worker, Instant at) {
        List<String> args = new ArrayList<>(List.of(START, "1", RedisKeys.task(task.id()), ttlSeconds,
                RedisKeys.TASK_EVENTS_CHANNEL, worker, at.toString()));
        args.addAll(List.of(
                TaskFields.ID, task.id(),
                TaskFields.TYPE, task.type(),
                TaskFields.ARGS, json(task.args()),
                TaskFields.QUEUE, task.queue(),
                TaskFields.PRIORITY, Integer.toString(task.priority()),
                TaskFields.CREATED_AT, task.createdAt().toString()));
        if (task.correlationId() != null) {
            args.addAll(List.of(TaskFields.CORRELATION_ID, task.correlationId()));
        }
        Response reply = redis.execute("EVAL", args.toArray(String[]::new));
        return new Start(TaskStatus.valueOf(reply.get(0).toString()), Integer.parseInt(reply.get(1).toString()));
    }

    /** Records the outcome of an attempt: a final status with its result or error. */
    public TaskStatus finish(String taskId, TaskStatus status, String field, Object value, String worker, Instant at) {
        Response reply = redis.execute("EVAL", FINISH, "1", RedisKeys.task(taskId), ttlSeconds,
                RedisKeys.TASK_EVENTS_CHANNEL, status.name(), at.toString(), field, json(value), worker);
        return TaskStatus.valueOf(reply.toString());
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a value Jackson cannot write: " + e.getOriginalMessage(), e);
        }
    }
}
