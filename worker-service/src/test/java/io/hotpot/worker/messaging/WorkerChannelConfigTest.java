package io.hotpot.worker.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import io.hotpot.common.Amqp;
import io.hotpot.messaging.QueueArguments;

/** The worker's incoming channel consumes the queue, exchange and arguments that {@link Amqp} names. */
class WorkerChannelConfigTest {
    @Test
    void tasksInConsumesTheConfiguredQueueWithManualAcksAndThePrefetch() throws IOException {
        Properties p = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            p.load(in);
        }
        String prefix = "mp.messaging.incoming." + TaskConsumer.CHANNEL + ".";
        assertEquals("smallrye-rabbitmq", p.getProperty(prefix + "connector"));
        assertEquals(Amqp.queueName("${hotpot.worker.queue}"), p.getProperty(prefix + "queue.name"));
        assertEquals("${hotpot.worker.queue}", p.getProperty(prefix + "routing-keys"));
        assertEquals(QueueArguments.TASK_QUEUE, p.getProperty(prefix + "queue.arguments"));
        assertEquals(Amqp.TASKS_EXCHANGE, p.getProperty(prefix + "exchange.name"));
        assertEquals("direct", p.getProperty(prefix + "exchange.type"));
        assertEquals(QueueArguments.WORK_EXCHANGE, p.getProperty(prefix + "exchange.arguments"));
        assertEquals("${hotpot.worker.concurrency}", p.getProperty(prefix + "max-outstanding-messages"));
        assertEquals("reject", p.getProperty(prefix + "failure-strategy"));
        assertEquals(null, p.getProperty(prefix + "auto-acknowledgement"), "manual acks (the connector's default)");
    }

    @Test
    void urgentInConsumesTheUrgentQueueLikeTasksIn() throws IOException {
        Properties p = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            p.load(in);
        }
        String prefix = "mp.messaging.incoming." + TaskConsumer.URGENT_CHANNEL + ".";
        assertEquals(Amqp.urgentQueueName("${hotpot.worker.queue}"), p.getProperty(prefix + "queue.name"));
        assertEquals(Amqp.urgentRoutingKey("${hotpot.worker.queue}"), p.getProperty(prefix + "routing-keys"));
        assertEquals("${hotpot.worker.urgent-concurrency}", p.getProperty(prefix + "max-outstanding-messages"));
        for (String same : new String[] { "connector", "queue.arguments", "exchange.name", "exchange.type", "exchange.arguments",
                "content-type-override", "failure-strategy", "pausable" }) {
            assertEquals(p.getProperty("mp.messaging.incoming." + TaskConsumer.CHANNEL + "." + same), p.getProperty(prefix + same), same);
        }
    }
}
