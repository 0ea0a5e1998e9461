package io.hotpot.messaging;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.Amqp;
import io.hotpot.common.TaskMessage;
import io.hotpot.messaging.internals.AdminConnection;
import io.hotpot.messaging.internals.ConfirmedSend;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;

/**
 * Publishes tasks to {@link Amqp#TASKS_EXCHANGE} through the {@code tasks-out} channel: persistent,
 * routed by the logical queue (urgent ones apart with quorum queues, {@link #routingKey}), with the
 * task's priority, and complete only when RabbitMQ confirmed
 * that it holds the message. A stage that fails with {@link PublishException#timedOut()} leaves it
 * unknown whether RabbitMQ holds the message; the caller makes sure a late copy does not run.
 */
@ApplicationScoped
public class TaskPublisher {
    /** The outgoing channel, configured in this module's {@code META-INF/microprofile-config.properties}. */
    public static final String CHANNEL = "tasks-out";
    /** Tasks handed over but not yet confirmed, at most; past it a publish fails at once. */
    static final int BUFFER = 8192;

    private final Emitter<byte[]> emitter;
    private final ObjectMapper mapper;
    private final AdminConnection admin;
    private final Duration timeout;
    private final boolean urgentApart;

    public TaskPublisher(@Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER) Emitter<byte[]> emitter,
            ObjectMapper mapper, AdminConnection admin, RabbitConfig config) {
        this.emitter = emitter;
        this.mapper = mapper;
        this.admin = admin;
        this.timeout = config.publishTimeout();
        this.urgentApart = config.queueType() == Amqp.QueueType.QUORUM;
    }

    /** Whether RabbitMQ answers right now; a publish while it does not would only wait for the timeout. */
    public boolean isConnected() {
        return admin.isOpen();
    }

    /** Publishes a task, serialised as JSON. */
    public CompletionStage<Void> publish(TaskMessage task) {
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(task);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
        return publish(task.queue(), task.priority(), task.id(), task.type(), task.correlationId(), task.createdAt(), body);
    }

    /**
     * Publishes a task whose JSON body is already made (a due task, a re-queued dead letter), unchanged.
     * {@code correlationId} and {@code createdAt} may be null.
     */
    public CompletionStage<Void> publish(String queue, int priority, String id, String type, String correlationId,
            Instant createdAt, byte[] body) {
        return ConfirmedSend.send(emitter, body,
                properties(routingKey(queue, priority, urgentApart), priority, id, type, correlationId, createdAt), timeout);
    }

    /**
     * Where a task goes on {@link Amqp#TASKS_EXCHANGE}: its logical queue, or, with quorum queues
     * (no priorities), that queue's urgent queue when its priority is {@link Amqp#URGENT_PRIORITY} or more.
     */
    static String routingKey(String queue, int priority, boolean urgentApart) {
        return urgentApart && priority >= Amqp.URGENT_PRIORITY ? Amqp.urgentRoutingKey(queue) : queue;
    }

    static OutgoingRabbitMQMetadata properties(String routingKey, Integer priority, String id, String type,
            String correlationId, Instant createdAt) {
        OutgoingRabbitMQMetadata.Builder builder = OutgoingRabbitMQMetadata.builder()
                .withRoutingKey(routingKey)
                .withContentType("application/json")
                .withDeliveryMode(2)
                .withPriority(priority)
                .withMessageId(id)
                .withType(type);
        if (correlationId != null) {
            builder.withCorrelationId(correlationId);
        }
        if (createdAt != null) {
            builder.withTimestamp(createdAt.atZone(ZoneOffset.UTC));
        }
        return builder.build();
    }
}
