package io.hotpot.api.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.api.config.ApiConfig;
import io.hotpot.common.RedisKeys;
import io.hotpot.common.TaskError;
import io.hotpot.common.TaskEvent;
import io.hotpot.common.TaskFields;
import io.hotpot.common.TaskMessage;
import io.hotpot.common.TaskStatus;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.smallrye.mutiny.Uni;

/**
 * Task records in Redis as api-service sees them: it writes the first version of a record
 * and reads records back. Workers write every later change (see
 * docs/decisions/0001-redis-key-layout.md for who writes what).
 */
@ApplicationScoped
public class TaskRecords {
    /**
     * Writes the fields the message carries, sets {@code PENDING} only if no worker has set a
     * status yet (a fast worker may already have started it), and announces the new task.
     * KEYS[1] record; ARGV[1] ttl seconds, ARGV[2] event channel, ARGV[3] event, ARGV[4..] fields.
     */
    private static final String CREATE = """
            redis.call('HSET', KEYS[1], unpack(ARGV, 4))
            local created = redis.call('HSETNX', KEYS[1], 'status', 'PENDING')
            redis.call('HSETNX', KEYS[1], 'attempts', '0')
            redis.call('EXPIRE', KEYS[1], ARGV[1])
            if created == 1 then redis.call('PUBLISH', ARGV[2], ARGV[3]) end
            return created
            """;

    private final ReactiveRedisDataSource redis;
    private final ReactiveHashCommands<String, String, String> hashes;
    private final ObjectMapper mapper;
    private final Duration ttl;

    public TaskRecords(ReactiveRedisDataSource redis, ObjectMapper mapper, ApiConfig config) {
        this.redis = redis;
        this.hashes = redis.hash(String.class);
        this.mapper = mapper;
        this.ttl = config.tasks().resultTtl();
    }

    /** Records a task that RabbitMQ has just confirmed. */
    public Uni<Void> create(TaskMessage task) {
        TaskEvent event = new TaskEvent(task.id(), task.type(), TaskStatus.PENDING, 0, null, null, null,
                task.createdAt());
        List<String> args = new ArrayList<>(List.of("1", RedisKeys.task(task.id()),
                Long.toString(ttl.toSeconds()), RedisKeys.TASK_EVENTS_CHANNEL, json(event)));
        args.addAll(List.of(
                TaskFields.ID, task.id(),
                TaskFields.TYPE, task.type(),
                TaskFields.ARGS, json(task.args()),
                TaskFields.QUEUE, task.queue(),
                TaskFields.PRIORITY, Integer.toString(task.priority()),
                TaskFields.CREATED_AT, task.createdAt().toString(),
                TaskFields.CORRELATION_ID, task.correlationId()));
        args.add(0, CREATE);
        return redis.execute("EVAL", args.toArray(String[]::new)).replaceWithVoid();
    }

    /** The record of a task, or {@code null} when Redis holds none (unknown or expired). */
    public Uni<TaskView> find(String id) {
        return hashes.hgetall(RedisKeys.task(id)).map(fields -> fields.isEmpty() ? null : view(fields));
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
                f.get(TaskFields.WORKER));
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
