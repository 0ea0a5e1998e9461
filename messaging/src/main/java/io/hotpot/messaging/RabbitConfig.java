package io.hotpot.messaging;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where RabbitMQ is and how Hotpot talks to it: {@code rabbitmq.*}, so the environment variables
 * {@code RABBITMQ_HOST}, {@code RABBITMQ_PORT}, {@code RABBITMQ_USERNAME}, {@code RABBITMQ_PASSWORD}
 * set them. The connector's own keys ({@code rabbitmq-host} and the others in this module's
 * {@code META-INF/microprofile-config.properties}) are set from these, so each value is given once.
 * The password is used as it is, never put into a URI.
 */
@ConfigMapping(prefix = "rabbitmq")
public interface RabbitConfig {
    /** Broker host name. */
    @WithDefault("127.0.0.1")
    String host();

    /** Broker AMQP port. */
    @WithDefault("5672")
    int port();

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
