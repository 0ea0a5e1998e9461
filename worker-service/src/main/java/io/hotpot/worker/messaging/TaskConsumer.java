package io.hotpot.worker.messaging;

import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.hotpot.worker.config.WorkerConfig;
import io.hotpot.worker.task.TaskRunner;
import io.hotpot.messaging.QueueTopology;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;

/**
 * Consumes the replica's task queue ({@code hotpot.worker.queue}) on the incoming channel
 * {@value #CHANNEL}, with manual acks and a prefetch equal to the worker's concurrency, and its
 * urgent queue on {@value #URGENT_CHANNEL} (docs/decisions/0032). Every
 * delivery goes to {@link Deliveries}, which runs it and settles it. At shutdown the channel is
 * paused and the running tasks get the grace period to finish; RabbitMQ redelivers the rest.
 */
@ApplicationScoped
public class TaskConsumer {
    private static final Logger LOG = Logger.getLogger(TaskConsumer.class);

    /** The incoming channel, configured in application.properties for {@code hotpot.worker.queue}. */
    public static final String CHANNEL = "tasks-in";
    /** The incoming channel of the queue's urgent queue ({@code hotpot.worker.urgent-concurrency} at once). */
    public static final String URGENT_CHANNEL = "urgent-in";

    private final Deliveries deliveries;
    private final TaskRunner runner;
    private final WorkerConfig config;
    private final ChannelRegistry channels;
    private final QueueTopology topology;

    public TaskConsumer(Deliveries deliveries, TaskRunner runner, WorkerConfig config, ChannelRegistry channels,
            QueueTopology topology) {
        this.deliveries = deliveries;
        this.runner = runner;
        this.config = config;
        this.channels = channels;
        this.topology = topology;
    }

    /** The consumed queues' dead-letter queues, which the connector does not declare (their queues it does). */
    void declare(@Observes StartupEvent event) {
        topology.declareWhenReachable(List.of(config.worker().queue()));
        LOG.infof("HOTPOT-WORKER-001 worker %s consuming %s, concurrency %d", runner.workerId(),
                config.worker().queue(), config.worker().concurrency());
    }

    @Incoming(CHANNEL)
    public CompletionStage<Void> consume(Message<byte[]> delivery) {
        return deliveries.take(delivery);
    }

    @Incoming(URGENT_CHANNEL)
    public CompletionStage<Void> consumeUrgent(Message<byte[]> delivery) {
        return deliveries.take(delivery);
    }

    /** Stops taking messages, lets running tasks finish within the grace period; RabbitMQ redelivers the rest. */
    void stop(@Observes ShutdownEvent event) throws InterruptedException {
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
            runner.drain(java.time.Duration.ofSeconds(2));
        }
    }
}
