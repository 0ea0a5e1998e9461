package io.hotpot.messaging;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.hotpot.common.Amqp;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where RabbitMQ is and how Hotpot talks to it: {@code rabbitmq.*}, so the environment variables
 * {@code RABBITMQ_HOST}, {@code RABBITMQ_PORT}, {@code RABBITMQ_USERNAME}, {@code RABBITMQ_PASSWORD}
 * set them. Every connection, the connector's ({@link io.hotpot.messaging.internals.RabbitConnections})
 * and the admin connection, is made from these, so each value is given once. The password is used
 * as it is, never put into a URI. A cluster: {@code rabbitmq.addresses} and quorum queues
 * (docs/decisions/0032-rabbitmq-cluster.md).
 */
@ConfigMapping(prefix = "rabbitmq")
public interface RabbitConfig {
    /** Broker host name. */
    @WithDefault("127.0.0.1")
    String host();

    /** Broker AMQP port. */
    @WithDefault("5672")
    int port();

    /**
     * The nodes of a cluster, {@code host:port} each ({@code RABBITMQ_ADDRESSES}, comma-separated);
     * when set, {@link #host()} and {@link #port()} are not used. A connection goes to one of them
     * that answers (the client shuffles the list) and, when its node goes, is recovered to another.
     */
    Optional<List<String>> addresses();

    /**
     * How task and dead-letter queues are declared ({@code RABBITMQ_QUEUE_TYPE}): {@code classic}
     * for a single node, {@code quorum} for a cluster. RabbitMQ refuses to re-declare an existing
     * queue with another type: changing it means moving the queues (docs/decisions/0032).
     */
    @WithDefault("classic")
    Amqp.QueueType queueType();

    /**
     * Quorum queues only: a task whose delivery was returned this many times (its worker died or
     * lost its connection each time) is not run again but recorded as {@code FAILURE} and kept
     * among the dead letters; RabbitMQ's own {@code x-delivery-limit} is the same number.
     */
    @WithDefault("20")
    int deliveryLimit();

    /** TLS to RabbitMQ ({@code amqps}). */
    Tls tls();

    /** TLS settings: the CA that signed the broker's certificate, and an optional client certificate. */
    interface Tls {
        /** Whether connections use TLS ({@code RABBITMQ_TLS_ENABLED}); the broker's TLS port then goes in port or addresses. */
        @WithDefault("false")
        boolean enabled();

        /** PEM file of the CA certificate(s) the broker's certificate must chain to; the JVM's trust store when absent. */
        Optional<Path> ca();

        /** PEM file of a client certificate, for brokers that ask for one (with {@link #key()}). */
        Optional<Path> cert();

        /** PEM file of the client certificate's private key (PKCS#8). */
        Optional<Path> key();
    }

    /** User name. */
    @WithDefault("guest")
    String username();

    /** Password, as it is; none in the prod profile unless given ({@link BrokerPasswordCheck}). */
    Optional<String> password();

    /** Virtual host. */
    @WithDefault("/")
    String virtualHost();

    /**
     * How long a publish may wait for RabbitMQ's confirm. Past it the publish fails (a submission
     * answers 503) and the task is withdrawn, so that a late copy never runs.
     */
    @WithDefault("5s")
    Duration publishTimeout();

    /**
     * Whether this service publishes tasks, and so opens its publisher's connection at start-up
     * with a first confirmed message ({@link PublisherWarmUp}); worker-service publishes none.
     */
    @WithDefault("true")
    boolean publisherWarmUp();
}
