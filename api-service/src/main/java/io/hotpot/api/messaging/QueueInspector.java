package io.hotpot.api.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import io.hotpot.common.Amqp;
import io.smallrye.mutiny.Uni;

/**
 * Reads queue depths and consumer counts from RabbitMQ with passive declarations, on a channel
 * of its own (a passive declaration of a missing queue closes its channel) and off the event loop.
 */
@ApplicationScoped
public class QueueInspector {
    private final TaskPublisher publisher;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("hotpot-amqp-inspector").daemon().factory());

    public QueueInspector(TaskPublisher publisher) {
        this.publisher = publisher;
    }

    /** A task queue as RabbitMQ sees it right now. */
    public record QueueState(String name, String amqpQueue, long depth, long consumers) {
    }

    /** The state of each logical queue that exists; missing ones are left out. */
    public Uni<List<QueueState>> inspect(List<String> logicalQueues) {
        return Uni.createFrom().<List<QueueState>>emitter(emitter -> thread.execute(() -> {
            Connection connection = publisher.connection().orElse(null);
            if (connection == null) {
                emitter.fail(new TaskPublisher.PublishException("RabbitMQ is not connected", null));
                return;
            }
            List<QueueState> states = new ArrayList<>();
            try {
                for (String queue : logicalQueues) {
                    try (Channel channel = connection.createChannel()) {
                        AMQP.Queue.DeclareOk ok = channel.queueDeclarePassive(Amqp.queueName(queue));
                        states.add(new QueueState(queue, ok.getQueue(), ok.getMessageCount(), ok.getConsumerCount()));
                    } catch (java.io.IOException missing) {
                        // not declared (yet): no worker ever consumed it and nothing was sent to it
                    }
                }
                emitter.complete(states);
            } catch (Exception e) {
                emitter.fail(e);
            }
        }));
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }
}
