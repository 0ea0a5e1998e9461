package io.hotpot.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.Json;

/**
 * The task path through the four packaged services, over HTTP: submit to api-service, run on
 * worker-service (one replica, on a queue of this test's own), read the outcome back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskPathIT {
    private final ObjectMapper mapper = Json.newMapper();
    private final String queue = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
    private final String workerId = "e2e-worker-" + queue;
    private Suite suite;

    @BeforeAll
    void startSuite() throws Exception {
        suite = new Suite().start(Map.of("worker-service",
                List.of("-Dhotpot.worker.queue=" + queue, "-Dhotpot.worker.id=" + workerId)));
        // api-service sees the worker once its first heartbeat is in Redis.
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/api/workers").body().contains(workerId));
    }

    @AfterAll
    void stopSuite() throws Exception {
        if (suite != null) {
            suite.close();
        }
        // The run's own queue goes with the run.
        com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (com.rabbitmq.client.Connection connection = factory.newConnection();
                com.rabbitmq.client.Channel channel = connection.createChannel()) {
            channel.queueDelete(io.hotpot.common.Amqp.queueName(queue));
            RedisCli.forgetQueue(queue);
            channel.queueDelete(io.hotpot.common.Amqp.deadQueueName(queue));
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return suite.http().send(suite.request("api-service", path).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return suite.http().send(postRequest(path, body), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest postRequest(String path, String body) {
        return suite.request("api-service", path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private JsonNode json(HttpResponse<String> response) throws Exception {
        return mapper.readTree(response.body());
    }

    private JsonNode awaitFinal(String id) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            last[0] = json(get("/api/tasks/" + id));
            return List.of("SUCCESS", "FAILURE", "REVOKED").contains(last[0].path("status").asText());
        });
        return last[0];
    }

    @Test
    void everyServiceIsLiveAndReady() throws Exception {
        for (String service : Suite.SERVICES) {
            for (String probe : List.of("/q/health/live", "/q/health/ready")) {
                HttpResponse<String> response = suite.http().send(
                        suite.request(service, probe).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode(), service + probe + ": " + response.body());
                assertEquals("UP", json(response).get("status").asText());
            }
        }
    }

    @Test
    void addTravelsEndToEnd() throws Exception {
        HttpResponse<String> accepted = post("/api/tasks",
                "{\"type\":\"add\",\"args\":{\"x\":2,\"y\":3},\"queue\":\"" + queue + "\"}");
        assertEquals(202, accepted.statusCode(), accepted.body());
        String id = json(accepted).get("id").asText();
        assertEquals("/api/tasks/" + id, java.net.URI.create(accepted.headers().firstValue("Location").orElseThrow()).getPath());

        JsonNode task = awaitFinal(id);
        assertEquals("SUCCESS", task.get("status").asText(), task.toString());
        assertEquals(5, task.get("result").asInt());
        assertEquals(1, task.get("attempts").asInt());
        assertEquals(workerId, task.get("worker").asText());
        Instant created = Instant.parse(task.get("createdAt").asText());
        Instant started = Instant.parse(task.get("startedAt").asText());
        Instant finished = Instant.parse(task.get("finishedAt").asText());
        assertTrue(!created.isAfter(started) && !started.isAfter(finished), task.toString());
    }

    @Test
    void aFailingHandlerIsRecordedAsFailure() throws Exception {
        HttpResponse<String> accepted = post("/api/tasks",
                "{\"type\":\"add\",\"args\":{\"x\":9223372036854775807,\"y\":1},\"queue\":\"" + queue + "\"}");
        assertEquals(202, accepted.statusCode(), accepted.body());
        JsonNode task = awaitFinal(json(accepted).get("id").asText());
        assertEquals("FAILURE", task.get("status").asText());
        assertEquals("java.lang.ArithmeticException", task.get("error").get("type").asText());
        assertEquals("long overflow", task.get("error").get("message").asText());
    }

    @Test
    void twoHundredOneSecondSleepsOnOneWorker() throws Exception {
        long start = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> submissions = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            submissions.add(suite.http().sendAsync(postRequest("/api/tasks",
                    "{\"type\":\"sleep\",\"args\":{\"seconds\":1},\"queue\":\"" + queue + "\"}"),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<String> ids = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> submission : submissions) {
            HttpResponse<String> response = submission.join();
            assertEquals(202, response.statusCode(), response.body());
            ids.add(json(response).get("id").asText());
        }
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (String id : ids) {
                if (!"SUCCESS".equals(json(get("/api/tasks/" + id)).path("status").asText())) {
                    return false;
                }
            }
            return true;
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("E2E-FIGURE 200 sleep tasks of 1 s on one worker: all SUCCESS in %.2f s%n", seconds);
        for (String id : ids) {
            assertEquals(workerId, json(get("/api/tasks/" + id)).get("worker").asText());
        }
    }

    @Test
    void badInputIsAProblemAndNotATask() throws Exception {
        record Case(String name, String body, int status, String detailPart) {
        }
        List<Case> cases = List.of(
                new Case("malformed JSON", "{\"type\":", 400, "not valid JSON"),
                new Case("missing type", "{\"args\":{}}", 400, "type is missing"),
                new Case("empty type", "{\"type\":\"\"}", 400, "type is missing"),
                // Other workers on a shared Redis may advertise more types; these are this worker's.
                new Case("unknown type", "{\"type\":\"nope\",\"queue\":\"" + queue + "\"}", 422, "Known types: add, "),
                new Case("args that do not fit", "{\"type\":\"add\",\"args\":{\"x\":\"a\",\"y\":1},\"queue\":\"" + queue + "\"}",
                        422, "do not fit"),
                new Case("over 1 MiB", "{\"type\":\"add\",\"pad\":\"" + "a".repeat(1024 * 1024) + "\"}", 413, "larger than"));
        for (Case c : cases) {
            HttpResponse<String> response = post("/api/tasks", c.body());
            assertEquals(c.status(), response.statusCode(), c.name() + ": " + response.body());
            assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""), c.name());
            JsonNode problem = json(response);
            assertEquals(c.status(), problem.get("status").asInt(), c.name());
            assertTrue(problem.get("detail").asText().contains(c.detailPart()), c.name() + ": " + problem);
        }
        HttpResponse<String> unknown = get("/api/tasks/" + UUID.randomUUID());
        assertEquals(404, unknown.statusCode());
        assertEquals("application/problem+json", unknown.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void demoSleepWaitsWithoutHoldingThreads() throws Exception {
        assertEquals("Hello from Hotpot", get("/api/demo/hello").body());
        long start = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            calls.add(suite.http().sendAsync(suite.request("api-service", "/api/demo/sleep?seconds=2")
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            assertEquals(200, call.join().statusCode());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("E2E-FIGURE 1000 concurrent /api/demo/sleep?seconds=2: all 200 in %.2f s%n", seconds);
        // Served one after another they would take 2,000 s; at once, a little over 2 s.
        assertTrue(seconds < 30, "the sleeps overlapped: " + seconds + " s");
    }

    @Test
    void aTaskOutOfRetriesIsADeadLetterUntilRequeued() throws Exception {
        HttpResponse<String> accepted = post("/api/tasks",
                "{\"type\":\"flaky\",\"args\":{\"failures\":5},\"maxRetries\":0,\"queue\":\"" + queue + "\"}");
        assertEquals(202, accepted.statusCode(), accepted.body());
        String id = json(accepted).get("id").asText();
        assertEquals("FAILURE", awaitFinal(id).get("status").asText());
        JsonNode[] letters = new JsonNode[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            letters[0] = json(get("/api/dead-letters?queue=" + queue));
            return letters[0].findValuesAsText("id").contains(id);
        });
        for (JsonNode letter : letters[0]) {
            if (id.equals(letter.get("id").asText())) {
                assertEquals("java.lang.IllegalStateException", letter.get("error").get("type").asText(), letter.toString());
                assertEquals("flaky", letter.get("type").asText());
            }
        }
        HttpResponse<String> requeued = post("/api/dead-letters/" + id + "/requeue?queue=" + queue, "");
        assertEquals(200, requeued.statusCode(), requeued.body());
        // It runs again (and, still flaky, fails again): a second attempt, and a dead letter once more.
        await().atMost(Duration.ofSeconds(30)).until(() -> json(get("/api/tasks/" + id)).get("attempts").asInt() == 2);
        assertEquals("FAILURE", awaitFinal(id).get("status").asText());
        await().atMost(Duration.ofSeconds(10)).until(() -> json(get("/api/dead-letters?queue=" + queue))
                .findValuesAsText("id").contains(id));
    }
}
