package io.hotpot.worker.messaging;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.hotpot.worker.config.WorkerConfig;
import io.hotpot.worker.task.TaskRunner;
import io.hotpot.messaging.QueueTopology;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;

/**
 * Consumes the replica's task queue ({@code hotpot.worker.queue}) on the incoming channel
 * {@value #CHANNEL}, with manual acks and a prefetch equal to the worker's concurrency, and its
 * urgent queue on {@value #URGENT_CHANNEL} (docs/decisions/0032). Every delivery goes to
 * {@link Deliveries}, which runs it and settles it. A consuming channel's connection is recovered
 * by the RabbitMQ Java client, which never tries a first connection again
 * ({@code messaging/internals/ChannelRecovery}): so each channel's stream is subscribed here, at
 * start, and subscribed again a second after it ends (RabbitMQ not there yet at start, or the
 * consumer cancelled by RabbitMQ), and the worker starts and is live without RabbitMQ. At shutdown
 * the channels are paused and the running tasks get the grace period to finish; RabbitMQ
 * redelivers the rest.
 */
@ApplicationScoped
public class TaskConsumer {
    private static final Logger LOG = Logger.getLogger(TaskConsumer.class);

    /** The incoming channel, configured in application.properties for {@code hotpot.worker.queue}. */
    public static final String CHANNEL = "tasks-in";
    /** The incoming channel of the queue's urgent queue ({@code hotpot.worker.urgent-concurrency} at once). */
    public static final String URGENT_CHANNEL = "urgent-in";

    /** How long a consumer whose stream ended waits before it subscribes again. */
    static final Duration RESUBSCRIBE_AFTER = Duration.ofSeconds(1);

    private final Deliveries deliveries;
    private final TaskRunner runner;
    private final WorkerConfig config;
    private final ChannelRegistry channels;
    private final QueueTopology topology;
    private final Multi<Message<byte[]>> tasks;
    private final Multi<Message<byte[]>> urgent;
    private volatile boolean stopping;

    public TaskConsumer(Deliveries deliveries, TaskRunner runner, WorkerConfig config, ChannelRegistry channels,
            QueueTopology topology, @Channel(CHANNEL) Multi<Message<byte[]>> tasks,
            @Channel(URGENT_CHANNEL) Multi<Message<byte[]>> urgent) {
        this.deliveries = deliveries;
        this.runner = runner;
        this.config = config;
        this.channels = channels;
        this.topology = topology;
        this.tasks = tasks;
        this.urgent = urgent;
    }

    /**
     * Declares the consumed queues' dead-letter queues, which the connector does not declare (their
     * queues it does), and starts consuming both channels.
     */
    void start(@Observes StartupEvent event) {
        topology.declareWhenReachable(List.of(config.worker().queue()));
        consume(CHANNEL, tasks);
        consume(URGENT_CHANNEL, urgent);
        LOG.infof("HOTPOT-WORKER-001 worker %s consuming %s, concurrency %d", runner.workerId(),
                config.worker().queue(), config.worker().concurrency());
    }

    /** Hands each delivery of {@code stream} to {@link Deliveries}; a stream that ends is subscribed again. */
    private void consume(String channel, Multi<Message<byte[]>> stream) {
        AtomicBoolean told = new AtomicBoolean();
        stream
                .onCompletion().failWith(() -> new IllegalStateException("RabbitMQ cancelled the consumer"))
                .onFailure(e -> !stopping && told.compareAndSet(false, true))
                .invoke(e -> LOG.warnf("HOTPOT-WORKER-002 the consumer of %s stopped (%s); subscribing again every %d ms until it"
                        + " consumes", channel, e.getMessage(), RESUBSCRIBE_AFTER.toMillis()))
                .onFailure(e -> !stopping).retry().withBackOff(RESUBSCRIBE_AFTER, RESUBSCRIBE_AFTER).indefinitely()
                .subscribe().with(delivery -> {
                    if (told.compareAndSet(true, false)) {
                        LOG.infof("HOTPOT-WORKER-003 the consumer of %s consumes again", channel);
                    }
                    deliveries.take(delivery);
                }, e -> LOG.debugf("the consumer of %s ended: %s", channel, e.getMessage()));
    }

    /** Stops taking messages, lets running tasks finish within the grace period; RabbitMQ redelivers the rest. */
    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        stopping = true;
        for (String name : List.of(CHANNEL, URGENT_CHANNEL)) {
            PausableChannel channel = channels.getPausable(name);
            if (channel != null) {
                channel.pause();
            }
        }
        LOG.infof("HOTPOT-WORKER-020 stopped consuming; waiting up to %s for %d running task(s)",
                config.worker().shutdownGrace(), runner.inFlight());
        if (!runner.drain(config.worker().shutdownGrace())) {
            LOG.warnf("HOTPOT-WORKER-021 %d task(s) still running at the end of the grace period; RabbitMQ will redeliver them",
                    runner.inFlight());
            // The connector keeps its connection until the process ends: settle nothing late, return it all now.
            deliveries.stopping();
            runner.stopNow();
            runner.drain(Duration.ofSeconds(2));
        }
    }
}
