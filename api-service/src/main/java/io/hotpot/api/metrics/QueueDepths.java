package io.hotpot.api.metrics;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import io.hotpot.api.config.ApiConfig;
import io.hotpot.api.messaging.TaskPublisher;
import io.hotpot.api.service.WorkerRegistry;
import io.hotpot.common.Amqp;
import io.hotpot.common.Telemetry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Reads the depth (ready messages) and consumer count of every task queue from RabbitMQ at a
 * fixed interval and exposes them as gauges tagged by queue. The queues are {@code default} and
 * those live workers advertise. Each read is a passive declare on a short-lived channel of the
 * publisher's connection (the publisher's own channel is never touched), on a thread of its own,
 * so a slow broker never blocks a request. A queue that no longer exists drops its gauges.
 */
@ApplicationScoped
public class QueueDepths {
    private static final Logger LOG = Logger.getLogger(QueueDepths.class);
    /** RabbitMQ's reply code for a queue that does not exist. */
    private static final int NOT_FOUND = 404;

    private final TaskPublisher publisher;
    private final WorkerRegistry workers;
    private final MeterRegistry registry;
    private final Duration interval;
    private final Map<String, Depth> depths = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("hotpot-queue-depths").daemon().factory());

    public QueueDepths(TaskPublisher publisher, WorkerRegistry workers, MeterRegistry registry, ApiConfig config) {
        this.publisher = publisher;
        this.workers = workers;
        this.registry = registry;
        this.interval = config.metrics().queueDepthInterval();
    }

    void start(@Observes StartupEvent event) {
        thread.scheduleWithFixedDelay(this::readAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        thread.shutdownNow();
    }

    /** Reads every known queue once; public so a test can read without waiting for the interval. */
    public void readAll() {
        Connection connection = publisher.connection();
        if (connection == null || !connection.isOpen()) {
            return;
        }
        Set<String> queues = new TreeSet<>(depths.keySet());
        queues.add(Amqp.DEFAULT_QUEUE);
        try {
            queues.addAll(workers.liveQueues().await().atMost(interval));
        } catch (RuntimeException e) {
            LOG.debugf("HOTPOT-API-041 the live queues could not be read (%s); reading the known ones", e.getMessage());
        }
        Channel channel = null;
        try {
            for (String queue : queues) {
                if (channel == null || !channel.isOpen()) {
                    channel = connection.createChannel();
                }
                read(channel, queue);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("HOTPOT-API-040 queue depths could not be read from RabbitMQ: %s", e.getMessage());
        } finally {
            close(channel);
        }
    }

    private void read(Channel channel, String queue) throws IOException {
        try {
            AMQP.Queue.DeclareOk ok = channel.queueDeclarePassive(Amqp.queueName(queue));
            Depth depth = depths.computeIfAbsent(queue, this::register);
            depth.messages.set(ok.getMessageCount());
            depth.consumers.set(ok.getConsumerCount());
        } catch (IOException e) {
            if (!isNotFound(e)) {
                throw e;
            }
            // The passive declare of a missing queue closed the channel; the next read opens another.
            Depth gone = depths.remove(queue);
            if (gone != null) {
                registry.remove(gone.messagesGauge);
                registry.remove(gone.consumersGauge);
            }
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

    private static boolean isNotFound(IOException e) {
        return e.getCause() instanceof com.rabbitmq.client.ShutdownSignalException signal
                && signal.getReason() instanceof AMQP.Channel.Close close
                && close.getReplyCode() == NOT_FOUND;
    }

    private static void close(Channel channel) {
        if (channel != null && channel.isOpen()) {
            try {
                channel.close();
            } catch (IOException | RuntimeException | java.util.concurrent.TimeoutException e) {
                LOG.debugf("closing the queue depth channel: %s", e.getMessage());
            }
        }
    }

    private static final class Depth {
        final AtomicLong messages = new AtomicLong();
        final AtomicLong consumers = new AtomicLong();
        Gauge messagesGauge;
        Gauge consumersGauge;
    }
}
