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
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.hotpot.common.Amqp;
import io.hotpot.common.Json;

/**
 * Chains and chords with packaged processes (authentication on): api-service, scheduler-service (it
 * publishes the next task of a chain and a chord's callback once they are scheduled) and two
 * workers on a queue of this run's own. A chain passes each result on and stops at a failure; a
 * chord's callback runs once with every result, also when a worker is SIGKILLed half-way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkflowIT {
    private final ObjectMapper mapper = Json.newMapper();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String queue = "e2e-chord-" + run;
    private final String victim = "e2e-chord-a-" + run;
    private final String survivor = "e2e-chord-b-" + run;
    private final List<Suite.Replica> workers = new ArrayList<>();
    private Suite suite;

    @BeforeAll
    void start() throws Exception {
        suite = new Suite();
        suite.startReplica("api-service", "api-service", List.of());
        suite.startReplica("scheduler-service", "scheduler-service", List.of());
        for (String worker : List.of(victim, survivor)) {
            workers.add(suite.startReplica("worker-service", worker, List.of("-Dhotpot.worker.id=" + worker,
                    "-Dhotpot.worker.queue=" + queue, "-Dhotpot.worker.concurrency=25")));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/api/workers").body().contains(victim)
                && get("/api/workers").body().contains(survivor));
    }

    @AfterAll
    void stop() throws Exception {
        if (suite != null) {
            for (Suite.Replica worker : workers) {
                if (worker.process().isAlive()) {
                    worker.terminate();
                    worker.process().waitFor(40, TimeUnit.SECONDS);
                }
            }
            send("DELETE", "/api/catalogue/queues/" + queue, null);
            suite.close();
        }
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
            channel.queueDelete(Amqp.queueName(queue));
            channel.queueDelete(Amqp.urgentQueueName(queue));
            channel.queueDelete(Amqp.deadQueueName(queue));
        }
    }

    private HttpResponse<String> get(String path) {
        try {
            return send("GET", path, null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = suite.request("api-service", path);
        request = body == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        return suite.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String chord(int size, String member) {
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            tasks.add(member.formatted(i));
        }
        return "{\"tasks\":[" + String.join(",", tasks) + "],\"then\":{\"type\":\"sum\",\"queue\":\"" + queue + "\"}}";
    }

    @Test
    @Order(0)
    void aChainOfThreePassesResultsAlongAndAFailureStopsItsChain() throws Exception {
        String add = "{\"type\":\"add\",\"args\":{\"x\":%s,\"y\":%s},\"queue\":\"" + queue + "\"}";
        String chain = add.formatted(1, 2).replaceAll("}$", "") + ",\"then\":[" + add.formatted("\"$result\"", 10) + ","
                + add.formatted(100, "\"$result\"") + "]}";
        HttpResponse<String> answer = send("POST", "/api/tasks", chain);
        assertEquals(202, answer.statusCode(), answer.body());
        JsonNode first = mapper.readTree(answer.body());
        String last = first.get("then").get(1).asText();
        JsonNode done = mapper.readTree(get("/api/tasks/" + last + "?wait=PT30S").body());
        assertEquals("SUCCESS", done.get("status").asText(), done.toString());
        assertEquals(113, done.get("result").asInt(), "(1 + 2) + 10, then 100 + 13");

        String broken = add.formatted(Long.MAX_VALUE, 1).replaceAll("}$", "") + ",\"then\":[" + add.formatted("\"$result\"", 1)
                + "," + add.formatted("\"$result\"", 1) + "]}";
        JsonNode failing = mapper.readTree(send("POST", "/api/tasks", broken).body());
        for (JsonNode later : failing.get("then")) {
            JsonNode record = mapper.readTree(get("/api/tasks/" + later.asText() + "?wait=PT30S").body());
            assertEquals("REVOKED", record.get("status").asText(), record.toString());
            assertEquals("ChainBroken", record.get("error").get("type").asText());
        }
        assertEquals("FAILURE", mapper.readTree(get("/api/tasks/" + failing.get("id").asText()).body()).get("status").asText());
    }

    @Test
    @Order(1)
    void aThousandAdditionsSummedByTheCallbackInOneRequest() throws Exception {
        long began = System.nanoTime();
        HttpResponse<String> answer = send("POST", "/api/groups?wait=PT60S",
                chord(1000, "{\"type\":\"add\",\"args\":{\"x\":%d,\"y\":1},\"queue\":\"" + queue + "\"}"));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode group = mapper.readTree(answer.body());
        assertEquals("SUCCESS", group.get("then").get("status").asText(), group.get("then").toString());
        assertEquals(500_500, group.get("then").get("result").get("sum").asLong(), "1 + 2 + … + 1000");
        assertEquals(1000, group.get("then").get("result").get("count").asInt());
        System.out.printf("E2E-FIGURE a chord of 1,000 add and a sum callback on two workers: POST ?wait=PT60S answered with"
                + " the sum in %d ms%n", millis);
    }

    @Test
    @Order(2)
    void theCallbackRunsOnceWithEveryResultWhenAWorkerIsKilledHalfWay() throws Exception {
        // 0.2 s sleeps, 25 at once on each worker: 1,000 take about 4 s, long enough to kill one half-way.
        HttpResponse<String> answer = send("POST", "/api/groups",
                chord(1000, "{\"type\":\"sleep\",\"args\":{\"seconds\":0.2},\"queue\":\"" + queue + "\"}"));
        assertEquals(202, answer.statusCode(), answer.body());
        String id = mapper.readTree(answer.body()).get("id").asText();
        long[] doneAtKill = new long[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            doneAtKill[0] = mapper.readTree(get("/api/groups/" + id).body()).path("finished").asLong();
            return doneAtKill[0] >= 300;
        });
        workers.get(0).kill();
        assertFalse(workers.get(0).process().isAlive());

        HttpResponse<String> waited = get("/api/groups/" + id + "?wait=PT2M");
        assertEquals(200, waited.statusCode(), waited.body());
        JsonNode group = mapper.readTree(waited.body());
        assertTrue(group.get("done").asBoolean(), group.get("counts").toString());
        assertEquals(1000, group.get("counts").get("SUCCESS").asInt(), group.get("counts").toString());
        JsonNode then = group.get("then");
        assertEquals("SUCCESS", then.get("status").asText(), then.toString());
        // sleep answers with text, which sum counts as missing: 1,000 results reached the callback.
        assertEquals(1000, then.get("result").get("count").asInt() + then.get("result").get("missing").asInt());
        JsonNode callback = mapper.readTree(get("/api/tasks/" + then.get("id").asText()).body());
        assertEquals(1, callback.get("attempts").asInt(), "the callback ran once");
        assertEquals(survivor, callback.get("worker").asText());
        long runTwice = 0;
        for (JsonNode member : group.get("tasks")) {
            runTwice += mapper.readTree(get("/api/tasks/" + member.get("id").asText()).body()).get("attempts").asInt() > 1 ? 1 : 0;
        }
        System.out.printf("E2E-FIGURE a chord of 1,000 sleep(0.2 s) on two workers (25 each), one SIGKILLed after %d finished:"
                + " 1000 SUCCESS, %d run twice, the callback ran once (attempts 1) with 1000 results%n", doneAtKill[0], runTwice);
        assertTrue(doneAtKill[0] < 1000, "the worker was killed before the group was done");
    }
}
