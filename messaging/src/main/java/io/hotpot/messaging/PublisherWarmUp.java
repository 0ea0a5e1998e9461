package io.hotpot.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.hotpot.common.Amqp;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

/**
 * The connector opens an outgoing channel's connection on its first message. A service that
 * publishes tasks sends that first message at start-up, to {@link Amqp#PING_QUEUE} (which keeps
 * nothing), and is ready only once RabbitMQ confirmed it: the first task then does not wait for a
 * connection, and a slow first confirm cannot make a caller retry what was in fact queued.
 * Off where nothing publishes tasks ({@code rabbitmq.publisher-warm-up=false}, worker-service).
 */
@ApplicationScoped
public class PublisherWarmUp {
    private static final Logger LOG = Logger.getLogger(PublisherWarmUp.class);

    private final TaskPublisher publisher;
    private final QueueTopology topology;
    private final boolean publishes;
    private volatile boolean confirmed;

    public PublisherWarmUp(TaskPublisher publisher, QueueTopology topology, RabbitConfig config) {
        this.publisher = publisher;
        this.topology = topology;
        this.publishes = config.publisherWarmUp();
    }

    void start(@Observes StartupEvent event) {
        if (!publishes) {
            return;
        }
        topology.declare(List.of())
                .chain(() -> Uni.createFrom().completionStage(() -> publisher.publish(Amqp.PING_QUEUE, 0, "ping",
                        "ping", null, Instant.now(), new byte[0])))
                .onFailure().invoke(e -> LOG.debugf("publisher warm-up: %s", e.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(1)).indefinitely()
                .subscribe().with(ignored -> {
                    confirmed = true;
                    LOG.infof("HOTPOT-MSG-003 the task publisher is connected (first message confirmed)");
                }, e -> LOG.warnf("HOTPOT-MSG-004 the task publisher did not connect: %s", e.getMessage()));
    }

    /** Whether this service's task publisher has had a message confirmed (always true where it publishes nothing). */
    public boolean ready() {
        return !publishes || confirmed;
    }
}
