package io.hotpot.api.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.api.config.ApiConfig;
import io.hotpot.common.RedisKeys;
import io.hotpot.common.WorkerHeartbeat;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.sortedset.ReactiveSortedSetCommands;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;

/**
 * The live workers, read from their heartbeats in Redis. The answer is reused for a short time
 * ({@code hotpot.workers.cache-for}) so a burst of submissions costs one Redis round trip. What
 * submissions are checked against is the {@link TaskCatalogue}; this only says who runs them now.
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

    /** Workers whose heartbeat is recent, possibly {@code hotpot.workers.cache-for} old. */
    public Uni<List<WorkerHeartbeat>> recentWorkers() {
        return cached;
    }

    /**
     * How many live workers consume this queue and handle this type. From the cached view, read
     * again when it counts none (a worker may have started a moment ago).
     */
    public Uni<Integer> serving(String type, String queue) {
        return cached.map(workers -> count(workers, type, queue))
                .flatMap(count -> count > 0 ? Uni.createFrom().item(count) : load().map(workers -> count(workers, type, queue)));
    }

    private static int count(List<WorkerHeartbeat> workers, String type, String queue) {
        return (int) workers.stream()
                .filter(w -> w.queues().contains(queue) && w.types().stream().anyMatch(t -> t.type().equals(type)))
                .count();
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

}
