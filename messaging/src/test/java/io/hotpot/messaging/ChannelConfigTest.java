package io.hotpot.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import io.hotpot.common.Amqp;

/** The shared channel configuration names the RabbitMQ objects that {@link Amqp} names. */
class ChannelConfigTest {
    private static Properties shared() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = ChannelConfigTest.class.getResourceAsStream("/META-INF/microprofile-config.properties")) {
            assertNotNull(in, "META-INF/microprofile-config.properties is on the classpath");
            properties.load(in);
        }
        return properties;
    }

    @Test
    void tasksOutPublishesToTheWorkExchangeWithItsArgumentsAndConfirms() throws IOException {
        Properties p = shared();
        String prefix = "mp.messaging.outgoing." + TaskPublisher.CHANNEL + ".";
        assertEquals("smallrye-rabbitmq", p.getProperty(prefix + "connector"));
        assertEquals(Amqp.TASKS_EXCHANGE, p.getProperty(prefix + "exchange.name"));
        assertEquals("direct", p.getProperty(prefix + "exchange.type"));
        assertEquals(QueueArguments.WORK_EXCHANGE, p.getProperty(prefix + "exchange.arguments"));
        assertEquals("true", p.getProperty(prefix + "publish-confirms"));
        assertEquals("0", p.getProperty(prefix + "retry-on-fail-attempts"), "a failed send is answered, never retried later");
    }

    @Test
    void deadLettersOutPublishesToTheDeadExchangeAndConfirms() throws IOException {
        Properties p = shared();
        String prefix = "mp.messaging.outgoing." + DeadLetterPublisher.CHANNEL + ".";
        assertEquals(Amqp.DEAD_EXCHANGE, p.getProperty(prefix + "exchange.name"));
        assertEquals("direct", p.getProperty(prefix + "exchange.type"));
        assertEquals("true", p.getProperty(prefix + "publish-confirms"));
        assertEquals("0", p.getProperty(prefix + "retry-on-fail-attempts"));
    }

    @Test
    void theConnectorTakesTheBrokerFromRabbitmqKeysAndRecovers() throws IOException {
        Properties p = shared();
        assertEquals("${rabbitmq.host}", p.getProperty("rabbitmq-host"));
        assertEquals("${rabbitmq.port}", p.getProperty("rabbitmq-port"));
        assertEquals("${rabbitmq.username}", p.getProperty("rabbitmq-username"));
        assertEquals("${rabbitmq.password:}", p.getProperty("rabbitmq-password"));
        assertEquals(null, p.getProperty("rabbitmq.password"), "no password outside dev and test");
        assertEquals("true", p.getProperty("mp.messaging.connector.smallrye-rabbitmq.automatic-recovery-enabled"));
    }

    @Test
    void theWorkExchangeParksWhatNoQueueTakes() {
        assertEquals(Amqp.UNROUTABLE_EXCHANGE, Amqp.exchangeArguments().get("alternate-exchange"));
        assertEquals(Amqp.exchangeArguments(), new QueueArguments().workExchange());
        assertEquals(Amqp.queueArguments(), new QueueArguments().taskQueue());
    }
}
