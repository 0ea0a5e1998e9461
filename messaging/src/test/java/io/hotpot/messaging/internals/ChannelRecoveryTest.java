package io.hotpot.messaging.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.hotpot.messaging.RabbitConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.Vertx;
import io.vertx.rabbitmq.RabbitMQOptions;

/**
 * Which way each channel's connection comes back (docs/decisions/0032), against the shared
 * RabbitMQ: a consuming channel's through the Java client's recovery, made once RabbitMQ answers;
 * an outgoing channel's through the Vert.x client's restart.
 */
class ChannelRecoveryTest {
    private static final Vertx VERTX = Vertx.vertx();

    @AfterAll
    static void close() {
        VERTX.close();
    }

    private static ChannelRecovery recovery(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(RabbitConfig.class)
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build();
        RabbitConnections connections = new RabbitConnections(config.getConfigMapping(RabbitConfig.class), VERTX, "test-service");
        return new ChannelRecovery(connections, config);
    }

    private static final Map<String, String> CHANNELS = Map.of("rabbitmq.password", "guest",
            "mp.messaging.incoming.tasks-in.connector", "smallrye-rabbitmq",
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
    void aConsumingChannelThatCannotShakeHandsOverTlsStopsTheStartSayingWhatToCheck() {
        Map<String, String> tls = new java.util.HashMap<>(CHANNELS);
        tls.put("rabbitmq.tls.enabled", "true"); // against the shared broker's plain port
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> recovery(tls).customize("tasks-in", null, new RabbitMQOptions()));
        assertTrue(e.getMessage().startsWith("HOTPOT-MSG-009 TLS to RabbitMQ at amqps") && e.getMessage().contains("rabbitmq.tls.ca"),
                e.getMessage());
    }

    @Test
    void aConsumingChannelIsMadeOnceRabbitMqAnswersThoughItWasNotThereAtFirst() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Map<String, String> later = new java.util.HashMap<>(CHANNELS);
        later.put("rabbitmq.port", Integer.toString(port));
        // RabbitMQ "comes" 1.5 s after the wait began: a forwarder to the shared broker opens on the port.
        java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        java.util.concurrent.ScheduledFuture<java.net.ServerSocket> forwarder = timer.schedule(() -> forwardTo5672(port), 1500,
                java.util.concurrent.TimeUnit.MILLISECONDS);
        long began = System.nanoTime();
        try {
            RabbitMQOptions options = recovery(later).customize("tasks-in", null, new RabbitMQOptions());
            assertTrue(options.isAutomaticRecoveryEnabled());
            assertTrue(System.nanoTime() - began >= java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(1500), "it waited");
        } finally {
            forwarder.get().close();
            timer.shutdownNow();
        }
    }

    @Test
    void theWaitEndsWhenTheServiceIsStopped() throws Exception {
        Map<String, String> nowhere = new java.util.HashMap<>(CHANNELS);
        nowhere.put("rabbitmq.port", "1");
        Thread.currentThread().interrupt(); // as the shutdown hook does on SIGTERM
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> recovery(nowhere).customize("tasks-in", null, new RabbitMQOptions()));
        assertTrue(e.getMessage().startsWith("stopped while waiting for RabbitMQ"), e.getMessage());
        Thread.interrupted();
    }

    /** Listens on {@code port} and pipes each connection to the shared RabbitMQ, both ways. */
    private static java.net.ServerSocket forwardTo5672(int port) throws java.io.IOException {
        java.net.ServerSocket server = new java.net.ServerSocket(port, 50, java.net.InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    java.net.Socket client = server.accept();
                    java.net.Socket broker = new java.net.Socket("127.0.0.1", 5672);
                    Thread.ofVirtual().start(() -> pipe(client, broker));
                    Thread.ofVirtual().start(() -> pipe(broker, client));
                } catch (java.io.IOException closed) {
                    return;
                }
            }
        });
        return server;
    }

    private static void pipe(java.net.Socket from, java.net.Socket to) {
        try (from; to) {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (java.io.IOException ended) {
            // one side closed: close both
        }
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
