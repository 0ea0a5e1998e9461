package io.hotpot.api.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.hotpot.api.config.ApiConfig;
import io.hotpot.api.service.TaskCatalogue;
import io.hotpot.messaging.QueueInspector;
import io.hotpot.common.Amqp;
import io.hotpot.common.Telemetry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;

/**
 * Reads the depth (ready messages) and consumer count of every task queue from RabbitMQ at a
 * fixed interval (a {@code @Scheduled} job on a worker thread, through {@link QueueInspector}, so
 * a slow broker never blocks a request or the event loop) and exposes them as gauges tagged by queue.
 * The queues are those of the catalogue ({@link TaskCatalogue}), with or without a live worker. A
 * queue that no longer exists drops its gauges.
 */
@ApplicationScoped
public class QueueDepths {
    private static final Logger LOG = Logger.getLogger(QueueDepths.class);

    private final QueueInspector inspector;
    private final TaskCatalogue catalogue;
    private final MeterRegistry registry;
    private final Duration interval;
    private final Map<String, Depth> depths = new ConcurrentHashMap<>();
    private final AtomicLong unroutable = new AtomicLong();

    public QueueDepths(QueueInspector inspector, TaskCatalogue catalogue, MeterRegistry registry,
            ApiConfig config) {
        this.inspector = inspector;
        this.catalogue = catalogue;
        this.registry = registry;
        this.interval = config.metrics().queueDepthInterval();
        Gauge.builder(Telemetry.UNROUTABLE_MESSAGES, unroutable, AtomicLong::doubleValue)
                .description("Tasks kept in hotpot.unroutable: published for a queue that did not exist")
                .register(registry);
    }

    @Scheduled(identity = "queue-depths", every = "${hotpot.metrics.queue-depth-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        readAll();
    }

    /** Reads every known queue once; public so a test can read without waiting for the interval. */
    public void readAll() {
        if (!inspector.isConnected()) {
            return;
        }
        Set<String> queues = new TreeSet<>(depths.keySet());
        queues.add(Amqp.DEFAULT_QUEUE);
        try {
            queues.addAll(catalogue.fresh().await().atMost(interval).queues());
        } catch (RuntimeException e) {
            LOG.debugf("HOTPOT-API-041 the catalogue's queues could not be read (%s); reading the known ones", e.getMessage());
        }
        List<QueueInspector.QueueState> states;
        try {
            states = inspector.inspect(List.copyOf(queues)).await().atMost(interval);
        } catch (RuntimeException e) {
            LOG.warnf("HOTPOT-API-040 queue depths could not be read from RabbitMQ: %s", e.getMessage());
            return;
        }
        readUnroutable();
        Set<String> found = new TreeSet<>();
        for (QueueInspector.QueueState state : states) {
            Depth depth = depths.computeIfAbsent(state.name(), this::register);
            depth.messages.set(state.depth());
            depth.consumers.set(state.consumers());
            found.add(state.name());
        }
        // A queue that no longer exists drops its gauges.
        for (String queue : queues) {
            Depth gone = found.contains(queue) ? null : depths.remove(queue);
            if (gone != null) {
                registry.remove(gone.messagesGauge);
                registry.remove(gone.consumersGauge);
            }
        }
    }

    private void readUnroutable() {
        try {
            long kept = inspector.unroutable().await().atMost(interval);
            if (kept > 0 && unroutable.get() != kept) {
                LOG.warnf("HOTPOT-API-042 %d task(s) are kept in %s: they were published for a queue that did not exist"
                        + " (deleted by hand?). Declare the queue and move them, or delete them", kept, Amqp.UNROUTABLE_QUEUE);
            }
            unroutable.set(kept);
        } catch (RuntimeException e) {
            LOG.debugf("the unroutable queue could not be read: %s", e.getMessage());
        }
    }

    private Depth register(String queue) {
        Depth depth = new Depth();
        depth.messagesGauge = Gauge.builder(Telemetry.QUEUE_MESSAGES, depth.messages, AtomicLong::doubleValue)
                .description("Messages ready in the task queue, as RabbitMQ last reported them")
                .tag(Telemetry.TAG_QUEUE, queue)
                .register(registry);
        depth.consumersGauge = Gauge.builder(Telemetry.QUEUE_CONSUMERS, depth.consumers, AtomicLong::doubleValue)
                .description("Consumers attached to the task queue, as RabbitMQ last reported them")
                .tag(Telemetry.TAG_QUEUE, queue)
                .register(registry);
        return depth;
    }

    private static final class Depth {
        final AtomicLong messages = new AtomicLong();
        final AtomicLong consumers = new AtomicLong();
        Gauge messagesGauge;
        Gauge consumersGauge;
    }
}
