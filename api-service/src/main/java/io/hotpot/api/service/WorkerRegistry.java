package io.hotpot.api.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.api.config.ApiConfig;
import io.hotpot.common.RedisKeys;
import io.hotpot.common.TaskTypeInfo;
import io.hotpot.common.WorkerHeartbeat;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.sortedset.ReactiveSortedSetCommands;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;

/**
 * The live workers, read from their heartbeats in Redis. The answer is reused for a short time
 * ({@code hotpot.workers.cache-for}) so a burst of submissions costs one Redis round trip.
 */
@ApplicationScoped
public class WorkerRegistry {
    private static final Logger LOG = Logger.getLogger(WorkerRegistry.class);

    private final ReactiveSortedSetCommands<String, String> index;
    private final ReactiveValueCommands<String, String> values;
    private final ObjectMapper mapper;
    private final Duration liveness;
    private final Uni<List<WorkerHeartbeat>> cached;

    public WorkerRegistry(ReactiveRedisDataSource redis, ObjectMapper mapper, ApiConfig config) {
        this.index = redis.sortedSet(String.class);
        this.values = redis.value(String.class);
        this.mapper = mapper;
        this.liveness = config.workers().liveness();
        this.cached = Uni.createFrom().deferred(this::load).memoize().atLeast(config.workers().cacheFor());
    }

    /** Workers whose heartbeat is recent, freshly read from Redis. */
    public Uni<List<WorkerHeartbeat>> liveWorkers() {
        return load();
    }

    /** Every task type some live worker handles, by name (possibly slightly stale, see the class note). */
    public Uni<Map<String, TaskTypeInfo>> liveTypes() {
        return cached.map(WorkerRegistry::typesOf);
    }

    /** Every logical queue some live worker consumes (possibly slightly stale). */
    public Uni<List<String>> liveQueues() {
        return cached.map(workers -> workers.stream().flatMap(w -> w.queues().stream()).distinct().sorted().toList());
    }

    private Uni<List<WorkerHeartbeat>> load() {
        double since = System.currentTimeMillis() - liveness.toMillis();
        return index.zrangebyscore(RedisKeys.WORKERS, new ScoreRange<>(since, Double.POSITIVE_INFINITY))
                .flatMap(ids -> ids.isEmpty()
                        ? Uni.createFrom().item(List.<WorkerHeartbeat>of())
                        : values.mget(ids.stream().map(RedisKeys::worker).toArray(String[]::new))
                                .map(found -> parse(found.values())));
    }

    private List<WorkerHeartbeat> parse(Collection<String> json) {
        List<WorkerHeartbeat> workers = new ArrayList<>();
        for (String each : json) {
            if (each == null) {
                continue; // expired between the index read and the value read
            }
            try {
                workers.add(mapper.readValue(each, WorkerHeartbeat.class));
            } catch (JsonProcessingException e) {
                LOG.warnf("HOTPOT-API-010 ignoring an unreadable worker heartbeat: %s", e.getOriginalMessage());
            }
        }
        return workers;
    }

    private static Map<String, TaskTypeInfo> typesOf(List<WorkerHeartbeat> workers) {
        Map<String, TaskTypeInfo> types = new TreeMap<>();
        for (WorkerHeartbeat worker : workers) {
            for (TaskTypeInfo type : worker.types()) {
                types.putIfAbsent(type.type(), type);
            }
        }
        return types;
    }
}
