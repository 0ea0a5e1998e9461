package io.hotpot.common;

import java.time.Instant;
import java.util.List;

/**
 * What a worker replica says about itself every few seconds, stored at
 * {@link RedisKeys#worker(String)} with an expiry and indexed in {@link RedisKeys#WORKERS}.
 *
 * @param id          worker id (host name and process id)
 * @param queues      logical queues it consumes
 * @param types       the task types it handles
 * @param concurrency how many tasks it runs at once (also its prefetch)
 * @param cpuThreads  size of its pool for CPU-bound handlers
 * @param inFlight    tasks running right now
 * @param startedAt   when the worker started
 * @param at          when this heartbeat was sent
 */
public record WorkerHeartbeat(
        String id,
        List<String> queues,
        List<TaskTypeInfo> types,
        int concurrency,
        int cpuThreads,
        int inFlight,
        Instant startedAt,
        Instant at) {
}
