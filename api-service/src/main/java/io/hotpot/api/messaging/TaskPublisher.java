package io.hotpot.api.messaging;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ReturnListener;
import com.rabbitmq.client.ShutdownSignalException;

import io.hotpot.api.config.ApiConfig;
import io.hotpot.api.config.RabbitConfig;
import io.hotpot.common.Amqp;
import io.hotpot.common.TaskMessage;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Publishes tasks to RabbitMQ and completes only when the broker has confirmed that a durable
 * queue holds the persistent message: published {@code mandatory}, so a message no queue takes
 * comes back and fails instead of vanishing. All channel work happens on one thread, so the
 * channel is never shared and a blocked broker never blocks an event loop.
 */
@ApplicationScoped
public class TaskPublisher {
    private static final Logger LOG = Logger.getLogger(TaskPublisher.class);

    private final RabbitConfig rabbit;
    private final ObjectMapper mapper;
    private final Duration timeout;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("hotpot-amqp-publisher").daemon().factory());
    /** Publishes awaiting their confirm, by publish sequence number. Touched by the publisher and the connection thread. */
    private final ConcurrentNavigableMap<Long, Pending> outstanding = new ConcurrentSkipListMap<>();

    private volatile Connection connection;
    private Channel channel;

    public TaskPublisher(RabbitConfig rabbit, ObjectMapper mapper, ApiConfig config) {
        this.rabbit = rabbit;
        this.mapper = mapper;
        this.timeout = config.tasks().publishTimeout();
    }

    void start(@Observes StartupEvent event) {
        thread.execute(this::connect);
    }

    void stop(@Observes ShutdownEvent event) {
        thread.shutdown();
        Connection current = connection;
        if (current != null) {
            try {
                current.close(2000);
            } catch (IOException | RuntimeException e) {
                LOG.debugf("closing the RabbitMQ connection: %s", e.getMessage());
            }
        }
    }

    /** The open connection to RabbitMQ, if there is one, for others that need a channel of their own. */
    public java.util.Optional<Connection> connection() {
        Connection current = connection;
        return current != null && current.isOpen() ? java.util.Optional.of(current) : java.util.Optional.empty();
    }

    /** Whether a connection to RabbitMQ is open right now. */
    public boolean isConnected() {
        Connection current = connection;
        return current != null && current.isOpen();
    }

    /**
     * Publishes a task. The stage completes when RabbitMQ confirmed it, and fails when RabbitMQ
     * is unreachable, refuses it, no queue takes it, or no confirm comes within the timeout.
     */
    public CompletionStage<Void> publish(TaskMessage task) {
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(task);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .deliveryMode(2)
                .priority(task.priority())
                .messageId(task.id())
                .correlationId(task.correlationId())
                .type(task.type())
                .timestamp(java.util.Date.from(task.createdAt()))
                .build();
        Pending pending = new Pending(task.id());
        try {
            thread.execute(() -> send(task.queue(), props, body, pending));
        } catch (RuntimeException e) {
            pending.future.completeExceptionally(new PublishException("the publisher is stopping", e));
        }
        return pending.future.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(e -> {
                    outstanding.values().remove(pending);
                    Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                    return CompletableFuture.failedFuture(cause instanceof TimeoutException
                            ? new PublishException("RabbitMQ did not confirm the task within " + timeout.toMillis() + " ms", cause)
                            : cause);
                });
    }

    /** The routing key is the logical queue name: each task queue is bound with its own. */
    private void send(String routingKey, AMQP.BasicProperties props, byte[] body, Pending pending) {
        Channel ch = channel;
        if (ch == null || !ch.isOpen()) {
            pending.future.completeExceptionally(new PublishException("RabbitMQ is not connected", null));
            return;
        }
        long seq = ch.getNextPublishSeqNo();
        outstanding.put(seq, pending);
        try {
            ch.basicPublish(Amqp.TASKS_EXCHANGE, routingKey, true, props, body);
        } catch (IOException | RuntimeException e) {
            outstanding.remove(seq);
            pending.future.completeExceptionally(new PublishException("RabbitMQ refused the publish", e));
        }
    }

    private void connect() {
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
            Connection conn = factory.newConnection("hotpot-api-service");
            Channel ch = conn.createChannel();
            ch.exchangeDeclare(Amqp.TASKS_EXCHANGE, BuiltinExchangeType.DIRECT, true);
            // The default queue exists before any worker does, so early tasks wait in it.
            String queue = Amqp.queueName(Amqp.DEFAULT_QUEUE);
            ch.queueDeclare(queue, true, false, false, Amqp.queueArguments());
            ch.queueBind(queue, Amqp.TASKS_EXCHANGE, Amqp.DEFAULT_QUEUE);
            // Its dead letters' queue, so a message rejected from it is kept, whoever declared it first.
            ch.exchangeDeclare(Amqp.DEAD_EXCHANGE, BuiltinExchangeType.DIRECT, true);
            ch.queueDeclare(Amqp.deadQueueName(Amqp.DEFAULT_QUEUE), true, false, false, null);
            ch.queueBind(Amqp.deadQueueName(Amqp.DEFAULT_QUEUE), Amqp.DEAD_EXCHANGE, Amqp.DEFAULT_QUEUE);
            ch.confirmSelect();
            ch.addConfirmListener(new Confirms());
            ch.addReturnListener(returned());
            ch.addShutdownListener(this::failOutstanding);
            channel = ch;
            connection = conn;
            LOG.infof("HOTPOT-API-001 connected to RabbitMQ at %s:%d", rabbit.host(), rabbit.port());
        } catch (Exception e) {
            LOG.warnf("HOTPOT-API-002 RabbitMQ at %s:%d is unreachable (%s); retrying in 2 s",
                    rabbit.host(), rabbit.port(), e.getMessage());
            if (!thread.isShutdown()) {
                thread.schedule(this::connect, 2, TimeUnit.SECONDS);
            }
        }
    }

    /** A broken channel loses its confirms: fail what waits for them (the client then sees 503). */
    private void failOutstanding(ShutdownSignalException cause) {
        for (Map.Entry<Long, Pending> entry : outstanding.entrySet()) {
            if (outstanding.remove(entry.getKey(), entry.getValue())) {
                entry.getValue().future.completeExceptionally(
                        new PublishException("the RabbitMQ channel closed before confirming", cause));
            }
        }
    }

    private ReturnListener returned() {
        return (replyCode, replyText, exchange, routingKey, properties, body) -> {
            for (Pending pending : outstanding.values()) {
                if (pending.messageId.equals(properties.getMessageId())) {
                    pending.returned = "no queue is bound for '" + routingKey + "' (" + replyText + ")";
                }
            }
        };
    }

    private final class Confirms implements ConfirmListener {
        @Override
        public void handleAck(long tag, boolean multiple) {
            settle(tag, multiple, true);
        }

        @Override
        public void handleNack(long tag, boolean multiple) {
            settle(tag, multiple, false);
        }

        private void settle(long tag, boolean multiple, boolean ack) {
            Map<Long, Pending> done = multiple ? outstanding.headMap(tag, true) : subMap(tag);
            for (Map.Entry<Long, Pending> entry : done.entrySet()) {
                Pending pending = entry.getValue();
                if (!outstanding.remove(entry.getKey(), pending)) {
                    continue;
                }
                if (!ack) {
                    pending.future.completeExceptionally(new PublishException("RabbitMQ refused the task (nack)", null));
                } else if (pending.returned != null) {
                    pending.future.completeExceptionally(new PublishException(pending.returned, null));
                } else {
                    pending.future.complete(null);
                }
            }
        }

        private Map<Long, Pending> subMap(long tag) {
            return outstanding.subMap(tag, true, tag, true);
        }
    }

    private static final class Pending {
        final String messageId;
        final CompletableFuture<Void> future = new CompletableFuture<>();
        volatile String returned;

        Pending(String messageId) {
            this.messageId = messageId;
        }
    }

    /** A task RabbitMQ did not confirm; the task was not accepted. */
    public static final class PublishException extends RuntimeException {
        public PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
