package io.hotpot.messaging;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;

import io.hotpot.common.Amqp;
import io.hotpot.messaging.internals.AdminConnection;
import io.smallrye.mutiny.Uni;

/**
 * Declares Hotpot's RabbitMQ objects by name: the exchanges ({@link Amqp#TASKS_EXCHANGE} with its
 * alternate exchange, {@link Amqp#DEAD_EXCHANGE}, {@link Amqp#UNROUTABLE_EXCHANGE} and its queue)
 * and, for a logical queue, its task queue and dead-letter queue with their bindings. Every service
 * declares what it needs before it relies on it; declarations are idempotent, and their arguments
 * come from {@link Amqp} so that they never disagree.
 */
@ApplicationScoped
public class QueueTopology {
    private static final Logger LOG = Logger.getLogger(QueueTopology.class);

    private final AdminConnection admin;

    public QueueTopology(AdminConnection admin) {
        this.admin = admin;
    }

    /** Declares the exchanges and the given logical queues (each with its dead-letter queue). */
    public Uni<Void> declare(Collection<String> logicalQueues) {
        List<String> queues = List.copyOf(logicalQueues);
        return admin.call(channel -> {
            declareExchanges(channel);
            for (String queue : queues) {
                declareQueue(channel, queue);
            }
            return null;
        }).replaceWithVoid();
    }

    /**
     * Declares them as soon as RabbitMQ answers, trying again each second, in the background; for
     * start-up, where the broker may not be there yet.
     */
    public void declareWhenReachable(Collection<String> logicalQueues) {
        declare(logicalQueues)
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(1)).indefinitely()
                .subscribe().with(
                        ignored -> LOG.infof("HOTPOT-MSG-010 declared the task queues %s", logicalQueues),
                        e -> LOG.warnf("HOTPOT-MSG-011 the task queues %s were not declared: %s", logicalQueues, e.getMessage()));
    }

    private static void declareExchanges(Channel channel) throws IOException {
        channel.exchangeDeclare(Amqp.UNROUTABLE_EXCHANGE, BuiltinExchangeType.FANOUT, true);
        channel.queueDeclare(Amqp.UNROUTABLE_QUEUE, true, false, false, null);
        channel.queueBind(Amqp.UNROUTABLE_QUEUE, Amqp.UNROUTABLE_EXCHANGE, "");
        channel.exchangeDeclare(Amqp.TASKS_EXCHANGE, BuiltinExchangeType.DIRECT, true, false, Amqp.exchangeArguments());
        channel.exchangeDeclare(Amqp.DEAD_EXCHANGE, BuiltinExchangeType.DIRECT, true);
        channel.queueDeclare(Amqp.PING_QUEUE, true, false, false, java.util.Map.of("x-max-length", 0));
        channel.queueBind(Amqp.PING_QUEUE, Amqp.TASKS_EXCHANGE, Amqp.PING_QUEUE);
    }

    private static void declareQueue(Channel channel, String queue) throws IOException {
        channel.queueDeclare(Amqp.queueName(queue), true, false, false, Amqp.queueArguments());
        channel.queueBind(Amqp.queueName(queue), Amqp.TASKS_EXCHANGE, queue);
        channel.queueDeclare(Amqp.deadQueueName(queue), true, false, false, null);
        channel.queueBind(Amqp.deadQueueName(queue), Amqp.DEAD_EXCHANGE, queue);
    }
}
