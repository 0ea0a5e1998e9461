package io.hotpot.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
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
 * The four packaged services against a Redis of their own whose only user is a named ACL user
 * ({@code default} is off) with the password {@code p#ss$w%rd@:/}, given as the Helm chart gives
 * them: {@code REDIS_USERNAME} and {@code REDIS_PASSWORD}. Every service, and chat-service's named
 * relay client, must reach it as that user: a task recorded and run (api, worker), a countdown
 * task published when due (scheduler), a chat message through the relay (chat). That Redis has no
 * persistence: each service warns about it and still starts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisAclUserIT {
    static final String USER = "hotpot-app";
    static final String PASSWORD = "p#ss$w%rd@:/";

    private final ObjectMapper mapper = Json.newMapper();
    private final String queue = "e2e-acl-" + UUID.randomUUID().toString().substring(0, 8);
    private OwnRedis redis;
    private Suite suite;

    @BeforeAll
    void start() throws Exception {
        redis = new OwnRedis("--user", "default", "off", "--user", USER, "on", ">" + PASSWORD, "~*", "&*", "+@all").start();
        suite = new Suite().withEnvironment(Map.of("REDIS_PORT", Integer.toString(redis.port()),
                "REDIS_USERNAME", USER, "REDIS_PASSWORD", PASSWORD))
                .start(Map.of(
                        "worker-service", List.of("-Dhotpot.worker.queue=" + queue, "-Dhotpot.worker.id=" + queue)));
    }

    @AfterAll
    void stop() throws Exception {
        if (suite != null) {
            suite.close();
        }
        if (redis != null) {
            redis.close();
        }
        com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (com.rabbitmq.client.Connection connection = factory.newConnection();
                com.rabbitmq.client.Channel channel = connection.createChannel()) {
            channel.queueDelete(Amqp.queueName(queue));
            channel.queueDelete(Amqp.deadQueueName(queue));
        }
    }

    private JsonNode awaitFinal(String id, long deadline) throws Exception {
        JsonNode record = null;
        while (System.nanoTime() < deadline) {
            record = mapper.readTree(suite.http().send(suite.request("api-service", "/api/tasks/" + id).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            if ("SUCCESS".equals(record.path("status").asText())) {
                return record;
            }
            Thread.sleep(100);
        }
        return record;
    }

    private HttpResponse<String> submit(String body, long deadline) throws Exception {
        HttpResponse<String> accepted;
        do {
            accepted = suite.http().send(suite.request("api-service", "/api/tasks")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (accepted.statusCode() != 202) {
                // The worker's first heartbeat (its task types) may not be in yet.
                Thread.sleep(200);
            }
        } while (accepted.statusCode() != 202 && System.nanoTime() < deadline);
        return accepted;
    }

    @Test
    void everyServiceWorksAsTheNamedUser() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        // api-service and worker-service: a task recorded, run and read back.
        HttpResponse<String> now = submit("{\"type\":\"add\",\"args\":{\"x\":2,\"y\":3},\"queue\":\"" + queue + "\"}", deadline);
        assertEquals(202, now.statusCode(), now.body());
        assertEquals(5, awaitFinal(mapper.readTree(now.body()).get("id").asText(), deadline).path("result").asInt());
        // scheduler-service: a countdown task waits in the due set until its leader publishes it.
        HttpResponse<String> later = submit("{\"type\":\"add\",\"args\":{\"x\":4,\"y\":4},\"countdown\":1,\"queue\":\"" + queue + "\"}",
                deadline);
        assertEquals(202, later.statusCode(), later.body());
        assertEquals(8, awaitFinal(mapper.readTree(later.body()).get("id").asText(), deadline).path("result").asInt());
        // chat-service: a message through its stream and the relay's own named Redis client.
        String room = "acl-" + queue;
        try (WsClient a = suite.chat("chat-service", "/ws/chat/" + room + "/", "alice");
                WsClient b = suite.chat("chat-service", "/ws/chat/" + room + "/", "bob")) {
            a.next("history", Duration.ofSeconds(20));
            b.next("history", Duration.ofSeconds(20));
            a.say("as " + USER);
            List<JsonNode> got = b.messages(1, Duration.ofSeconds(20));
            assertTrue(!got.isEmpty() && got.get(0).get("message").asText().equals("as " + USER), String.valueOf(got));
        }
        for (String service : Suite.SERVICES) {
            String log = Files.readString(suite.log(service));
            assertFalse(log.contains("Unrecognized configuration key"), service + " ignored a setting:\n" + log);
            // The start-up check of the Redis server: no persistence here, a warning, and the service runs.
            assertTrue(log.contains("has no persistence"), service + " did not warn about a Redis without persistence");
        }
    }
}
