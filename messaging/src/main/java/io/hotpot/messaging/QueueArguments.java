package io.hotpot.messaging;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.hotpot.common.Amqp;
import io.smallrye.common.annotation.Identifier;

/**
 * The arguments the connector declares Hotpot's exchange and task queues with, named in the
 * channels' configuration ({@code exchange.arguments}, {@code queue.arguments}). They come from
 * {@link Amqp}, so every declaration of the same object, whoever makes it, has the same arguments.
 */
@ApplicationScoped
public class QueueArguments {
    /** Identifier of {@link Amqp#exchangeArguments()} in channel configuration. */
    public static final String WORK_EXCHANGE = "hotpot-work-exchange";
    /** Identifier of {@link Amqp#queueArguments()} in channel configuration. */
    public static final String TASK_QUEUE = "hotpot-task-queue";

    @Produces
    @Identifier(WORK_EXCHANGE)
    Map<String, Object> workExchange() {
        return Amqp.exchangeArguments();
    }

    @Produces
    @Identifier(TASK_QUEUE)
    Map<String, Object> taskQueue() {
        return Amqp.queueArguments();
    }
}
