package io.hotpot.worker.task;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.RedisKeys;
import io.hotpot.common.TaskTypeInfo;
import io.hotpot.common.WorkerHeartbeat;
import io.hotpot.worker.config.WorkerConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Tells Redis every few seconds that this worker lives, which task types and queues it serves
 * and how busy it is. The heartbeat expires, so a dead worker disappears by itself; the types and
 * queues also go into the catalogue, which outlives it, so api-service keeps accepting them.
 */
@ApplicationScoped
public class HeartbeatJob {
    private static final Logger LOG = Logger.getLogger(HeartbeatJob.class);

    private final RedisDataSource redis;
    private final ObjectMapper mapper;
    private final TaskRunner runner;
    private final HandlerRegistry handlers;
    private final WorkerConfig config;
    private final Instant startedAt = Instant.now();

    public HeartbeatJob(RedisDataSource redis, ObjectMapper mapper, TaskRunner runner, HandlerRegistry handlers,
            WorkerConfig config) {
        this.redis = redis;
        this.mapper = mapper;
        this.runner = runner;
        this.handlers = handlers;
        this.config = config;
    }

    /** A worker that stops cleanly leaves at once instead of waiting for its heartbeat to expire. */
    void leave(@Observes ShutdownEvent event) {
        try {
            redis.execute("EVAL", "redis.call('DEL', KEYS[1]) redis.call('ZREM', KEYS[2], ARGV[1])", "2",
                    RedisKeys.worker(runner.workerId()), RedisKeys.WORKERS, runner.workerId());
        } catch (Exception e) {
            LOG.debugf("heartbeat not removed: %s", e.getMessage());
        }
    }

    /**
     * The heartbeat, and the catalogue entries of this worker's queues and types, in one script:
     * KEYS heartbeat, live-worker index, catalogue types, types seen, queues; ARGV heartbeat JSON,
     * ttl ms, now ms, worker id, number of queues, the queues, then type name and type JSON pairs.
     */
    private static final String BEAT = """
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
            redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[3] - 10 * ARGV[2])
            local queues = tonumber(ARGV[5])
            for i = 6, 5 + queues do
              redis.call('ZADD', KEYS[5], ARGV[3], ARGV[i])
            end
            for i = 6 + queues, #ARGV, 2 do
              redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1])
              redis.call('ZADD', KEYS[4], ARGV[3], ARGV[i])
            end
            """;

    @Scheduled(every = "${hotpot.worker.heartbeat-interval}", delayed = "0s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void beat() {
        try {
            Instant now = Instant.now();
            List<TaskTypeInfo> types = handlers.types();
            List<String> queues = List.of(config.worker().queue());
            WorkerHeartbeat heartbeat = new WorkerHeartbeat(runner.workerId(), queues,
                    types, config.worker().concurrency(), runner.cpuThreads(), runner.inFlight(), startedAt, now);
            long ttl = config.worker().heartbeatTtl().toMillis();
            List<String> args = new ArrayList<>(List.of(BEAT, "5", RedisKeys.worker(runner.workerId()),
                    RedisKeys.WORKERS, RedisKeys.CATALOGUE_TYPES, RedisKeys.CATALOGUE_TYPES_SEEN, RedisKeys.CATALOGUE_QUEUES,
                    mapper.writeValueAsString(heartbeat), Long.toString(ttl), Long.toString(now.toEpochMilli()),
                    runner.workerId(), Integer.toString(queues.size())));
            args.addAll(queues);
            for (TaskTypeInfo type : types) {
                args.add(type.type());
                args.add(mapper.writeValueAsString(type));
            }
            redis.execute("EVAL", args.toArray(String[]::new));
        } catch (Exception e) {
            LOG.warnf("HOTPOT-WORKER-040 heartbeat not written: %s", e.getMessage());
        }
    }
}
