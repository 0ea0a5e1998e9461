package io.hotpot.api.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where RabbitMQ is: {@code rabbitmq.host} etc., so the environment variables
 * {@code RABBITMQ_HOST}, {@code RABBITMQ_PORT}, {@code RABBITMQ_USERNAME} and
 * {@code RABBITMQ_PASSWORD} set them. The password is used as it is, never put into a URI.
 */
@ConfigMapping(prefix = "rabbitmq")
public interface RabbitConfig {
    @WithDefault("127.0.0.1")
    String host();

    @WithDefault("5672")
    int port();

    @WithDefault("guest")
    String username();

    @WithDefault("guest")
    String password();

    @WithDefault("/")
    String virtualHost();
}
