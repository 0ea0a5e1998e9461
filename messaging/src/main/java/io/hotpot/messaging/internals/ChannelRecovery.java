package io.hotpot.messaging.internals;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.smallrye.reactive.messaging.ClientCustomizer;
import io.vertx.rabbitmq.RabbitMQOptions;

/**
 * How each of the connector's connections comes back once lost (docs/decisions/0032). The Vert.x
 * RabbitMQ client has two ways, which its documentation calls incompatible, and which one a
 * channel gets depends on its direction:
 * <ul>
 * <li>A <b>consuming</b> channel uses the Java client's automatic recovery: the same channel and
 * consumer come back, on another node of the list, with their prefetch and declarations; the
 * acknowledgements of deliveries made before the loss, which RabbitMQ has requeued, are dropped by
 * the client. The Vert.x client's own restart is wrong for a consumer: it consumes again on a new
 * connection with the stream's demand ignored (a backlog of a prefetch's worth floods the
 * connector's buffer, whose overflow ends the channel for good: a worker that consumes nothing),
 * and it sends the old deliveries' acknowledgements on the new channel under stale delivery tags
 * (RabbitMQ closes it for an unknown tag, which restarts it again, or takes one as another message's).</li>
 * <li>An <b>outgoing</b> channel uses the Vert.x client's restart, which its publisher is built for:
 * it declares its exchange again on each new connection, and a message it sent unconfirmed on the
 * lost one is answered as not confirmed ({@link ConfirmedSend}).</li>
 * </ul>
 * The Java client never tries a first connection again: a consuming channel whose first connection
 * fails ends its stream, and its consumer subscribes again (the worker's {@code TaskConsumer}).
 */
@ApplicationScoped
public class ChannelRecovery implements ClientCustomizer<RabbitMQOptions> {
    private static final Logger LOG = Logger.getLogger(ChannelRecovery.class);

    private final Config config;

    public ChannelRecovery(Config config) {
        this.config = config;
    }

    @Override
    public RabbitMQOptions customize(String channel, Config channelConfig, RabbitMQOptions options) {
        if (consumes(channel)) {
            LOG.debugf("channel %s: recovered by the RabbitMQ Java client", channel);
            return options.setAutomaticRecoveryEnabled(true).setReconnectAttempts(0);
        }
        return options.setAutomaticRecoveryEnabled(false)
                .setReconnectAttempts(Integer.MAX_VALUE)
                .setReconnectInterval(RabbitConnections.RECOVERY_INTERVAL_MS);
    }

    /** Whether {@code channel} is one of this service's incoming channels. */
    boolean consumes(String channel) {
        return config.getOptionalValue("mp.messaging.incoming." + channel + ".connector", String.class).isPresent();
    }
}
