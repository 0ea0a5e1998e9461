package io.hotpot.worker.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.hotpot.common.Amqp;
import io.hotpot.common.RedisKeys;
import io.hotpot.common.TaskMessage;
import io.hotpot.worker.task.TaskRunner;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The worker's consumer loses its connection while it holds a full prefetch and a backlog waits
 * (RabbitMQ closes it, as when the connection's node goes; docs/decisions/0032), against the real
 * RabbitMQ and Redis on a queue of this run's own. It comes back by itself and every task ends
 * {@code SUCCESS}: the deliveries the lost channel held are run again from the queue, their old
 * acknowledgements go nowhere, and the backlog flows in no faster than the stream asks for it.
 */
@QuarkusTest
@TestProfile(ConsumerRecoveryTest.WidePrefetch.class)
class ConsumerRecoveryTest {
    static final String QUEUE = System.getProperty("hotpot-test-queue", "worker-test") + "-recovery";
    /** The default concurrency, more than the connector's buffer between RabbitMQ's thread and the stream (256). */
    static final int CONCURRENCY = 500;

    public static class WidePrefetch implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hotpot.worker.queue", QUEUE, "hotpot.worker.id", QUEUE,
                    "hotpot.worker.concurrency", Integer.toString(CONCURRENCY));
        }
    }

    @Inject
    RedisDataSource redis;
    @Inject
    ObjectMapper mapper;
    @Inject
    TaskRunner runner;

    @AfterAll
    static void deleteTheRunsQueue() throws Exception {
        try (Connection connection = factory().newConnection(); Channel channel = connection.createChannel()) {
            channel.queueDelete(Amqp.queueName(QUEUE));
            channel.queueDelete(Amqp.deadQueueName(QUEUE));
            channel.queueDelete(Amqp.urgentQueueName(QUEUE));
        }
    }

    private static ConnectionFactory factory() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        return factory;
    }

    @Test
    void aConsumerWhoseConnectionIsClosedComesBackAndEveryTaskSucceeds() throws Exception {
        String queue = Amqp.queueName(QUEUE);
        List<String> ids = new ArrayList<>();
        try (Connection amqp = factory().newConnection("worker-service recovery test"); Channel channel = amqp.createChannel()) {
            channel.confirmSelect();
            await().atMost(Duration.ofSeconds(20)).until(() -> channel.consumerCount(queue) == 1);
            // Three prefetches' worth of 1 s tasks: a full prefetch in hand and a backlog behind it.
            for (int i = 0; i < 3 * CONCURRENCY; i++) {
                String id = UUID.randomUUID().toString();
                TaskMessage message = new TaskMessage(id, "sleep", mapper.readTree("{\"seconds\":1}"), QUEUE, 0, Instant.now(),
                        "corr-" + id);
                channel.basicPublish(Amqp.TASKS_EXCHANGE, QUEUE, true,
                        new AMQP.BasicProperties.Builder().deliveryMode(2).messageId(id).build(), mapper.writeValueAsBytes(message));
                ids.add(id);
            }
            channel.waitForConfirmsOrDie(20_000);
        }
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> runner.inFlight() >= CONCURRENCY / 2);

        closeConnectionConsuming(queue);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> succeeded(ids) == ids.size());
        // The deliveries the lost channel held came back to the queue (their tasks ran on and succeeded): the worker
        // consumes again and takes them too, and nothing stays unsettled (a delivery acknowledged twice, or under
        // another channel's tag, would close the channel again).
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> queueState(queue), state -> state[0] == 0 && state[1] == 0 && state[2] == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> runner.inFlight() == 0);
    }

    private long succeeded(List<String> ids) {
        return ids.stream().filter(id -> "SUCCESS".equals(redis.hash(String.class).hget(RedisKeys.task(id), "status"))).count();
    }

    /** Has RabbitMQ close the connection of the queue's consumer (CONNECTION_FORCED), as a node that goes away does. */
    private static void closeConnectionConsuming(String queue) throws Exception {
        String channelPid = rabbitmqctl("list_consumers", "queue_name", "channel_pid").stream()
                .filter(cells -> cells[0].equals(queue)).map(cells -> cells[1]).findFirst()
                .orElseThrow(() -> new AssertionError("no consumer of " + queue));
        String connectionPid = rabbitmqctl("list_channels", "pid", "connection").stream()
                .filter(cells -> cells[0].equals(channelPid)).map(cells -> cells[1]).findFirst()
                .orElseThrow(() -> new AssertionError("no channel " + channelPid));
        run("close_connection", connectionPid, "closed by ConsumerRecoveryTest");
    }

    /** The queue's ready and unacknowledged messages and its consumers, as RabbitMQ counts them. */
    private static int[] queueState(String queue) throws Exception {
        return rabbitmqctl("list_queues", "name", "messages_ready", "messages_unacknowledged", "consumers").stream()
                .filter(cells -> cells[0].equals(queue))
                .map(cells -> new int[] { Integer.parseInt(cells[1]), Integer.parseInt(cells[2]), Integer.parseInt(cells[3]) })
                .findFirst().orElseThrow();
    }

    /** A rabbitmqctl listing of the shared broker: the cells of each line. */
    private static List<String[]> rabbitmqctl(String command, String... columns) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(command, "-q", "--no-table-headers"));
        arguments.addAll(List.of(columns));
        List<String[]> lines = new ArrayList<>();
        for (String line : run(arguments.toArray(String[]::new)).split("\n")) {
            String[] cells = line.trim().split("\\s+");
            if (cells.length == columns.length) {
                lines.add(cells);
            }
        }
        return lines;
    }

    private static String run(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0, command + ": " + out);
        return out;
    }
}
