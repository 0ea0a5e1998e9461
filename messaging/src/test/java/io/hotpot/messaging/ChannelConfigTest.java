package io.hotpot.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void theConnectorMakesItsConnectionsFromTheRabbitmqKeysOnly() throws IOException {
        Properties p = shared();
        assertEquals(io.hotpot.messaging.internals.RabbitConnections.CLIENT_OPTIONS,
                p.getProperty("mp.messaging.connector.smallrye-rabbitmq.client-options-name"));
        for (String key : p.stringPropertyNames()) {
            assertFalse(key.matches("rabbitmq-(host|port|username|password|addresses|virtual-host|ssl).*"),
                    key + ": the connector's own broker keys are not used, its connections come from rabbitmq.*");
        }
        assertEquals(null, p.getProperty("rabbitmq.password"), "no password outside dev and test");
        assertEquals("2147483647", p.getProperty("rabbitmq-reconnect-attempts"), "publishers reconnect for as long as it takes");
    }

    @Test
    void theWorkExchangeParksWhatNoQueueTakes() {
        assertEquals(Amqp.UNROUTABLE_EXCHANGE, Amqp.exchangeArguments().get("alternate-exchange"));
        assertEquals(Amqp.exchangeArguments(), new QueueArguments(Amqp.QueueType.CLASSIC, 20).workExchange());
    }

    @Test
    void taskQueuesAreDeclaredAsConfiguredByEveryone() {
        assertEquals(Amqp.queueArguments(), new QueueArguments(Amqp.QueueType.CLASSIC, 20).taskQueue());
        QueueArguments quorum = new QueueArguments(Amqp.QueueType.QUORUM, 3);
        assertEquals(Amqp.queueArguments(Amqp.QueueType.QUORUM, 3), quorum.taskQueue(), "the connector's declaration");
        assertEquals(quorum.taskQueue(), quorum.task(), "QueueTopology's declaration");
        assertEquals("quorum", quorum.keeping().get("x-queue-type"), "dead letters are replicated too");
    }

    @Test
    void urgentTasksGoApartOnlyWithQuorumQueues() {
        assertEquals("q", TaskPublisher.routingKey("q", 9, false), "classic queues order by x-max-priority");
        assertEquals("q", TaskPublisher.routingKey("q", Amqp.URGENT_PRIORITY - 1, true));
        assertEquals(Amqp.urgentRoutingKey("q"), TaskPublisher.routingKey("q", Amqp.URGENT_PRIORITY, true));
        assertEquals(Amqp.urgentRoutingKey("q"), TaskPublisher.routingKey("q", Amqp.MAX_PRIORITY, true));
    }
}
