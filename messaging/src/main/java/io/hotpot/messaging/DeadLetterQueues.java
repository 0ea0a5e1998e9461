package io.hotpot.messaging;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;

import io.hotpot.common.Amqp;
import io.hotpot.messaging.internals.AdminConnection;

/**
 * Reads and re-queues the dead letters of a logical queue ({@link Amqp#deadQueueName(String)}).
 * Reading takes messages without acknowledging them and closing the channel returns them, so a
 * listing never removes anything; a re-queued letter is acknowledged only after RabbitMQ confirmed
 * its copy, published through {@link TaskPublisher}. Blocking: call from a worker thread.
 */
@ApplicationScoped
public class DeadLetterQueues {
    private static final Logger LOG = Logger.getLogger(DeadLetterQueues.class);

    private final AdminConnection admin;
    private final TaskPublisher publisher;
    private final RabbitConfig rabbit;

    public DeadLetterQueues(AdminConnection admin, TaskPublisher publisher, RabbitConfig rabbit) {
        this.admin = admin;
        this.publisher = publisher;
        this.rabbit = rabbit;
    }

    /** Decides, for one dead letter, whether to publish it again and with which body; {@code null}: leave it. */
    public interface Requeuer {
        byte[] bodyToRequeue(DeadLetter letter) throws IOException;

        /** Called when the copy could not be published; the letter stays. */
        void notRequeued(DeadLetter letter);
    }

    /** Up to {@code limit} dead letters of a queue, oldest first, left where they are. */
    public List<DeadLetter> peek(String queue, int limit) throws IOException, TimeoutException, InterruptedException {
        return peek(queue, letter -> true, limit, limit);
    }

    /**
     * Up to {@code limit} dead letters of a queue that {@code which} selects, oldest first, of the
     * first {@code scanLimit} looked at; all left where they are.
     */
    public List<DeadLetter> peek(String queue, Predicate<DeadLetter> which, int limit, int scanLimit)
            throws IOException, TimeoutException, InterruptedException {
        return admin.callBlocking(channel -> {
            List<DeadLetter> letters = new ArrayList<>();
            try {
                GetResponse response;
                int scanned = 0;
                while (letters.size() < limit && scanned++ < scanLimit
                        && (response = channel.basicGet(Amqp.deadQueueName(queue), false)) != null) {
                    DeadLetter letter = DeadLetter.of(response);
                    if (which.test(letter)) {
                        letters.add(letter);
                    }
                }
            } catch (IOException e) {
                if (!isNotFound(channel)) {
                    throw e;
                }
                // no dead-letter queue yet: no dead letters
            }
            return letters; // closing the channel returns the unacknowledged letters to the queue
        });
    }

    /**
     * Publishes again, to the task queue, each dead letter of {@code queue} that {@code which}
     * selects and the requeuer gives a body for, and removes it from the dead letters once
     * RabbitMQ confirmed the copy. Returns the letters re-queued.
     */
    public List<DeadLetter> requeue(String queue, Predicate<DeadLetter> which, Requeuer requeuer, int scanLimit)
            throws IOException, TimeoutException, InterruptedException {
        return admin.callBlocking(channel -> {
            List<DeadLetter> requeued = new ArrayList<>();
            try {
                GetResponse response;
                int scanned = 0;
                while (scanned++ < scanLimit && (response = channel.basicGet(Amqp.deadQueueName(queue), false)) != null) {
                    DeadLetter letter = DeadLetter.of(response);
                    if (!which.test(letter)) {
                        continue;
                    }
                    byte[] body = requeuer.bodyToRequeue(letter);
                    if (body == null) {
                        continue;
                    }
                    if (confirmed(queue, letter, body)) {
                        channel.basicAck(letter.deliveryTag(), false);
                        requeued.add(letter);
                    } else {
                        requeuer.notRequeued(letter);
                    }
                }
            } catch (IOException e) {
                if (!isNotFound(channel)) {
                    throw e;
                }
            }
            return requeued;
        });
    }

    private boolean confirmed(String queue, DeadLetter letter, byte[] body) throws InterruptedException {
        try {
            publisher.publish(queue, letter.priority(), letter.messageId(), letter.type(), letter.correlationId(),
                    letter.createdAt(), body).toCompletableFuture()
                    .get(rabbit.publishTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("HOTPOT-MSG-020 dead letter %s of %s was not re-queued: %s", letter.messageId(), queue,
                    e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            return false;
        }
    }

    private static boolean isNotFound(Channel channel) {
        return !channel.isOpen() && channel.getCloseReason() != null
                && String.valueOf(channel.getCloseReason().getMessage()).contains("NOT_FOUND");
    }
}
