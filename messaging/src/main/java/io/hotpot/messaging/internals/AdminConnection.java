package io.hotpot.messaging.internals;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.hotpot.messaging.BrokerException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The one connection Hotpot opens to RabbitMQ outside the connector, for what the connector does
 * not do: declaring queues by name at run time, reading queue depths and consumer counts, and
 * reading dead letters without consuming them (docs/decisions/0002-rabbitmq-messaging.md). Opened at
 * start-up, tried again each second until RabbitMQ answers, recovered by the client after that.
 * Every call on it blocks: callers run them off the event loop ({@link #call(ChannelWork)}).
 */
@ApplicationScoped
public class AdminConnection {
    private static final Logger LOG = Logger.getLogger(AdminConnection.class);

    private final RabbitConnections connections;
    private volatile Connection connection;
    private volatile boolean stopping;

    public AdminConnection(RabbitConnections connections) {
        this.connections = connections;
    }

    /** Work on a channel of its own, closed afterwards. */
    public interface ChannelWork<T> {
        T run(Channel channel) throws IOException, TimeoutException, InterruptedException;
    }

    void start(@Observes StartupEvent event) {
        Uni.createFrom().item(this::connection)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure(RabbitConnections::tlsRefused).invoke(this::stopOnTls)
                .onFailure(e -> !RabbitConnections.tlsRefused(e)).invoke(e -> LOG.warnf("HOTPOT-MSG-002 RabbitMQ at %s is unreachable (%s); trying again each second",
                        connections.describe(), e.getMessage()))
                .onFailure(e -> !stopping && !RabbitConnections.tlsRefused(e)).retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(1))
                .indefinitely()
                .subscribe().with(c -> LOG.infof("HOTPOT-MSG-001 connected to RabbitMQ at %s (node %s)", connections.describe(),
                        c.getAddress().getHostAddress() + ":" + c.getPort()),
                        e -> LOG.debugf("admin connection not opened: %s", e.getMessage()));
    }

    /**
     * The TLS handshake of the first connection failed ({@link RabbitConnections#tlsFailure}): trying
     * again each second cannot mend a configuration, so the service stops, saying why, as with a
     * missing password.
     */
    private void stopOnTls(Throwable e) {
        stopping = true;
        LOG.error(connections.tlsFailure(e));
        io.quarkus.runtime.Quarkus.asyncExit(1);
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        Connection current = connection;
        if (current != null) {
            try {
                current.close(2000);
            } catch (IOException | RuntimeException e) {
                LOG.debugf("closing the RabbitMQ admin connection: %s", e.getMessage());
            }
        }
    }

    /** Whether the connection is open right now (false while the client recovers it). */
    public boolean isOpen() {
        Connection current = connection;
        return current != null && current.isOpen();
    }

    /** Runs blocking work on a fresh channel, on a worker thread. */
    public <T> Uni<T> call(ChannelWork<T> work) {
        return Uni.createFrom().item(() -> {
            try {
                return callBlocking(work);
            } catch (IOException | TimeoutException e) {
                throw new BrokerException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BrokerException(e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Runs blocking work on a fresh channel, on the calling thread (never an event loop). */
    public <T> T callBlocking(ChannelWork<T> work) throws IOException, TimeoutException, InterruptedException {
        Channel channel;
        try {
            channel = connection().createChannel();
        } catch (com.rabbitmq.client.ShutdownSignalException e) {
            throw new BrokerException(e); // the connection is down, being recovered
        }
        try {
            return work.run(channel);
        } catch (com.rabbitmq.client.ShutdownSignalException e) {
            throw new BrokerException(e);
        } finally {
            try {
                if (channel.isOpen()) {
                    channel.close();
                }
            } catch (IOException | TimeoutException | RuntimeException e) {
                LOG.debugf("closing an admin channel: %s", e.getMessage());
            }
        }
    }

    private synchronized Connection connection() {
        if (connection == null) {
            try {
                ConnectionFactory factory = connections.connectionFactory();
                factory.setTopologyRecoveryEnabled(false); // it declares nothing that must come back by itself
                connection = factory.newConnection(connections.addresses(), connections.name() + " admin");
            } catch (IOException | TimeoutException e) {
                throw new BrokerException(e);
            }
        }
        return connection;
    }
}
