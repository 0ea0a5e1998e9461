package io.hotpot.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import io.hotpot.common.Amqp;
import io.hotpot.common.Json;
import io.hotpot.common.RedisKeys;

/**
 * Tasks longer than RabbitMQ's consumer timeout (issue 3, item 12; docs/decisions/0031), on a
 * RabbitMQ node of this test's own whose {@code consumer_timeout} is 5 s (checked every second)
 * and a Redis of its own: workers lease after 2 s for 6 s. A 12 s task finishes once, and the
 * worker's channel survives to take the next task; a worker killed during a leased task is
 * replaced by another when the lease lapses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LongTaskIT {
    private static final String WORKER = "e2e-long-worker";
    private final ObjectMapper mapper = Json.newMapper();
    private OwnBrokers.Rabbit rabbit;
    private OwnRedis redis;
    private Suite suite;
    private List<String> brokers;

    @BeforeAll
    void start() throws Exception {
        // consumer_timeout is checked on the channel's tick, every minute by default: every second here.
        rabbit = new OwnBrokers.Rabbit("consumer_timeout = 5000\n", "[{rabbit, [{channel_tick_interval, 1000}]}].\n")
                .start();
        redis = new OwnRedis().start();
        brokers = List.of("-Drabbitmq.port=" + rabbit.port, "-Dredis.port=" + redis.port());
        suite = new Suite().start(Map.of("api-service", brokers, "worker-service", worker(WORKER, "default"),
                "scheduler-service", brokers, "chat-service", List.of("-Dredis.port=" + redis.port())));
        awaitWorker(WORKER);
    }

    @AfterAll
    void stop() throws Exception {
        if (suite != null) {
            suite.close();
        }
        if (rabbit != null) {
            rabbit.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private List<String> worker(String id, String queue) {
        List<String> properties = new ArrayList<>(brokers);
        properties.addAll(List.of("-Dhotpot.worker.id=" + id, "-Dhotpot.worker.queue=" + queue,
                "-Dhotpot.worker.lease-after=2s", "-Dhotpot.worker.lease=6s"));
        return properties;
    }

    private void awaitWorker(String id) {
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/workers").body().contains(id));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return suite.http().send(suite.request("api-service", path).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private String submit(String bodyJson) throws Exception {
        HttpResponse<String> response = suite.http().send(suite.request("api-service", "/api/tasks")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(bodyJson)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, response.statusCode(), response.body());
        return mapper.readTree(response.body()).get("id").asText();
    }

    private JsonNode record(String id) throws Exception {
        return mapper.readTree(get("/api/tasks/" + id).body());
    }

    private JsonNode awaitStatus(String id, String status, int seconds) throws Exception {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(200)).until(() -> {
            last[0] = record(id);
            return status.equals(last[0].path("status").asText());
        });
        return last[0];
    }

    /** The task's lease (or other due entry) in the test's Redis: its due time in epoch ms, -1 when none. */
    private long due(String id) throws Exception {
        try (RedisCli cli = new RedisCli(redis.port())) {
            String reply = cli.command("EVAL", "local s = redis.call('ZSCORE', KEYS[1], ARGV[1]) "
                    + "if s then return tonumber(s) end return -1", "1", RedisKeys.DUE, id);
            return Long.parseLong(reply.substring(1));
        }
    }

    private int[] queue(String name) throws Exception {
        return rabbit.queues().getOrDefault(name, new int[] { -1, -1 });
    }

    @Test
    void theNodeClosesAChannelHoldingADeliveryPastItsConsumerTimeout() throws Exception {
        // The control: without a lease, a delivery held unacknowledged past 5 s costs the channel.
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(rabbit.port);
        String queue = "e2e-consumer-timeout-control";
        try (Connection connection = factory.newConnection("consumer timeout control")) {
            Channel channel = connection.createChannel();
            channel.queueDeclare(queue, false, false, false, null);
            channel.basicPublish("", queue, null, "held".getBytes());
            channel.basicConsume(queue, false, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                    // never acknowledged
                }
            });
            await().atMost(Duration.ofSeconds(60)).until(() -> !channel.isOpen());
            String reason = String.valueOf(channel.getCloseReason().getMessage());
            assertTrue(reason.contains("PRECONDITION_FAILED") && reason.contains("timed out"), reason);
            try (Channel cleanup = connection.createChannel()) {
                cleanup.queueDelete(queue);
            }
        }
    }

    @Test
    void aTaskLongerThanTheConsumerTimeoutFinishesOnceAndTheWorkerGoesOn() throws Exception {
        String id = submit("{\"type\":\"sleep\",\"args\":{\"seconds\":12},\"queue\":\"default\"}");
        awaitStatus(id, "STARTED", 30);
        // After 2 s the attempt holds a lease in the due set, due in the future, and its delivery is acknowledged.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> due(id) > 0);
        assertTrue(due(id) > System.currentTimeMillis(), "the lease lies in the future");
        // Lease first, acknowledgement second: the ack may be a moment behind the lease.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> queue(Amqp.queueName("default"))[1] == 0);
        assertEquals("STARTED", record(id).path("status").asText(), "no unacknowledged delivery while it runs");

        JsonNode done = awaitStatus(id, "SUCCESS", 90);
        assertEquals(1, done.get("attempts").asInt(), "run once: neither redelivered nor republished while it ran");
        assertEquals(WORKER, done.get("worker").asText());
        assertEquals(-1, due(id), "the outcome dropped the lease");

        // The channel was not closed: the same worker takes the next task.
        String next = submit("{\"type\":\"add\",\"args\":{\"x\":40,\"y\":2},\"queue\":\"default\"}");
        JsonNode after = awaitStatus(next, "SUCCESS", 30);
        assertEquals("42", after.get("result").toString());
        assertEquals(WORKER, after.get("worker").asText());
        assertEquals(1, record(id).get("attempts").asInt(), "still once");
        int[] counts = queue(Amqp.queueName("default"));
        assertEquals(0, counts[0], "nothing left ready");
        assertEquals(0, counts[1], "nothing left unacknowledged");
        String log = java.nio.file.Files.readString(suite.log("worker-service"));
        assertFalse(log.contains("PRECONDITION_FAILED"), "the worker's channel was never closed by the broker");
    }

    @Test
    void aLeasedTaskOfAKilledWorkerRunsAgainElsewhereWhenItsLeaseLapses() throws Exception {
        String queue = "e2e-long-kill";
        Suite.Replica victim = suite.startReplica("worker-service", "e2e-long-victim", worker("e2e-long-victim", queue));
        awaitWorker("e2e-long-victim");
        String id = submit("{\"type\":\"sleep\",\"args\":{\"seconds\":8},\"queue\":\"" + queue + "\"}");
        awaitStatus(id, "STARTED", 30);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> due(id) > 0);
        // Lease first, acknowledgement second: killed between the two, the delivery would come back
        // from RabbitMQ as well (at least once, by design). Killed after both, as here, only the
        // lapsed lease can bring the task back.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> queue(Amqp.queueName(queue))[1] == 0);
        victim.kill();
        assertFalse(victim.process().isAlive());
        // No consumer is left on the queue, so whatever comes back stays there to be counted. Once
        // the lease has lapsed and the scheduler's leader has published the task (its due entry is
        // gone only after the broker confirmed), the queue holds exactly that one copy: a delivery
        // still unacknowledged at the kill would have come back from RabbitMQ as a second.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> due(id) == -1);
        assertEquals(1, queue(Amqp.queueName(queue))[0], "one copy, from the lapsed lease: nothing redelivered by RabbitMQ");
        suite.startReplica("worker-service", "e2e-long-survivor", worker("e2e-long-survivor", queue));
        JsonNode done = awaitStatus(id, "SUCCESS", 90);
        assertEquals(2, done.get("attempts").asInt(), "the second attempt came from the lease");
        assertEquals("e2e-long-survivor", done.get("worker").asText());
        assertEquals(-1, due(id));
    }
}
