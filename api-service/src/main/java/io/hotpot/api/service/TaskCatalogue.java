package io.hotpot.api.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.api.config.ApiConfig;
import io.hotpot.common.Amqp;
import io.hotpot.common.RedisKeys;
import io.hotpot.common.TaskTypeInfo;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * The task types and queues api-service accepts, whether or not a worker is alive this second:
 * what workers advertised in their heartbeats (kept in Redis for {@code hotpot.catalogue.retention}
 * after the last one, or until removed through the API), plus what the configuration declares
 * ({@code hotpot.catalogue.*}) and the {@code default} queue. The copy read from Redis is reused
 * for {@code hotpot.catalogue.cache-for}; a name missing from it is looked up again before a
 * submission is refused, so a worker that has just advertised is never refused for a stale copy.
 */
@ApplicationScoped
public class TaskCatalogue {
    private static final Logger LOG = Logger.getLogger(TaskCatalogue.class);

    /**
     * Drops the entries not advertised within the retention, then returns the rest. KEYS types,
     * types seen, queues; ARGV oldest time kept (epoch ms). Reply: the types hash as a flat list,
     * then the types and queues with their scores.
     */
    private static final String READ = """
            local oldest = '(' .. ARGV[1]
            local gone = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', oldest)
            for _, type in ipairs(gone) do
              redis.call('HDEL', KEYS[1], type)
            end
            redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', oldest)
            redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', oldest)
            return {redis.call('HGETALL', KEYS[1]), redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES'),
                    redis.call('ZRANGE', KEYS[3], 0, -1, 'WITHSCORES')}
            """;
    /** KEYS types, types seen; ARGV type. Reply: 1 when it was there. */
    private static final String REMOVE_TYPE = """
            redis.call('HDEL', KEYS[1], ARGV[1])
            return redis.call('ZREM', KEYS[2], ARGV[1])
            """;

    private final ReactiveRedisDataSource redis;
    private final ObjectMapper mapper;
    private final Duration retention;
    private final Map<String, TaskTypeInfo> declaredTypes;
    private final List<String> declaredQueues;
    private final Uni<Known> cached;

    public TaskCatalogue(ReactiveRedisDataSource redis, ObjectMapper mapper, ApiConfig config) {
        this.redis = redis;
        this.mapper = mapper;
        this.retention = config.catalogue().retention();
        this.declaredTypes = parseDeclaredTypes(mapper, config.catalogue().types().orElse(""));
        TreeSet<String> queues = new TreeSet<>(config.catalogue().queues().orElse(List.of()).stream()
                .map(String::trim).filter(q -> !q.isEmpty()).toList());
        for (String queue : queues) {
            if (!TaskService.QUEUE_NAME.matcher(queue).matches()) {
                throw new IllegalArgumentException("hotpot.catalogue.queues: '" + queue + "' is not a valid queue name"
                        + " (1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit)");
            }
        }
        queues.add(Amqp.DEFAULT_QUEUE);
        this.declaredQueues = List.copyOf(queues);
        this.cached = Uni.createFrom().deferred(this::load).memoize().atLeast(config.catalogue().cacheFor());
    }

    /**
     * What the catalogue holds at one moment.
     *
     * @param types  every accepted type by name
     * @param queues every accepted logical queue, sorted
     * @param typesSeen  when a worker last advertised each type (absent for types only declared)
     * @param queuesSeen when a worker last advertised each queue (absent for queues only declared)
     */
    public record Known(Map<String, TaskTypeInfo> types, List<String> queues, Map<String, Instant> typesSeen,
            Map<String, Instant> queuesSeen) {
    }

    /**
     * The logical queues the configuration declares, {@code default} included: the ones whose
     * RabbitMQ queues (and dead-letter queues) api-service must declare at start-up, since no
     * worker may have declared them yet.
     */
    public List<String> declaredQueues() {
        return declaredQueues;
    }

    /** The types the configuration declares, by name. */
    public Map<String, TaskTypeInfo> declaredTypes() {
        return declaredTypes;
    }

    /** The catalogue, possibly {@code hotpot.catalogue.cache-for} old. */
    public Uni<Known> known() {
        return cached;
    }

    /** The catalogue read from Redis now. */
    public Uni<Known> fresh() {
        return load();
    }

