package io.hotpot.worker.messaging;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import io.hotpot.common.Amqp;
import io.hotpot.common.TaskMessage;
import io.hotpot.worker.config.RabbitConfig;
import io.hotpot.worker.config.WorkerConfig;
import io.hotpot.worker.task.TaskRunner;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Consumes the configured task queues with manual acks and a prefetch equal to the worker's
 * concurrency, hands each message to the {@link TaskRunner}, and acknowledges it only after the
 * outcome is recorded, or, for an attempt that runs past {@code hotpot.worker.lease-after}, once it holds
 * a lease in Redis (docs/decisions/0031), so RabbitMQ's consumer timeout never closes the channel. A message whose outcome could not be recorded goes back to the queue; one
 * that failed for good after its retries, or that no handler could take, is rejected into the
 * queue's dead letters ({@link Amqp#deadQueueName(String)}).
 */
@ApplicationScoped
public class TaskConsumer {
    private static final Logger LOG = Logger.getLogger(TaskConsumer.class);
    /** Pause before returning a message whose record could not be written, so a Redis outage is not a hot loop. */
    private static final long REQUEUE_DELAY_MS = 1000;

    private final RabbitConfig rabbit;
    private final WorkerConfig config;
    private final TaskRunner runner;
    private final ObjectMapper mapper;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("hotpot-amqp-consumer").daemon().factory());
    private final List<String> consumerTags = new ArrayList<>();

    private volatile Connection connection;
    private volatile Channel channel;

    public TaskConsumer(RabbitConfig rabbit, WorkerConfig config, TaskRunner runner, ObjectMapper mapper) {
        this.rabbit = rabbit;
        this.config = config;
        this.runner = runner;
        this.mapper = mapper;
    }

    void start(@Observes StartupEvent event) {
        timer.execute(this::connect);
    }

    /** Stops taking messages, lets running tasks finish within the grace period, then disconnects. */
    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        timer.shutdownNow();
        Channel ch = channel;
        if (ch != null && ch.isOpen()) {
            for (String tag : consumerTags) {
                try {
                    ch.basicCancel(tag);
                } catch (IOException | RuntimeException e) {
                    LOG.debugf("cancelling consumer %s: %s", tag, e.getMessage());
                }
            }
        }
        LOG.infof("HOTPOT-WORKER-020 stopped consuming; waiting up to %s for %d running task(s)",
                config.worker().shutdownGrace(), runner.inFlight());
        if (!runner.drain(config.worker().shutdownGrace())) {
            LOG.warnf("HOTPOT-WORKER-021 %d task(s) still running at the end of the grace period; RabbitMQ will redeliver them",
                    runner.inFlight());
        }
        Connection conn = connection;
        if (conn != null) {
            try {
                conn.close(2000);
            } catch (IOException | RuntimeException e) {
                LOG.debugf("closing the RabbitMQ connection: %s", e.getMessage());
            }
        }
    }

    /** Whether the connection to RabbitMQ is open right now. */
    public boolean isConnected() {
        Connection conn = connection;
        return conn != null && conn.isOpen();
    }

    private void connect() {
        Connection conn = null;
        try {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setHost(rabbit.host());
            factory.setPort(rabbit.port());
            factory.setUsername(rabbit.username());
            factory.setPassword(rabbit.password());
            factory.setVirtualHost(rabbit.virtualHost());
            factory.setAutomaticRecoveryEnabled(true);
            factory.setTopologyRecoveryEnabled(true);
            factory.setNetworkRecoveryInterval(1000);
            factory.setRequestedHeartbeat(15);
            conn = factory.newConnection("hotpot-worker-service " + runner.workerId());
            Channel ch = conn.createChannel();
            ch.exchangeDeclare(Amqp.TASKS_EXCHANGE, BuiltinExchangeType.DIRECT, true);
            ch.exchangeDeclare(Amqp.DEAD_EXCHANGE, BuiltinExchangeType.DIRECT, true);
            // One prefetch for the whole channel: the worker's concurrency, whatever the number of queues.
            ch.basicQos(config.worker().concurrency(), true);
            for (String queue : config.worker().queues()) {
                String name = Amqp.queueName(queue);
                ch.queueDeclare(name, true, false, false, Amqp.queueArguments());
                ch.queueBind(name, Amqp.TASKS_EXCHANGE, queue);
                ch.queueDeclare(Amqp.deadQueueName(queue), true, false, false, null);
                ch.queueBind(Amqp.deadQueueName(queue), Amqp.DEAD_EXCHANGE, queue);
                consumerTags.add(ch.basicConsume(name, false, new Deliveries(ch)));
            }
            channel = ch;
            connection = conn;
            LOG.infof("HOTPOT-WORKER-001 worker %s consuming %s from RabbitMQ at %s:%d, concurrency %d",
                    runner.workerId(), config.worker().queues(), rabbit.host(), rabbit.port(), config.worker().concurrency());
        } catch (Exception e) {
            LOG.warnf("HOTPOT-WORKER-002 RabbitMQ at %s:%d is unreachable (%s); retrying in 2 s",
                    rabbit.host(), rabbit.port(), e.getMessage());
            closeQuietly(conn);
            consumerTags.clear();
            if (!timer.isShutdown()) {
                timer.schedule(this::connect, 2, TimeUnit.SECONDS);
            }
        }
    }

    private static void closeQuietly(Connection conn) {
        if (conn != null) {
            try {
                conn.abort(1000);
            } catch (RuntimeException ignored) {
                // already broken
            }
        }
    }

    private final class Deliveries extends DefaultConsumer {
        Deliveries(Channel channel) {
            super(channel);
        }

        @Override
        public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            long tag = envelope.getDeliveryTag();
            TaskMessage task;
            try {
                task = mapper.readValue(body, TaskMessage.class);
            } catch (IOException e) {
                LOG.errorf("HOTPOT-WORKER-030 rejecting an undecodable message %s into the dead letters: %s",
                        properties.getMessageId(), e.getMessage());
                settle(() -> getChannel().basicReject(tag, false));
                return;
            }
            // Set once the attempt was converted to a lease and its delivery acked (docs/decisions/0031).
            AtomicBoolean ackedEarly = new AtomicBoolean();
            runner.run(task, () -> {
                settle(() -> getChannel().basicAck(tag, false));
                ackedEarly.set(true);
            }).whenComplete((outcome, failure) -> {
                if (ackedEarly.get()) {
                    // Settled already. Redis holds the rest: the outcome script dropped the lease, or, when the
                    // outcome could not be recorded, the lease lapses and the scheduler's leader publishes it again.
                    if (failure == null && outcome == TaskRunner.Outcome.DEAD_LETTER) {
                        // It can no longer be rejected: put it among the dead letters as the rejection would have.
                        settle(() -> getChannel().basicPublish(Amqp.DEAD_EXCHANGE, task.queue(), properties, body));
                    } else if (failure != null) {
                        LOG.warnf("HOTPOT-WORKER-032 task %s: the outcome could not be recorded (%s); its lease will lapse "
                                + "and the task run again", task.id(), failure.getMessage());
                    }
                } else if (failure == null && outcome == TaskRunner.Outcome.DEAD_LETTER) {
                    // Recorded as FAILURE; rejected without requeue, RabbitMQ moves it to the queue's dead letters.
                    settle(() -> getChannel().basicReject(tag, false));
                } else if (failure == null) {
                    settle(() -> getChannel().basicAck(tag, false));
                } else {
                    LOG.warnf("HOTPOT-WORKER-031 task %s: the outcome could not be recorded (%s); returning it to the queue",
                            task.id(), failure.getMessage());
                    try {
                        timer.schedule(() -> settle(() -> getChannel().basicNack(tag, false, true)),
                                REQUEUE_DELAY_MS, TimeUnit.MILLISECONDS);
                    } catch (RuntimeException stopping) {
                        // shutting down: the closing channel returns the message to the queue
                    }
                }
            });
        }
    }

    private interface ChannelCall {
        void run() throws IOException;
    }

    /** Ack, nack or reject; on a broken channel RabbitMQ redelivers the message anyway. */
    private static void settle(ChannelCall call) {
        try {
            call.run();
        } catch (IOException | RuntimeException e) {
            LOG.debugf("settling a delivery on a closed channel: %s", e.getMessage());
        }
    }
}
