package io.hotpot.worker.messaging;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.Amqp;
import io.hotpot.common.TaskMessage;
import io.hotpot.messaging.DeadLetterPublisher;
import io.hotpot.messaging.RabbitConfig;
import io.hotpot.worker.task.TaskRunner;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;
import io.smallrye.reactive.messaging.rabbitmq.RabbitMQRejectMetadata;

/**
 * What happens to one delivery: it is handed to the {@link TaskRunner} and acknowledged only after
 * the outcome is recorded, or, for an attempt that runs past {@code hotpot.worker.lease-after}, once
 * it holds a lease in Redis (docs/decisions/0031), so RabbitMQ's consumer timeout never closes the
 * channel. A message whose outcome could not be recorded goes back to the queue after a pause; one
 * that failed for good after its retries, or that no handler could take, is rejected into the
 * queue's dead letters ({@link Amqp#deadQueueName(String)}); after an early ack, it is published
 * there instead, confirmed. With quorum queues, a delivery returned {@code rabbitmq.delivery-limit}
 * times before is not run again: recorded as {@code FAILURE} and rejected into the dead letters
 * (docs/decisions/0032).
 */
@ApplicationScoped
public class Deliveries {
    private static final Logger LOG = Logger.getLogger(Deliveries.class);
    /** Pause before returning a message whose record could not be written, so a Redis outage is not a hot loop. */
    static final Duration REQUEUE_DELAY = Duration.ofSeconds(1);
    /** Tries at putting a dead letter among the dead letters after an early ack. */
    static final int DEAD_LETTER_TRIES = 5;

    private final TaskRunner runner;
    private final ObjectMapper mapper;
    private final DeadLetterPublisher deadLetters;
    /** With quorum queues: deliveries returned this many times are not run again; 0 with classic queues. */
    private final int deliveryLimit;
    /** Set when the shutdown's grace period is over: what is still running goes back to the queue at once. */
    private volatile boolean stopping;

    public Deliveries(TaskRunner runner, ObjectMapper mapper, DeadLetterPublisher deadLetters, RabbitConfig rabbit) {
        this.runner = runner;
        this.mapper = mapper;
        this.deadLetters = deadLetters;
        this.deliveryLimit = rabbit.queueType() == Amqp.QueueType.QUORUM ? rabbit.deliveryLimit() : 0;
    }

    /**
     * Starts the delivery's task and returns at once: the runner's threads run it, and the delivery
     * is settled when its outcome is known. The prefetch bounds how many run at once.
     */
    public void take(Message<byte[]> delivery) {
        TaskMessage task;
        try {
            task = mapper.readValue(delivery.getPayload(), TaskMessage.class);
        } catch (IOException e) {
            LOG.errorf("HOTPOT-WORKER-030 rejecting an undecodable message into the dead letters: %s", e.getMessage());
            deadLetter(delivery, e);
            return;
        }
        long returned = returnedBefore(delivery);
        if (deliveryLimit > 0 && returned >= deliveryLimit) {
            // A poison task: each delivery so far lost its worker. Its last delivery records why and ends in the dead
            // letters (RabbitMQ's x-delivery-limit, the same number, would drop it there unrecorded after this one).
            runner.giveUp(task, returned).whenComplete((outcome, failure) -> {
                if (failure == null && outcome == TaskRunner.Outcome.DEAD_LETTER) {
                    deadLetter(delivery, new IllegalStateException("task " + task.id() + " reached the delivery limit"));
                } else if (failure == null) {
                    delivery.ack();
                } else {
                    delivery.nack(failure, Metadata.of(new RabbitMQRejectMetadata(true)));
                }
            });
            return;
        }
        // Set once the attempt was converted to a lease and its delivery acked (docs/decisions/0031).
        AtomicBoolean ackedEarly = new AtomicBoolean();
        runner.run(task, () -> {
            delivery.ack();
            ackedEarly.set(true);
        }).whenComplete((outcome, failure) -> {
            if (ackedEarly.get()) {
                // Settled already. Redis holds the rest: the outcome script dropped the lease, or, when the
                // outcome could not be recorded, the lease lapses and the scheduler's leader publishes it again.
                if (failure == null && outcome == TaskRunner.Outcome.DEAD_LETTER) {
                    publishDeadLetter(task, delivery.getPayload());
                } else if (failure != null) {
                    LOG.warnf("HOTPOT-WORKER-032 task %s: the outcome could not be recorded (%s); its lease will lapse "
                            + "and the task run again", task.id(), failure.getMessage());
                }
            } else if (failure == null && outcome == TaskRunner.Outcome.DEAD_LETTER) {
                // Recorded as FAILURE; rejected without requeue, RabbitMQ moves it to the queue's dead letters.
                deadLetter(delivery, new IllegalStateException("task " + task.id() + " failed for good"));
            } else if (failure == null) {
                delivery.ack();
            } else if (stopping) {
                delivery.nack(failure, Metadata.of(new RabbitMQRejectMetadata(true)));
            } else {
                LOG.warnf("HOTPOT-WORKER-031 task %s: the outcome could not be recorded (%s); returning it to the queue",
                        task.id(), failure.getMessage());
                Uni.createFrom().voidItem().onItem().delayIt().by(REQUEUE_DELAY)
                        .subscribe().with(ignored -> delivery.nack(failure, Metadata.of(new RabbitMQRejectMetadata(true))));
            }
        });
    }

    /**
     * The shutdown's grace period is over: attempts still running are ended by the runner and their
     * deliveries returned to the queue at once, for another worker (never acknowledged late).
     */
    public void stopping() {
        stopping = true;
    }

    /** How many times a quorum queue had this message delivered and returned before ({@link Amqp#DELIVERY_COUNT_HEADER}); 0 when not told. */
    static long returnedBefore(Message<byte[]> delivery) {
        return delivery.getMetadata(IncomingRabbitMQMetadata.class)
                .map(metadata -> metadata.getHeaders().get(Amqp.DELIVERY_COUNT_HEADER))
                .filter(Number.class::isInstance).map(count -> ((Number) count).longValue())
                .orElse(0L);
    }

    private static void deadLetter(Message<byte[]> delivery, Throwable reason) {
        delivery.nack(reason, Metadata.of(new RabbitMQRejectMetadata(false)));
    }

    /** After an early ack the delivery can no longer be rejected: put it among the dead letters as the rejection would have. */
    private void publishDeadLetter(TaskMessage task, byte[] body) {
        Uni.createFrom().completionStage(() -> deadLetters.publish(task.queue(), task.priority(), task.id(), task.type(),
                task.correlationId(), task.createdAt(), body))
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(10)).atMost(DEAD_LETTER_TRIES - 1)
                .subscribe().with(
                        ignored -> LOG.infof("HOTPOT-WORKER-033 task %s put among the dead letters of %s", task.id(), task.queue()),
                        e -> LOG.errorf("HOTPOT-WORKER-034 task %s is FAILURE but RabbitMQ did not confirm its dead letter"
                                + " after %d tries (%s); its record keeps the error", task.id(), DEAD_LETTER_TRIES, e.getMessage()));
    }
}
