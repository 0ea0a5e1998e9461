package io.hotpot.messaging.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.rabbitmq.RabbitMQOptions;

/**
 * Which way each channel's connection comes back (docs/decisions/0032): a consuming channel's
 * through the Java client's recovery, an outgoing channel's through the Vert.x client's restart.
 */
class ChannelRecoveryTest {
    private static ChannelRecovery recovery(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(properties, "test", 500)).build();
        return new ChannelRecovery(config);
    }

    private static final Map<String, String> CHANNELS = Map.of("mp.messaging.incoming.tasks-in.connector", "smallrye-rabbitmq",
            "mp.messaging.outgoing.tasks-out.connector", "smallrye-rabbitmq");

    @Test
    void aConsumingChannelIsRecoveredByTheJavaClientAlone() {
        RabbitMQOptions options = recovery(CHANNELS).customize("tasks-in", null, new RabbitMQOptions());
        assertTrue(options.isAutomaticRecoveryEnabled());
        assertEquals(0, options.getReconnectAttempts(), "the Vert.x client's restart is off");
    }

    @Test
    void anOutgoingChannelIsRestartedByTheVertxClientForAsLongAsItTakes() {
        RabbitMQOptions options = recovery(CHANNELS).customize("tasks-out", null, new RabbitMQOptions());
        assertFalse(options.isAutomaticRecoveryEnabled(), "not both: the two ways undo each other");
        assertEquals(Integer.MAX_VALUE, options.getReconnectAttempts());
        assertEquals(RabbitConnections.RECOVERY_INTERVAL_MS, options.getReconnectInterval());
    }

    @Test
    void theVertxClientsLinesThatSayAConsumerWillNotComeBackAreDropped() {
        RecoveryLogFilter filter = new RecoveryLogFilter();
        for (String line : RecoveryLogFilter.MISLEADING) {
            LogRecord record = new LogRecord(Level.SEVERE, line);
            record.setLoggerName(RecoveryLogFilter.VERTX_CLIENT);
            assertFalse(filter.isLoggable(record), line);
            LogRecord elsewhere = new LogRecord(Level.SEVERE, line);
            elsewhere.setLoggerName("io.hotpot.SomethingElse");
            assertTrue(filter.isLoggable(elsewhere), "only the Vert.x client's");
        }
        LogRecord shutdown = new LogRecord(Level.INFO, "RabbitMQ connection shutdown! The client will attempt to reconnect automatically");
        shutdown.setLoggerName(RecoveryLogFilter.VERTX_CLIENT);
        assertTrue(filter.isLoggable(shutdown));
    }
}
