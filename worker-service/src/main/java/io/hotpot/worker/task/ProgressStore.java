package io.hotpot.worker.task;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.RedisKeys;
import io.hotpot.common.TaskProgress;
import io.hotpot.worker.config.WorkerConfig;
import io.quarkus.arc.Unremovable;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;

/**
 * Writes a handler's progress ({@link TaskContext#progress}) in one Lua script, like
 * {@link TaskStore}: only while the task is {@code STARTED}, refreshing the expiry and
 * publishing the event in the same round trip.
 */
@ApplicationScoped
@Unremovable // looked up by TaskContext, never injected
public class ProgressStore {
    /** KEYS[1] record. ARGV: ttl, channel, progress JSON, at. Returns 1 when written. */
    private static final String PROGRESS = """
            if redis.call('HGET', KEYS[1], 'status') ~= 'STARTED' then return 0 end
            redis.call('HSET', KEYS[1], 'progress', ARGV[3])
            redis.call('EXPIRE', KEYS[1], ARGV[1])
            redis.call('PUBLISH', ARGV[2], '{"id":' .. cjson.encode(redis.call('HGET', KEYS[1], 'id'))
              .. ',"type":' .. cjson.encode(redis.call('HGET', KEYS[1], 'type'))
              .. ',"status":"STARTED","attempts":' .. (redis.call('HGET', KEYS[1], 'attempts') or '0')
              .. ',"worker":' .. cjson.encode(redis.call('HGET', KEYS[1], 'worker') or '')
              .. ',"at":' .. cjson.encode(ARGV[4]) .. ',"progress":' .. ARGV[3] .. '}')
            return 1
            """;

    private final RedisDataSource redis;
    private final ObjectMapper mapper;
    private final String ttlSeconds;

    public ProgressStore(RedisDataSource redis, ObjectMapper mapper, WorkerConfig config) {
        this.redis = redis;
        this.mapper = mapper;
        this.ttlSeconds = Long.toString(config.tasks().resultTtl().toSeconds());
    }

    boolean report(TaskContext context, int percent, String message) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("progress percent must be from 0 to 100, got " + percent);
        }
        String text = message == null ? "" : message;
        if (text.length() > TaskProgress.MAX_MESSAGE) {
            text = text.substring(0, TaskProgress.MAX_MESSAGE);
        }
        String json;
        try {
            json = mapper.writeValueAsString(new TaskProgress(percent, text));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Response reply = redis.execute("EVAL", PROGRESS, "1", RedisKeys.task(context.taskId()), ttlSeconds,
                RedisKeys.TASK_EVENTS_CHANNEL, json, Instant.now().toString());
        return reply.toInteger() == 1;
    }
}
