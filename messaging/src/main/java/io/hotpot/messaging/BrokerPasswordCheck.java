package io.hotpot.messaging;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.ConfigValue;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.SmallRyeConfig;

/**
 * Stops the start in the {@code prod} profile when no RabbitMQ password is configured
 * ({@code rabbitmq.password}, i.e. {@code RABBITMQ_PASSWORD}), as a missing signing key does: a
 * deployment must never fall back to {@code guest}. A value that only comes from a built-in
 * default (a {@code @WithDefault}) counts as missing; {@code %dev} and {@code %test} set {@code guest}.
 */
@ApplicationScoped
public class BrokerPasswordCheck {
    /** The key every AMQP service reads its broker password from. */
    static final String KEY = "rabbitmq.password";
    private static final Logger LOG = Logger.getLogger(BrokerPasswordCheck.class);

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        verify(ConfigProvider.getConfig());
    }

    /** @throws IllegalStateException in the prod profile without a configured password */
    static void verify(Config config) {
        if (!config.unwrap(SmallRyeConfig.class).getProfiles().contains("prod")) {
            return;
        }
        ConfigValue value = config.getConfigValue(KEY);
        boolean builtIn = value.getSourceOrdinal() == Integer.MIN_VALUE;
        if (value.getValue() == null || value.getValue().isBlank() || builtIn) {
            String message = "HOTPOT-MSG-005 no RabbitMQ password: set RABBITMQ_PASSWORD (rabbitmq.password; the chart "
                    + "takes it from its Secret, key rabbitmq-password). The prod profile has no default password.";
            LOG.error(message);
            throw new IllegalStateException(message);
        }
    }
}
