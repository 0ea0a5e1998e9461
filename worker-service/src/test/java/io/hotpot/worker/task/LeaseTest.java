package io.hotpot.worker.task;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.hotpot.common.Amqp;
import io.hotpot.common.RedisKeys;
import io.hotpot.common.TaskMessage;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A long attempt becomes a lease (docs/decisions/0031), against the real RabbitMQ and Redis, on a
 * queue of this run's own: with {@code lease-after} 1 s a 12 s task's message is acked early and
 * waits in the due set with a future score, renewed while it runs, and is gone once the outcome
 * is recorded.
 */
@QuarkusTest
@TestProfile(LeaseTest.ShortLease.class)
class LeaseTest {
    static final String QUEUE = System.getProperty("hotpot-test-queue", "worker-test") + "-lease";

    /** Leases after 1 s, for 3 s, renewed every second. */
    public static class ShortLease implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hotpot.worker.queue", QUEUE, "hotpot.worker.id", QUEUE,
                    "hotpot.worker.lease-after", "1s", "hotpot.worker.lease", "3s");
        }
    }

    @Inject
    RedisDataSource redis;
    @Inject
    ObjectMapper mapper;
    @Inject
    TaskRunner runner;

    private Connection amqp;
    private Channel channel;
    private String id;

    @BeforeEach
    void connect() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        amqp = factory.newConnection("worker-service lease test");
        channel = amqp.createChannel();
        channel.confirmSelect();
        await().atMost(Duration.ofSeconds(20)).until(() -> channel.consumerCount(Amqp.queueName(QUEUE)) > 0);
    }

    @AfterEach
    void close() throws Exception {
        if (id != null) {
            redis.sortedSet(String.class).zrem(RedisKeys.DUE, id);
            redis.hash(String.class).hdel(RedisKeys.DUE_MESSAGES, id);
        }
        amqp.close();
    }

    @AfterAll
    static void deleteTheRunsQueue() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (Connection connection = factory.newConnection(); Channel ch = connection.createChannel()) {
            ch.queueDelete(Amqp.queueName(QUEUE));
            ch.queueDelete(Amqp.deadQueueName(QUEUE));
        }
    }

    private String status() {
        return redis.hash(String.class).hget(RedisKeys.task(id), "status");
    }

    private java.util.Optional<Double> leaseScore() {
        return redis.sortedSet(String.class).zscore(RedisKeys.DUE, id).stream().boxed().findFirst();
    }

    /** The queue's unacknowledged deliveries, as RabbitMQ counts them (AMQP itself does not tell). */
    private static int unacked(String queue) throws Exception {
        Process process = new ProcessBuilder("rabbitmqctl", "list_queues", "-q", "--no-table-headers", "name",
                "messages_unacknowledged").redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0, out);
        for (String line : out.split("\n")) {
            String[] cells = line.trim().split("\\s+");
            if (cells.length == 2 && cells[0].equals(queue)) {
                return Integer.parseInt(cells[1]);
            }
        }
        throw new AssertionError("queue " + queue + " not listed: " + out);
    }

    /** Publishes a {@code sleep} task of {@code seconds} to the worker's queue, confirmed; its id in {@link #id}. */
    private void publishSleep(int seconds) throws Exception {
        id = UUID.randomUUID().toString();
        TaskMessage message = new TaskMessage(id, "sleep", mapper.readTree("{\"seconds\":" + seconds + "}"), QUEUE, 0,
                Instant.now(), "corr-" + id);
        channel.basicPublish(Amqp.TASKS_EXCHANGE, QUEUE, true,
                new AMQP.BasicProperties.Builder().deliveryMode(2).messageId(id).build(), mapper.writeValueAsBytes(message));
        channel.waitForConfirmsOrDie(5000);
    }

    @Test
    void aStaleAttemptAcknowledgesItsDeliveryInsteadOfLeasing() throws Exception {
        // Long enough that the checks below, each rabbitmqctl call seconds on a loaded host, run while it does.
        publishSleep(15);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> "STARTED".equals(status()));
        // Before lease-after (1 s): a newer attempt of the task starts on another worker (as when a
        // lapsed lease and a redelivery both bring it back).
        redis.hash(String.class).hset(RedisKeys.task(id), Map.of("worker", "another-worker", "attempts", "2"));

        // At lease-after this attempt finds the record moved on: no lease, and its delivery acknowledged.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> unacked(Amqp.queueName(QUEUE)) == 0);
        assertEquals(List.of(id), runner.runningIds(), "acknowledged while the stale attempt still runs");
        assertTrue(leaseScore().isEmpty(), "no lease taken");
        // When it ends, nothing is settled twice and nothing comes back.
        await().atMost(Duration.ofSeconds(30)).until(() -> runner.inFlight() == 0);
        assertEquals(0, channel.messageCount(Amqp.queueName(QUEUE)));
        assertEquals(0, unacked(Amqp.queueName(QUEUE)));
        assertEquals(1, channel.consumerCount(Amqp.queueName(QUEUE)), "the worker's channel still consumes");
    }

    @Test
    void aLongAttemptIsAckedEarlyHoldsARenewedLeaseAndDropsItWhenItEnds() throws Exception {
        // Long enough that the checks below, each rabbitmqctl call seconds on a loaded host, run while it does.
        publishSleep(12);

        // Converted to a lease while it runs: its message in the due set, due in the future.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> leaseScore().isPresent());
        double first = leaseScore().orElseThrow();
        assertTrue(first > System.currentTimeMillis(), "the lease is due in the future");
        TaskMessage stored = mapper.readValue(redis.hash(String.class).hget(RedisKeys.DUE_MESSAGES, id), TaskMessage.class);
        assertEquals(id, stored.id());
        assertEquals(QUEUE, stored.queue());
        assertEquals(0, stored.retries());
        // ... and its delivery acknowledged (just after the lease was written): nothing unacked on the
        // queue while the task still runs.
        assertEquals("STARTED", status());
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> unacked(Amqp.queueName(QUEUE)) == 0);
        assertEquals("STARTED", status(), "the count was taken while the attempt ran");
        assertEquals(List.of(id), runner.runningIds());
        // Renewed while it runs.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> leaseScore().map(score -> score > first).orElse(true));

        await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCESS".equals(status()));
        Map<String, String> record = redis.hash(String.class).hgetall(RedisKeys.task(id));
        assertEquals("1", record.get("attempts"));
        assertEquals("\"slept 12.0 s\"", record.get("result"));
        // The outcome script dropped the lease with the record change.
        assertTrue(leaseScore().isEmpty());
        assertNull(redis.hash(String.class).hget(RedisKeys.DUE_MESSAGES, id));
        // Not acked twice (a second ack of the same tag would close the channel), nothing redelivered.
        await().atMost(Duration.ofSeconds(5)).until(() -> runner.inFlight() == 0);
        assertEquals(0, channel.messageCount(Amqp.queueName(QUEUE)));
        assertEquals(0, unacked(Amqp.queueName(QUEUE)));
        assertEquals(1, channel.consumerCount(Amqp.queueName(QUEUE)), "the worker's channel still consumes");
        assertEquals("1", redis.hash(String.class).hget(RedisKeys.task(id), "attempts"));
    }
}
