package io.hotpot.api.messaging;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

import io.hotpot.api.config.RabbitConfig;
import io.hotpot.common.Amqp;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Reads and re-queues the dead letters of a logical queue ({@link Amqp#deadQueueName(String)}),
 * blocking, on a connection of its own. Reading takes messages without acknowledging them and
 * closing the channel returns them, so a listing never removes anything; a re-queued letter is
 * acknowledged only after RabbitMQ confirmed its copy on the task queue.
 */
@ApplicationScoped
public class DeadLetterQueues {
    private static final Logger LOG = Logger.getLogger(DeadLetterQueues.class);

    private final RabbitConfig rabbit;
    private Connection connection;

    public DeadLetterQueues(RabbitConfig rabbit) {
        this.rabbit = rabbit;
    }

    /** Decides, for one dead letter, whether to publish it again and with which body; {@code null}: leave it. */
    public interface Requeuer {
        byte[] bodyToRequeue(GetResponse letter) throws IOException;

        /** Called when the copy could not be published; the letter stays. */
        void notRequeued(GetResponse letter);
    }

    /** Up to {@code limit} dead letters of a queue, oldest first, left where they are. */
    public List<GetResponse> peek(String queue, int limit) throws IOException, TimeoutException {
        List<GetResponse> letters = new ArrayList<>();
        Channel channel = connection().createChannel();
        try {
            GetResponse letter;
            while (letters.size() < limit && (letter = channel.basicGet(Amqp.deadQueueName(queue), false)) != null) {
                letters.add(letter);
            }
        } catch (IOException e) {
            if (isNotFound(channel)) {
                return letters; // no dead-letter queue yet: no dead letters
            }
            throw e;
        } finally {
            closeQuietly(channel); // unacknowledged letters go back to the queue
        }
        return letters;
    }

    /**
     * Publishes again, to the task queue, each dead letter of {@code queue} that {@code which}
     * selects and the requeuer gives a body for, and removes it from the dead letters once
     * RabbitMQ confirmed the copy. Returns the letters re-queued.
     */
    public List<GetResponse> requeue(String queue, Predicate<GetResponse> which, Requeuer requeuer, int scanLimit)
            throws IOException, TimeoutException, InterruptedException {
        List<GetResponse> requeued = new ArrayList<>();
        Channel channel = connection().createChannel();
        AtomicBoolean returned = new AtomicBoolean();
        channel.addReturnListener(r -> returned.set(true));
        channel.confirmSelect();
        try {
            GetResponse letter;
            int scanned = 0;
            while (scanned++ < scanLimit && (letter = channel.basicGet(Amqp.deadQueueName(queue), false)) != null) {
                if (!which.test(letter)) {
                    continue;
                }
                byte[] body = requeuer.bodyToRequeue(letter);
                if (body == null) {
                    continue;
                }
                AMQP.BasicProperties original = letter.getProps();
                AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                        .contentType(original.getContentType()).deliveryMode(2).priority(original.getPriority())
                        .messageId(original.getMessageId()).correlationId(original.getCorrelationId())
                        .type(original.getType()).timestamp(original.getTimestamp()).build();
                returned.set(false);
                boolean confirmed;
                try {
                    channel.basicPublish(Amqp.TASKS_EXCHANGE, queue, true, props, body);
                    confirmed = channel.waitForConfirms(5000) && !returned.get();
                } catch (TimeoutException e) {
                    confirmed = false;
                }
                if (confirmed) {
                    channel.basicAck(letter.getEnvelope().getDeliveryTag(), false);
                    requeued.add(letter);
                } else {
                    requeuer.notRequeued(letter);
                    LOG.warnf("HOTPOT-API-031 dead letter %s of %s was not re-queued: RabbitMQ did not confirm it",
                            original.getMessageId(), queue);
                }
            }
        } catch (IOException e) {
            if (isNotFound(channel)) {
                return requeued;
            }
            throw e;
        } finally {
            closeQuietly(channel);
        }
        return requeued;
    }

    private synchronized Connection connection() throws IOException, TimeoutException {
        if (connection == null || !connection.isOpen()) {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setHost(rabbit.host());
            factory.setPort(rabbit.port());
            factory.setUsername(rabbit.username());
            factory.setPassword(rabbit.password());
            factory.setVirtualHost(rabbit.virtualHost());
            factory.setAutomaticRecoveryEnabled(true);
            factory.setConnectionTimeout(5000);
            connection = factory.newConnection("hotpot-api-service dead letters");
        }
        return connection;
    }

    private static boolean isNotFound(Channel channel) {
        return !channel.isOpen() && channel.getCloseReason() != null
                && String.valueOf(channel.getCloseReason().getMessage()).contains("NOT_FOUND");
    }

    private static void closeQuietly(Channel channel) {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.debugf("closing a dead-letter channel: %s", e.getMessage());
        }
    }

    synchronized void stop(@Observes ShutdownEvent event) {
        if (connection != null) {
            try {
                connection.close(2000);
            } catch (IOException | RuntimeException e) {
                LOG.debugf("closing the dead-letter connection: %s", e.getMessage());
            }
        }
    }
}
