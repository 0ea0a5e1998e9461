package io.hotpot.api.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

import io.hotpot.common.Amqp;
import io.hotpot.messaging.QueueInspector;
import io.hotpot.messaging.TaskPublisher;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The connector has no {@code mandatory} flag: a task published for a queue that does not exist
 * is confirmed by RabbitMQ all the same. It must not vanish: the exchange's alternate exchange
 * keeps it in {@link Amqp#UNROUTABLE_QUEUE}, where it is counted.
 */
@QuarkusTest
class UnroutableTest {
    @Inject
    TaskPublisher publisher;
    @Inject
    QueueInspector inspector;

    @Test
    void aTaskForAQueueThatDoesNotExistIsKeptAmongTheUnroutable() throws Exception {
        String id = UUID.randomUUID().toString();
        String missingQueue = "no-such-queue-" + id.substring(0, 8);
        publisher.publish(missingQueue, 0, id, "add", null, Instant.now(),
                ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8))
                .toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);

        long counted = inspector.unroutable().await().atMost(Duration.ofSeconds(5));
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (Connection connection = factory.newConnection("unroutable test"); Channel channel = connection.createChannel()) {
            GetResponse found = null;
            GetResponse got;
            while (found == null && (got = channel.basicGet(Amqp.UNROUTABLE_QUEUE, false)) != null) {
                if (id.equals(got.getProps().getMessageId())) {
                    found = got;
                    channel.basicAck(got.getEnvelope().getDeliveryTag(), false); // the others go back when the channel closes
                }
            }
            assertNotNull(found, "the unroutable task is kept in " + Amqp.UNROUTABLE_QUEUE);
            assertEquals(missingQueue, found.getEnvelope().getRoutingKey());
            assertEquals(true, counted >= 1, "counted among the unroutable: " + counted);
        }
    }
}
