package io.hotpot.messaging;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;

import io.hotpot.common.Amqp;
import io.hotpot.messaging.internals.AdminConnection;
import io.smallrye.mutiny.Uni;

/**
 * Reads queue depths and consumer counts with passive declarations, one channel per queue (a
 * passive declaration of a missing queue closes its channel), off the event loop.
 */
@ApplicationScoped
public class QueueInspector {
    private final AdminConnection admin;

    public QueueInspector(AdminConnection admin) {
        this.admin = admin;
    }

    /** A task queue as RabbitMQ sees it right now; the depth counts its urgent queue's tasks too. */
    public record QueueState(String name, String amqpQueue, long depth, long consumers) {
        QueueState plus(long urgent) {
            return new QueueState(name, amqpQueue, depth + urgent, consumers);
        }
    }

    /** The state of each logical queue that exists; missing ones are left out. */
    public Uni<List<QueueState>> inspect(List<String> logicalQueues) {
        return Uni.createFrom().deferred(() -> {
            List<Uni<QueueState>> each = new ArrayList<>();
            for (String queue : logicalQueues) {
                // One channel each: a passive declaration of a missing queue closes its channel.
                each.add(admin.call(channel -> state(channel, queue)).chain(state -> state == null
                        ? Uni.createFrom().nullItem()
                        : admin.call(channel -> depth(channel, Amqp.urgentQueueName(queue))).map(state::plus)));
            }
            if (each.isEmpty()) {
                return Uni.createFrom().item(List.<QueueState>of());
            }
            return Uni.join().all(each).andFailFast()
                    .map(states -> states.stream().filter(java.util.Objects::nonNull).toList());
        });
    }

    /** Whether RabbitMQ can be asked right now. */
    public boolean isConnected() {
        return admin.isOpen();
    }

    /** How many tasks wait in {@link Amqp#UNROUTABLE_QUEUE}: published for a queue that did not exist. */
    public Uni<Long> unroutable() {
        return admin.call(channel -> channel.queueDeclarePassive(Amqp.UNROUTABLE_QUEUE).getMessageCount())
                .map(Integer::longValue);
    }

    private static QueueState state(Channel channel, String queue) {
        try {
            AMQP.Queue.DeclareOk ok = channel.queueDeclarePassive(Amqp.queueName(queue));
            return new QueueState(queue, ok.getQueue(), ok.getMessageCount(), ok.getConsumerCount());
        } catch (IOException missing) {
            return null; // not declared (yet): no worker ever consumed it and nothing was sent to it
        }
    }

    private static long depth(Channel channel, String amqpQueue) {
        try {
            return channel.queueDeclarePassive(amqpQueue).getMessageCount();
        } catch (IOException missing) {
            return 0; // declared before urgent queues existed: nothing waits there
        }
    }
}
