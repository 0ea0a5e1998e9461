package io.hotpot.messaging;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 * and, for a logical queue, its task queue, its urgent queue (used with quorum queues) and its
 * dead-letter queue with their bindings, of the configured type ({@link QueueArguments}). Every service
 * declares what it needs before it relies on it; declarations are idempotent, and their arguments
 * come from {@link Amqp} so that they never disagree.
 */
@ApplicationScoped
public class QueueTopology {
    private static final Logger LOG = Logger.getLogger(QueueTopology.class);

    private final AdminConnection admin;
    private final QueueArguments arguments;

    public QueueTopology(AdminConnection admin, QueueArguments arguments) {
        this.admin = admin;
        this.arguments = arguments;
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

    private void declareExchanges(Channel channel) throws IOException {
        channel.exchangeDeclare(Amqp.UNROUTABLE_EXCHANGE, BuiltinExchangeType.FANOUT, true);
        channel.queueDeclare(Amqp.UNROUTABLE_QUEUE, true, false, false, arguments.keeping());
        channel.queueBind(Amqp.UNROUTABLE_QUEUE, Amqp.UNROUTABLE_EXCHANGE, "");
        channel.exchangeDeclare(Amqp.TASKS_EXCHANGE, BuiltinExchangeType.DIRECT, true, false, Amqp.exchangeArguments());
        channel.exchangeDeclare(Amqp.DEAD_EXCHANGE, BuiltinExchangeType.DIRECT, true);
        Map<String, Object> ping = new HashMap<>(arguments.keeping());
        ping.put("x-max-length", 0);
        channel.queueDeclare(Amqp.PING_QUEUE, true, false, false, ping);
        channel.queueBind(Amqp.PING_QUEUE, Amqp.TASKS_EXCHANGE, Amqp.PING_QUEUE);
    }

    private void declareQueue(Channel channel, String queue) throws IOException {
        channel.queueDeclare(Amqp.queueName(queue), true, false, false, arguments.task());
        channel.queueBind(Amqp.queueName(queue), Amqp.TASKS_EXCHANGE, queue);
        // Used with quorum queues only, declared with either type: workers consume it whatever the type.
        channel.queueDeclare(Amqp.urgentQueueName(queue), true, false, false, arguments.task());
        channel.queueBind(Amqp.urgentQueueName(queue), Amqp.TASKS_EXCHANGE, Amqp.urgentRoutingKey(queue));
        channel.queueDeclare(Amqp.deadQueueName(queue), true, false, false, arguments.keeping());
        channel.queueBind(Amqp.deadQueueName(queue), Amqp.DEAD_EXCHANGE, queue);
        // An urgent task rejected by a worker keeps its routing key into the dead letters.
        channel.queueBind(Amqp.deadQueueName(queue), Amqp.DEAD_EXCHANGE, Amqp.urgentRoutingKey(queue));
    }
}
