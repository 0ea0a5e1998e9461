package io.hotpot.messaging.internals;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.ConnectionFactory;

import io.hotpot.messaging.RabbitConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.rabbitmq.RabbitMQOptions;

/**
 * How every connection to RabbitMQ is made, from {@link RabbitConfig} alone: the connector's (each
 * channel names {@link #CLIENT_OPTIONS} in {@code client-options-name}) and the
 * {@link AdminConnection}. Both take the same node list, credentials, virtual host, heartbeat,
 * recovery and TLS material, so the two can never point at different brokers.
 */
@ApplicationScoped
public class RabbitConnections {
    /** Identifier of the connector's client options, named by every channel's {@code client-options-name}. */
    public static final String CLIENT_OPTIONS = "hotpot-rabbitmq";
    /** Seconds between heartbeats: a dead node is noticed within two of them. */
    static final int HEARTBEAT_SECONDS = 15;
    /** Milliseconds between attempts to recover a lost connection, to the next node in the list. */
    static final int RECOVERY_INTERVAL_MS = 1000;
    static final int CONNECT_TIMEOUT_MS = 5000;

    private final RabbitConfig rabbit;
    private final Vertx vertx;
    private final String name;

    public RabbitConnections(RabbitConfig rabbit, Vertx vertx,
            @ConfigProperty(name = "quarkus.application.name") String application) {
        this.rabbit = rabbit;
        this.vertx = vertx;
        this.name = "hotpot " + application;
    }

    /**
     * Stops the start on a node list or TLS setting that can never work, with a message naming the
     * key, instead of trying to connect with it each second.
     */
    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        addresses();
        if (rabbit.tls().enabled()) {
            sslContext();
        }
    }

    /** The nodes to connect to, in the order given: {@code rabbitmq.addresses}, else host and port. */
    public List<Address> addresses() {
        return addresses(rabbit);
    }

    static List<Address> addresses(RabbitConfig rabbit) {
        return rabbit.addresses().map(RabbitConnections::parse)
                .orElseGet(() -> List.of(new Address(rabbit.host(), rabbit.port())));
    }

    /** {@code host:port} entries as addresses; a clear error for one that is not. */
    static List<Address> parse(List<String> hostsAndPorts) {
        return hostsAndPorts.stream().map(RabbitConnections::address).toList();
    }

    private static Address address(String hostAndPort) {
        String value = hostAndPort.trim();
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("HOTPOT-MSG-006 rabbitmq.addresses: '" + value
                    + "' is not host:port (give the port of every node)");
        }
        try {
            return new Address(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("HOTPOT-MSG-006 rabbitmq.addresses: '" + value + "' has no numeric port", e);
        }
    }

    /** A short description of where RabbitMQ is, for log lines. */
    public String describe() {
        return (rabbit.tls().enabled() ? "amqps " : "amqp ") + addresses();
    }

    /** The connector's client options; a new instance for each channel that asks. */
    @Produces
    @Identifier(CLIENT_OPTIONS)
    RabbitMQOptions clientOptions() {
        RabbitMQOptions options = new RabbitMQOptions()
                .setConnectionName(name)
                .setAddresses(addresses())
                .setUser(rabbit.username())
                .setPassword(rabbit.password().orElse(""))
                .setVirtualHost(rabbit.virtualHost())
                .setRequestedHeartbeat(HEARTBEAT_SECONDS)
                .setConnectionTimeout(CONNECT_TIMEOUT_MS)
                // How a lost connection comes back depends on the channel's direction: ChannelRecovery.
                .setNetworkRecoveryInterval(RECOVERY_INTERVAL_MS);
        RabbitConfig.Tls tls = rabbit.tls();
        if (tls.enabled()) {
            options.setSsl(true);
            tls.ca().ifPresent(ca -> options.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
            keyCert().ifPresent(options::setKeyCertOptions);
        }
        return options;
    }

    /** Sets up a plain RabbitMQ client factory the same way (the admin connection). */
    public ConnectionFactory connectionFactory() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUsername(rabbit.username());
        factory.setPassword(rabbit.password().orElse(""));
        factory.setVirtualHost(rabbit.virtualHost());
        factory.setAutomaticRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(RECOVERY_INTERVAL_MS);
        factory.setRequestedHeartbeat(HEARTBEAT_SECONDS);
        factory.setConnectionTimeout(CONNECT_TIMEOUT_MS);
        if (rabbit.tls().enabled()) {
            factory.useSslProtocol(sslContext());
            factory.enableHostnameVerification();
        }
        return factory;
    }

    /** Whether a TLS handshake failed somewhere under {@code e}. */
    static boolean tlsRefused(Throwable e) {
        return Stream.iterate(e, Objects::nonNull, Throwable::getCause).anyMatch(javax.net.ssl.SSLException.class::isInstance);
    }

    /**
     * What to say when the TLS handshake of a first connection failed: the broker's certificate does
     * not chain to {@code rabbitmq.tls.ca} or does not name the host, the port does not speak TLS, or
     * the broker refused the client certificate.
     */
    String tlsFailure(Throwable e) {
        return "HOTPOT-MSG-009 TLS to RabbitMQ at " + describe() + " failed: " + rootMessage(e) + ". Check that "
                + "rabbitmq.tls.ca (RABBITMQ_TLS_CA) is the CA that signed the broker's certificate, that the certificate names "
                + "the host connected to, that the port is the broker's TLS port, and, if it asks for one, the client certificate "
                + "(rabbitmq.tls.cert, rabbitmq.tls.key). Stopping.";
    }

    /** The innermost cause's message: what the TLS layer said. */
    private static String rootMessage(Throwable e) {
        Throwable root = Stream.iterate(e, Objects::nonNull, Throwable::getCause).reduce((outer, inner) -> inner).orElse(e);
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    /** The connection name of this service's connections, as the broker lists them. */
    public String name() {
        return name;
    }

    private java.util.Optional<PemKeyCertOptions> keyCert() {
        RabbitConfig.Tls tls = rabbit.tls();
        if (tls.cert().isPresent() != tls.key().isPresent()) {
            throw new IllegalArgumentException("HOTPOT-MSG-007 rabbitmq.tls.cert and rabbitmq.tls.key go together: "
                    + "give both (a client certificate and its key) or neither");
        }
        return tls.cert().map(cert -> new PemKeyCertOptions().setCertPath(cert.toString())
                .setKeyPath(tls.key().orElseThrow().toString()));
    }

    private SSLContext sslContext() {
        RabbitConfig.Tls tls = rabbit.tls();
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            KeyManager[] keys = keyCert().isPresent() ? keyCert().get().getKeyManagerFactory(vertx).getKeyManagers() : null;
            javax.net.ssl.TrustManager[] trust = tls.ca().isPresent()
                    ? new PemTrustOptions().addCertPath(tls.ca().get().toString()).getTrustManagerFactory(vertx).getTrustManagers()
                    : null;
            context.init(keys, trust, null);
            return context;
        } catch (Exception e) { // what Vert.x's PEM readers throw for a missing or malformed file is not declared
            throw new IllegalStateException("HOTPOT-MSG-008 the TLS material for RabbitMQ could not be read (rabbitmq.tls.ca "
                    + tls.ca().orElse(null) + ", cert " + tls.cert().orElse(null) + "): " + e.getMessage(), e);
        }
    }
}
