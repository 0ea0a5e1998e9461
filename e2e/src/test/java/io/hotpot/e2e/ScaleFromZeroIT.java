package io.hotpot.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.hotpot.common.Amqp;
import io.hotpot.common.Json;

/**
 * KEDA from zero, with packaged processes: workers of a queue have run once (so the queue and its
 * types are in the catalogue and its durable RabbitMQ queue exists), then every worker is gone,
 * as with KEDA at {@code minReplicas: 0}. Submissions are still accepted and wait in RabbitMQ,
 * the queue depth shows them, and a worker that starts runs them all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScaleFromZeroIT {
    private static final int TASKS = 100;

    private final ObjectMapper mapper = Json.newMapper();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String queue = "e2e-zero-" + run;
    private Suite suite;

    @BeforeAll
    void startApiOnly() throws Exception {
        suite = new Suite();
        suite.startReplica("api-service", "api-service", List.of());
    }

    @AfterAll
    void stop() throws Exception {
        if (suite != null) {
            // The run's queue leaves the catalogue once its workers are gone (an admin's DELETE).
            send(suite.request("api-service", "/api/catalogue/queues/" + queue).DELETE().build());
            suite.close();
        }
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
            channel.queueDelete(Amqp.queueName(queue));
            channel.queueDelete(Amqp.deadQueueName(queue));
        }
    }

    private List<String> worker(String id) {
        return List.of("-Dhotpot.worker.id=" + id, "-Dhotpot.worker.queue=" + queue, "-Dhotpot.worker.concurrency=50");
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return suite.http().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(suite.request("api-service", path).build());
    }

    private HttpRequest submission(String body) {
        return suite.request("api-service", "/api/tasks").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private String add(int x) {
        return "{\"type\":\"add\",\"args\":{\"x\":" + x + ",\"y\":1000},\"queue\":\"" + queue + "\"}";
    }

    private JsonNode queueState() throws Exception {
        for (JsonNode state : mapper.readTree(get("/api/queues").body())) {
            if (queue.equals(state.get("name").asText())) {
                return state;
            }
        }
        return null;
    }

    @Test
    void tasksSubmittedWithNoWorkerRunWhenOneStarts() throws Exception {
        // Workers of the queue ran once, then scaled to zero.
        String first = "e2e-zero-a-" + run;
        Suite.Replica earlier = suite.startReplica("worker-service", first, worker(first));
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/api/workers").body().contains(first));
        earlier.terminate();
        assertTrue(earlier.process().waitFor(40, TimeUnit.SECONDS));
        await().atMost(Duration.ofSeconds(20)).until(() -> !get("/api/workers").body().contains(first));

        // With no worker: accepted, with workers 0 and a warning. The first answers may still count
        // the worker that just left (the live-worker view is up to a second old): submit one at a
        // time until the answer says no worker, then the rest at once.
        Map<Integer, JsonNode> accepted = new HashMap<>();
        int[] next = { 0 };
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            HttpResponse<String> response = send(submission(add(next[0])));
            assertEquals(202, response.statusCode(), response.body());
            JsonNode body = mapper.readTree(response.body());
            accepted.put(next[0]++, body);
            return body.get("workers").asInt() == 0
                    && response.headers().firstValue("Warning").orElse("").contains("no live worker consumes the queue '" + queue + "'");
        });
        List<CompletableFuture<HttpResponse<String>>> rest = new ArrayList<>();
        for (int x = next[0]; x < TASKS; x++) {
            rest.add(suite.http().sendAsync(submission(add(x)), HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < rest.size(); i++) {
            HttpResponse<String> response = rest.get(i).join();
            assertEquals(202, response.statusCode(), response.body());
            JsonNode body = mapper.readTree(response.body());
            assertEquals(0, body.get("workers").asInt(), body.toString());
            assertTrue(response.headers().firstValue("Warning").isPresent());
            accepted.put(next[0] + i, body);
        }
        assertEquals(TASKS, accepted.size());

        // They wait in RabbitMQ, and /api/queues shows it.
        JsonNode state = queueState();
        assertEquals(TASKS, state.get("depth").asInt(), state.toString());
        assertEquals(0, state.get("consumers").asInt());
        // A type never advertised is still refused.
        HttpResponse<String> unknown = send(submission("{\"type\":\"no-such-type-" + run + "\",\"queue\":\"" + queue + "\"}"));
        assertEquals(422, unknown.statusCode());
        assertTrue(unknown.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));

        // A worker starts (KEDA scales up on the depth): all of them run.
        String second = "e2e-zero-b-" + run;
        Suite.Replica later = suite.startReplica("worker-service", second, worker(second));
        Map<Integer, JsonNode> done = new HashMap<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (Map.Entry<Integer, JsonNode> task : accepted.entrySet()) {
                if (!done.containsKey(task.getKey())) {
                    JsonNode record = mapper.readTree(get("/api/tasks/" + task.getValue().get("id").asText()).body());
                    if ("SUCCESS".equals(record.get("status").asText())) {
                        done.put(task.getKey(), record);
                    }
                }
            }
            return done.size() == TASKS;
        });
        for (Map.Entry<Integer, JsonNode> task : done.entrySet()) {
            assertEquals(task.getKey() + 1000, task.getValue().get("result").asInt());
            assertEquals(second, task.getValue().get("worker").asText());
        }
        assertEquals(0, queueState().get("depth").asInt());
        later.terminate();
        assertTrue(later.process().waitFor(40, TimeUnit.SECONDS));
        await().atMost(Duration.ofSeconds(20)).until(() -> !get("/api/workers").body().contains(second));
    }
}
