package io.hotpot.scheduler.messaging;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.hotpot.common.Amqp;
import io.hotpot.scheduler.config.RabbitConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The scheduler's connection to RabbitMQ, where it puts due tasks. It connects in the
 * background (retrying until RabbitMQ answers) and recovers by itself afterwards.
 */
@ApplicationScoped
public class RabbitConnection {
    private static final Logger LOG = Logger.getLogger(RabbitConnection.class);

    private final RabbitConfig rabbit;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("hotpot-amqp-scheduler").daemon().factory());
    private volatile Connection connection;

    public RabbitConnection(RabbitConfig rabbit) {
        this.rabbit = rabbit;
    }

    void start(@Observes StartupEvent event) {
        thread.execute(this::connect);
    }

    void stop(@Observes ShutdownEvent event) {
        thread.shutdownNow();
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
            Connection conn = factory.newConnection("hotpot-scheduler-service");
            try (Channel ch = conn.createChannel()) {
                ch.exchangeDeclare(Amqp.TASKS_EXCHANGE, BuiltinExchangeType.DIRECT, true);
            }
            connection = conn;
            LOG.infof("HOTPOT-SCHEDULER-001 connected to RabbitMQ at %s:%d", rabbit.host(), rabbit.port());
        } catch (Exception e) {
            LOG.warnf("HOTPOT-SCHEDULER-002 RabbitMQ at %s:%d is unreachable (%s); retrying in 2 s",
                    rabbit.host(), rabbit.port(), e.getMessage());
            if (!thread.isShutdown()) {
                thread.schedule(this::connect, 2, TimeUnit.SECONDS);
            }
        }
    }
}
