package io.hotpot.api.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.api.config.ApiConfig;
import io.hotpot.common.RedisKeys;
import io.hotpot.common.ScheduleDefinition;
import io.hotpot.common.TaskFields;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.smallrye.mutiny.Uni;

/**
 * Schedules in Redis as api-service sees them: it writes the dynamic ones
 * ({@link RedisKeys#SCHEDULES}) and reads the configured ones a scheduler group's leader
 * published ({@link RedisKeys#configSchedules(String)}). Each write is one script, so a check
 * and the write it guards cannot be separated. The scheduler's leader owns the state hashes;
 * the API only clears the next fire time when the timing or pause changed, so the leader
 * computes it afresh.
 */
@ApplicationScoped
public class ScheduleStore {
    /** Result of a write: done. */
    public static final long DONE = 1;
    /** Result of a write: the name is taken (create) or the schedule changed meanwhile (replace). */
    public static final long CONFLICT = 0;
    /** Result of a write: the name belongs to a configured schedule. */
    public static final long CONFIGURED = -2;

    /** KEYS[1] schedules, KEYS[2] config schedules, KEYS[3] state; ARGV[1] name, ARGV[2] json. */
    private static final String CREATE = """
            if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return -2 end
            if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
            redis.call('DEL', KEYS[3])
            return 1
            """;
    /**
     * KEYS[1] schedules, KEYS[2] state; ARGV[1] name, ARGV[2] the json read before, ARGV[3] new
     * json, ARGV[4] '1' to clear the next fire time.
     */
    private static final String REPLACE = """
            if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
            if ARGV[4] == '1' then redis.call('HDEL', KEYS[2], 'nextFireTime') end
            return 1
            """;
    /** KEYS[1] schedules, KEYS[2] state; ARGV[1] name. */
    private static final String DELETE = """
            if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
            redis.call('DEL', KEYS[2])
            return 1
            """;

    private final ReactiveRedisDataSource redis;
    private final ReactiveHashCommands<String, String, String> hashes;
    private final ObjectMapper mapper;
    private final String configKey;

    public ScheduleStore(ReactiveRedisDataSource redis, ObjectMapper mapper, ApiConfig config) {
        this.redis = redis;
        this.hashes = redis.hash(String.class);
        this.mapper = mapper;
        this.configKey = RedisKeys.configSchedules(config.schedules().schedulerGroup());
    }

    /** A stored definition with the exact JSON it was read from (for compare-and-set). */
    public record Stored(ScheduleDefinition definition, String json) {
    }

    public Uni<Long> create(ScheduleDefinition definition) {
        return redis.execute("EVAL", CREATE, "3", RedisKeys.SCHEDULES, configKey,
                RedisKeys.scheduleState(definition.name()), definition.name(), json(definition))
                .map(r -> r.toLong());
    }

    /** Replaces {@code before} with {@code after}; {@link #CONFLICT} when it changed meanwhile. */
    public Uni<Long> replace(Stored before, ScheduleDefinition after, boolean recompute) {
        return redis.execute("EVAL", REPLACE, "2", RedisKeys.SCHEDULES, RedisKeys.scheduleState(after.name()),
                after.name(), before.json(), json(after), recompute ? "1" : "0").map(r -> r.toLong());
    }

    /** Deletes a dynamic schedule and its state; false when there was none. */
    public Uni<Boolean> delete(String name) {
        return redis.execute("EVAL", DELETE, "2", RedisKeys.SCHEDULES, RedisKeys.scheduleState(name), name)
                .map(r -> r.toLong() == 1);
    }

    /** The dynamic schedule of that name, or {@code null}. */
    public Uni<Stored> findDynamic(String name) {
        return hashes.hget(RedisKeys.SCHEDULES, name).map(json -> json == null ? null : new Stored(read(json), json));
    }

    /** The configured schedule of that name, or {@code null}. */
    public Uni<ScheduleDefinition> findConfigured(String name) {
        return hashes.hget(configKey, name).map(json -> json == null ? null : read(json));
    }

    /** Configured schedules first, then the dynamic ones, each sorted by name. */
    public Uni<List<ScheduleDefinition>> all() {
        return Uni.combine().all().unis(hashes.hgetall(configKey), hashes.hgetall(RedisKeys.SCHEDULES)).asTuple()
                .map(both -> {
                    List<ScheduleDefinition> all = new ArrayList<>();
                    both.getItem1().values().stream().map(this::read).sorted(byName()).forEach(all::add);
                    both.getItem2().values().stream().map(this::read)
                            .filter(d -> !both.getItem1().containsKey(d.name())).sorted(byName()).forEach(all::add);
                    return all;
                });
    }

    /** The scheduler's state of a schedule (fields in {@code ScheduleFields}). */
    public Uni<Map<String, String>> state(String name) {
        return hashes.hgetall(RedisKeys.scheduleState(name));
    }

    /** The status of a task, or {@code null} when its record is gone. */
    public Uni<String> taskStatus(String id) {
        return hashes.hget(RedisKeys.task(id), TaskFields.STATUS);
    }

    private static java.util.Comparator<ScheduleDefinition> byName() {
        return java.util.Comparator.comparing(ScheduleDefinition::name);
    }

    private ScheduleDefinition read(String json) {
        try {
            return mapper.readValue(json, ScheduleDefinition.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable schedule in Redis: " + e.getOriginalMessage(), e);
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
