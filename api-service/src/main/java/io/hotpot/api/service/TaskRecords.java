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
import io.hotpot.common.RedisKeys;
import io.hotpot.common.TaskError;
import io.hotpot.common.TaskEvent;
import io.hotpot.common.TaskFields;
import io.hotpot.common.TaskMessage;
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
     * status yet (a fast worker may already have started it), indexes it among the recent tasks
     * and announces it.
     * KEYS[1] record, KEYS[2] recent index; ARGV[1] ttl seconds, ARGV[2] event channel,
     * ARGV[3] event, ARGV[4] created epoch ms, ARGV[5] id, ARGV[6] index cap, ARGV[7..] fields.
     */
    private static final String CREATE = """
            redis.call('HSET', KEYS[1], unpack(ARGV, 7))
            local created = redis.call('HSETNX', KEYS[1], 'status', 'PENDING')
            redis.call('HSETNX', KEYS[1], 'attempts', '0')
            redis.call('EXPIRE', KEYS[1], ARGV[1])
            redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])
            redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -1 - tonumber(ARGV[6]))
            if created == 1 then redis.call('PUBLISH', ARGV[2], ARGV[3]) end
            return created
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
        List<String> args = new ArrayList<>(List.of("2", RedisKeys.task(task.id()), RedisKeys.RECENT_TASKS,
                Long.toString(ttl.toSeconds()), RedisKeys.TASK_EVENTS_CHANNEL, json(event),
                Long.toString(task.createdAt().toEpochMilli()), task.id(), Integer.toString(RedisKeys.RECENT_TASKS_CAP)));
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
