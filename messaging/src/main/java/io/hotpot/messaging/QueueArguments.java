package io.hotpot.messaging;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import io.hotpot.common.Amqp;
import io.smallrye.common.annotation.Identifier;

/**
 * The arguments the connector declares Hotpot's exchange and task queues with, named in the
 * channels' configuration ({@code exchange.arguments}, {@code queue.arguments}). They come from
 * {@link Amqp} and {@link RabbitConfig#queueType()}, as {@link QueueTopology}'s do, so every
 * declaration of the same object, whoever makes it, has the same arguments.
 */
@ApplicationScoped
public class QueueArguments {
    /** Identifier of {@link Amqp#exchangeArguments()} in channel configuration. */
    public static final String WORK_EXCHANGE = "hotpot-work-exchange";
    /** Identifier of {@link #taskQueue()} in channel configuration (task queues and urgent queues). */
    public static final String TASK_QUEUE = "hotpot-task-queue";

    private final Amqp.QueueType type;
    private final int deliveryLimit;

    @Inject
    public QueueArguments(RabbitConfig config) {
        this(config.queueType(), config.deliveryLimit());
    }

    QueueArguments(Amqp.QueueType type, int deliveryLimit) {
        this.type = type;
        this.deliveryLimit = deliveryLimit;
    }

    /** What task queues are: classic with priorities, or quorum with a delivery limit. */
    public Amqp.QueueType type() {
        return type;
    }

    /** Arguments of a task queue or an urgent queue. */
    public Map<String, Object> task() {
        return Amqp.queueArguments(type, deliveryLimit);
    }

    /** Arguments of a queue that keeps messages: dead letters, unroutable tasks. */
    public Map<String, Object> keeping() {
        return Amqp.keepingQueueArguments(type);
    }

    @Produces
    @Identifier(WORK_EXCHANGE)
    Map<String, Object> workExchange() {
        return Amqp.exchangeArguments();
    }

    @Produces
    @Identifier(TASK_QUEUE)
    Map<String, Object> taskQueue() {
        return task();
    }
}
