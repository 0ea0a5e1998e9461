package io.hotpot.messaging;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The prod profile refuses to start without a RabbitMQ password; a built-in default does not count. */
class BrokerPasswordCheckTest {
    private static SmallRyeConfig config(String profile, Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withProfile(profile)
                // What a @WithDefault("guest") on the connection settings registers.
                .withDefaultValue(BrokerPasswordCheck.KEY, "guest")
                .withSources(new PropertiesConfigSource(properties, "test", 250)).build();
    }

    @Test
    void prodWithoutAPasswordStopsWithAClearMessage() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> BrokerPasswordCheck.verify(config("prod", Map.of())));
        assertTrue(refused.getMessage().contains("RABBITMQ_PASSWORD"), refused.getMessage());
        assertThrows(IllegalStateException.class,
                () -> BrokerPasswordCheck.verify(config("prod", Map.of(BrokerPasswordCheck.KEY, " "))));
    }

    @Test
    void prodWithAPasswordAndOtherProfilesStart() {
        assertDoesNotThrow(() -> BrokerPasswordCheck.verify(config("prod", Map.of(BrokerPasswordCheck.KEY, "p#ss$w%rd@:/"))));
        assertDoesNotThrow(() -> BrokerPasswordCheck.verify(config("dev", Map.of())));
        assertDoesNotThrow(() -> BrokerPasswordCheck.verify(config("test", Map.of())));
    }
}
