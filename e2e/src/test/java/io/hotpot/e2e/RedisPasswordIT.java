package io.hotpot.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.Amqp;
import io.hotpot.common.Json;

/**
 * The four packaged services against a Redis of their own whose password is {@code p#ss$w%rd@:/},
 * given as the Helm chart gives it: the environment variables {@code REDIS_PORT} and
 * {@code REDIS_PASSWORD}. Each must become ready (its Redis health check passes) and do its work.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisPasswordIT {
    static final String PASSWORD = "p#ss$w%rd@:/";

    private final ObjectMapper mapper = Json.newMapper();
    private final String queue = "e2e-pw-" + UUID.randomUUID().toString().substring(0, 8);
    private int redisPort;
    private Suite suite;

    @BeforeAll
    void start() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            redisPort = socket.getLocalPort();
        }
        Process redis = new ProcessBuilder("redis-server", "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
                "--requirepass", PASSWORD, "--save", "", "--appendonly", "no", "--daemonize", "yes",
                "--pidfile", "/tmp/hotpot-e2e-redis-" + redisPort + ".pid").inheritIO().start();
        assertEquals(0, redis.waitFor());
        suite = new Suite().withEnvironment(Map.of("REDIS_PORT", Integer.toString(redisPort), "REDIS_PASSWORD", PASSWORD))
                .start(Map.of(
                        "worker-service", List.of("-Dhotpot.worker.queue=" + queue, "-Dhotpot.worker.id=" + queue)));
    }

    @AfterAll
    void stop() throws Exception {
        if (suite != null) {
            suite.close();
        }
        if (redisPort > 0) {
            new ProcessBuilder("redis-cli", "-p", Integer.toString(redisPort), "--no-auth-warning", "-a", PASSWORD, "shutdown", "nosave")
                    .inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        }
        com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (com.rabbitmq.client.Connection connection = factory.newConnection();
                com.rabbitmq.client.Channel channel = connection.createChannel()) {
            channel.queueDelete(Amqp.queueName(queue));
        }
    }

    @Test
    void everyServiceConnectsAndWorks() throws Exception {
        // Ready means each service's Redis health check passed with that password (Suite waited for it).
        for (String service : Suite.SERVICES) {
            HttpResponse<String> ready = suite.http().send(suite.request(service, "/q/health/ready").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), service + ": " + ready.body());
        }
        // api-service and worker-service: a task recorded, run and read back through that Redis.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        HttpResponse<String> accepted;
        do {
            accepted = suite.http().send(suite.request("api-service", "/api/tasks")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"add\",\"args\":{\"x\":2,\"y\":3},\"queue\":\"" + queue + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            Thread.sleep(accepted.statusCode() == 202 ? 0 : 200);
        } while (accepted.statusCode() != 202 && System.nanoTime() < deadline);
        assertEquals(202, accepted.statusCode(), accepted.body());
        String id = mapper.readTree(accepted.body()).get("id").asText();
        JsonNode record = null;
        while (System.nanoTime() < deadline) {
            record = mapper.readTree(suite.http().send(suite.request("api-service", "/api/tasks/" + id).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            if ("SUCCESS".equals(record.path("status").asText())) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(5, record.path("result").asInt(), String.valueOf(record));
        // chat-service: a message through its stream and relay (the relay has a Redis client of its own).
        String room = "pw-" + queue;
        try (WsClient a = suite.chat("chat-service", "/ws/chat/" + room + "/", "alice");
                WsClient b = suite.chat("chat-service", "/ws/chat/" + room + "/", "bob")) {
            a.next("history", Duration.ofSeconds(20));
            b.next("history", Duration.ofSeconds(20));
            a.say("through a password full of #$%@:/");
            List<JsonNode> got = b.messages(1, Duration.ofSeconds(20));
            assertTrue(!got.isEmpty() && got.get(0).get("message").asText().startsWith("through"));
        }
    }
}
