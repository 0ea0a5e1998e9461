package io.hotpot.worker.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.hotpot.common.TaskMessage;
import io.hotpot.common.TaskStatus;
import io.hotpot.common.Telemetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The worker's task metrics, each tagged by task type and logical queue (names in
 * {@link Telemetry}): attempts started, succeeded, failed and retried; how long handlers ran; and
 * how long tasks waited between acceptance and start. The histograms use fixed buckets from half
 * a millisecond to five minutes, so Prometheus can aggregate them across replicas.
 */
@ApplicationScoped
public class WorkerMetrics {
    /** Bucket bounds of both histograms: sub-millisecond handlers up to long I/O tasks. */
    private static final Duration[] BUCKETS = { Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2),
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofMinutes(5) };

    private final MeterRegistry registry;
    /** Meters of one type and queue, made once: the hot path only looks them up. */
    private final Map<String, Meters> meters = new ConcurrentHashMap<>();

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * An attempt starts: counts it and records its wait since acceptance. Returns the start of
     * the run in {@link System#nanoTime()} terms, to hand back to {@link #finished}.
     */
    public long started(TaskMessage task, Instant startedAt) {
        Meters m = meters(task.type(), task.queue());
        m.started.increment();
        if (task.createdAt() != null) {
            long waitedNanos = Duration.between(task.createdAt(), startedAt).toNanos();
            // Clocks of two machines: a wait below zero is skew, not time travel.
            m.queueWait.record(Math.max(0, waitedNanos), TimeUnit.NANOSECONDS);
        }
        return System.nanoTime();
    }

    /** An attempt ends with {@code status}: records how long it ran and counts its outcome. */
    public void finished(TaskMessage task, TaskStatus status, long startNanos) {
        Meters m = meters(task.type(), task.queue());
        m.runTime.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        switch (status) {
            case SUCCESS -> m.succeeded.increment();
            case FAILURE -> m.failed.increment();
            case RETRY -> m.retried.increment();
            default -> {
                // STARTED, PENDING, SCHEDULED, REVOKED: not an outcome of a run
            }
        }
    }

    /** An attempt failed and the task will run again later. */
    public void retried(String type, String queue) {
        meters(type, queue).retried.increment();
    }

    private Meters meters(String type, String queue) {
        return meters.computeIfAbsent(type + '\n' + queue, key -> new Meters(type, queue));
    }

    private final class Meters {
        final Counter started;
        final Counter succeeded;
        final Counter failed;
        final Counter retried;
        final Timer runTime;
        final Timer queueWait;

        Meters(String type, String queue) {
            started = counter(Telemetry.TASKS_STARTED, "Task attempts started", type, queue);
            succeeded = counter(Telemetry.TASKS_SUCCEEDED, "Tasks that ended in SUCCESS", type, queue);
            failed = counter(Telemetry.TASKS_FAILED, "Tasks that ended in FAILURE", type, queue);
            retried = counter(Telemetry.TASKS_RETRIED, "Task attempts that ended in RETRY", type, queue);
            runTime = timer(Telemetry.TASK_RUN_TIME, "How long the handler ran", type, queue);
            queueWait = timer(Telemetry.TASK_QUEUE_WAIT, "From acceptance (createdAt) to start (startedAt)", type, queue);
        }

        private Counter counter(String name, String description, String type, String queue) {
            return Counter.builder(name).description(description)
                    .tag(Telemetry.TAG_TYPE, type).tag(Telemetry.TAG_QUEUE, queue)
                    .register(registry);
        }

        private Timer timer(String name, String description, String type, String queue) {
            return Timer.builder(name).description(description)
                    .tag(Telemetry.TAG_TYPE, type).tag(Telemetry.TAG_QUEUE, queue)
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry);
        }
    }
}