    /**
     * The catalogue in which a submission's type and queue are looked up: the cached copy when it
     * knows both, else a fresh read (a worker may have advertised them a moment ago).
     */
    public Uni<Known> lookup(String type, String queue) {
        return cached.flatMap(known -> known.types().containsKey(type) && known.queues().contains(queue)
                ? Uni.createFrom().item(known)
                : load());
    }

    /** Removes a type workers advertised; {@code false} when the catalogue had no such advertised type. */
    public Uni<Boolean> removeType(String type) {
        return redis.execute("EVAL", REMOVE_TYPE, "2", RedisKeys.CATALOGUE_TYPES, RedisKeys.CATALOGUE_TYPES_SEEN, type)
                .map(reply -> reply.toInteger() == 1);
    }

    /** Removes a queue workers advertised; {@code false} when the catalogue had no such advertised queue. */
    public Uni<Boolean> removeQueue(String queue) {
        return redis.sortedSet(String.class).zrem(RedisKeys.CATALOGUE_QUEUES, queue).map(removed -> removed == 1);
    }

    private Uni<Known> load() {
        long oldest = System.currentTimeMillis() - retention.toMillis();
        return redis.execute("EVAL", READ, "3", RedisKeys.CATALOGUE_TYPES, RedisKeys.CATALOGUE_TYPES_SEEN,
                RedisKeys.CATALOGUE_QUEUES, Long.toString(oldest)).map(this::parse);
    }

    private Known parse(Response reply) {
        Map<String, TaskTypeInfo> types = new TreeMap<>(declaredTypes);
        Response hash = reply.get(0);
        for (int i = 0; i + 1 < hash.size(); i += 2) {
            String name = hash.get(i).toString();
            try {
                types.put(name, mapper.readValue(hash.get(i + 1).toString(), TaskTypeInfo.class));
            } catch (JsonProcessingException e) {
                LOG.warnf("HOTPOT-API-050 ignoring the unreadable catalogue entry of the task type '%s': %s", name,
                        e.getOriginalMessage());
            }
        }
        Map<String, Instant> typesSeen = scores(reply.get(1));
        types.keySet().removeIf(name -> !declaredTypes.containsKey(name) && !typesSeen.containsKey(name));
        Map<String, Instant> queuesSeen = scores(reply.get(2));
        TreeSet<String> queues = new TreeSet<>(declaredQueues);
        queues.addAll(queuesSeen.keySet());
        return new Known(Collections.unmodifiableMap(types), List.copyOf(queues), typesSeen, queuesSeen);
    }

    private static Map<String, Instant> scores(Response withScores) {
        Map<String, Instant> seen = new LinkedHashMap<>();
        for (int i = 0; i + 1 < withScores.size(); i += 2) {
            seen.put(withScores.get(i).toString(), Instant.ofEpochMilli((long) Double.parseDouble(withScores.get(i + 1).toString())));
        }
        return Collections.unmodifiableMap(seen);
    }

    private static Map<String, TaskTypeInfo> parseDeclaredTypes(ObjectMapper mapper, String json) {
        if (json.isBlank()) {
            return Map.of();
        }
        List<TaskTypeInfo> types = new ArrayList<>();
        String example = "hotpot.catalogue.types is not a JSON array of task types such as"
                + " [{\"type\":\"add\",\"args\":[{\"name\":\"x\",\"type\":\"INTEGER\",\"required\":true}]}]";
        try {
            com.fasterxml.jackson.databind.JsonNode array = mapper.readTree(json);
            if (!array.isArray()) {
                throw new IllegalArgumentException(example);
            }
            // Element by element with a Class, so the native reflection check sees TaskTypeInfo.
            for (com.fasterxml.jackson.databind.JsonNode element : array) {
                types.add(mapper.convertValue(element, TaskTypeInfo.class));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(example + ": " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw e.getMessage() != null && e.getMessage().startsWith("hotpot.catalogue.types") ? e
                    : new IllegalArgumentException(example + ": " + e.getMessage(), e);
        }
        Map<String, TaskTypeInfo> byName = new TreeMap<>();
        List<String> unnamed = new ArrayList<>();
        for (TaskTypeInfo type : types) {
            if (type.type() == null || type.type().isBlank()) {
                unnamed.add(String.valueOf(type));
            } else {
                byName.put(type.type(), type);
            }
        }
        if (!unnamed.isEmpty()) {
            throw new IllegalArgumentException("hotpot.catalogue.types: every entry needs a \"type\": " + unnamed);
        }
        return Collections.unmodifiableMap(byName);
    }
}
