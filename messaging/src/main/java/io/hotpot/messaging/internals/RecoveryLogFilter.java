package io.hotpot.messaging.internals;

import java.util.Set;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Drops two lines the Vert.x RabbitMQ client logs when a consuming channel's connection is lost,
 * which say the opposite of what happens: "Retries disabled. Will not attempt to restart" (an
 * error) and "reconnect success". The client's own restart is off for consuming channels because
 * the RabbitMQ Java client recovers them ({@link ChannelRecovery}); its line "RabbitMQ connection
 * shutdown! The client will attempt to reconnect automatically" stays, and is true.
 */
@LoggingFilter(name = RecoveryLogFilter.NAME)
public final class RecoveryLogFilter implements Filter {
    /** The name the console handler is given it by ({@code quarkus.log.console.filter}). */
    public static final String NAME = "hotpot-rabbitmq-recovery";
    static final String VERTX_CLIENT = "io.vertx.rabbitmq.impl.RabbitMQClientImpl";
    static final Set<String> MISLEADING = Set.of("Retries disabled. Will not attempt to restart", "reconnect success");

    @Override
    public boolean isLoggable(LogRecord record) {
        return !(VERTX_CLIENT.equals(record.getLoggerName()) && MISLEADING.contains(record.getMessage()));
    }
}
