package io.hotpot.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.hotpot.common.Amqp;
import io.hotpot.messaging.internals.ConfirmedSend;

/**
 * Puts a task among its queue's dead letters ({@link Amqp#deadQueueName(String)}) through the
 * {@code dead-letters-out} channel, confirmed like {@link TaskPublisher}. Used where the delivery
 * can no longer be rejected into them (it was acknowledged early, docs/decisions/0031).
 */
@ApplicationScoped
public class DeadLetterPublisher {
    /** The outgoing channel, configured in this module's {@code META-INF/microprofile-config.properties}. */
    public static final String CHANNEL = "dead-letters-out";

    private final Emitter<byte[]> emitter;
    private final Duration timeout;

    public DeadLetterPublisher(@Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024) Emitter<byte[]> emitter,
            RabbitConfig config) {
        this.emitter = emitter;
        this.timeout = config.publishTimeout();
    }

    /** Publishes the task's body, unchanged, to the dead letters of {@code queue}. */
    public CompletionStage<Void> publish(String queue, int priority, String id, String type, String correlationId,
            Instant createdAt, byte[] body) {
        return ConfirmedSend.send(emitter, body,
                TaskPublisher.properties(queue, priority, id, type, correlationId, createdAt), timeout);
    }
}
