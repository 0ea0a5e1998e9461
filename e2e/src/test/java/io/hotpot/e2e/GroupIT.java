package io.hotpot.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
 * Groups with packaged processes (authentication on): api-service and two workers on a queue of
 * this run's own. A thousand tasks submitted as one group and awaited with one request; a group
 * revoked while its tasks run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupIT {
    private final ObjectMapper mapper = Json.newMapper();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String queue = "e2e-group-" + run;
    private final List<String> workers = List.of("e2e-group-a-" + run, "e2e-group-b-" + run);
    private final List<Suite.Replica> replicas = new ArrayList<>();
    private Suite suite;

    @BeforeAll
    void start() throws Exception {
        suite = new Suite();
        suite.startReplica("api-service", "api-service", List.of());
        for (String worker : workers) {
            replicas.add(suite.startReplica("worker-service", worker, List.of("-Dhotpot.worker.id=" + worker,
                    "-Dhotpot.worker.queue=" + queue)));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> workers.stream().allMatch(w -> get("/api/workers").body().contains(w)));
    }

    @AfterAll
    void stop() throws Exception {
        if (suite != null) {
            for (Suite.Replica replica : replicas) {
                replica.terminate();
                replica.process().waitFor(40, TimeUnit.SECONDS);
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

    @Test
    void aThousandAdditionsAsOneGroupAwaitedWithOneRequest() throws Exception {
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            tasks.add("{\"type\":\"add\",\"args\":{\"x\":" + i + ",\"y\":1},\"queue\":\"" + queue + "\"}");
        }
        long began = System.nanoTime();
        HttpResponse<String> answer = send("POST", "/api/groups?wait=PT60S", "{\"tasks\":[" + String.join(",", tasks) + "]}");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode group = mapper.readTree(answer.body());
        assertTrue(group.get("done").asBoolean());
        assertEquals(1000, group.get("counts").get("SUCCESS").asInt(), group.get("counts").toString());
        assertEquals(100, group.get("progress").asInt());
        for (int i = 0; i < 1000; i++) {
            assertEquals(i + 1, group.get("tasks").get(i).get("result").asInt(), "results in the order submitted");
        }
        JsonNode again = mapper.readTree(get("/api/groups/" + group.get("id").asText()).body());
        assertEquals(group.get("tasks"), again.get("tasks"));
        JsonNode member = mapper.readTree(get("/api/tasks/" + group.get("tasks").get(7).get("id").asText()).body());
        assertEquals(group.get("id").asText(), member.get("group").asText());
        System.out.printf("E2E-FIGURE a group of 1,000 add on two workers, POST ?wait=PT60S answered with every result in %d ms%n",
                millis);
    }

    @Test
    void aGroupRevokedWhileItsTasksRunLeavesNoneRunning() throws Exception {
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            tasks.add("{\"type\":\"sleep\",\"args\":{\"seconds\":60},\"queue\":\"" + queue + "\"}");
        }
        HttpResponse<String> answer = send("POST", "/api/groups", "{\"tasks\":[" + String.join(",", tasks) + "]}");
        assertEquals(202, answer.statusCode(), answer.body());
        String id = mapper.readTree(answer.body()).get("id").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> mapper.readTree(get("/api/groups/" + id).body())
                .path("counts").path("STARTED").asInt() == 20);

        HttpResponse<String> revoked = send("DELETE", "/api/groups/" + id, null);
        assertEquals(200, revoked.statusCode(), revoked.body());
        JsonNode group = mapper.readTree(revoked.body());
        assertEquals(20, group.get("counts").get("REVOKED").asInt(), group.get("counts").toString());
        assertTrue(group.get("done").asBoolean());
        // Each worker interrupts its running members within its revoke check, and says so (the
        // line is written before the slot is freed).
        await().atMost(Duration.ofSeconds(20)).until(() -> interrupted() >= 20);
        assertEquals(20, interrupted(), "every running member was interrupted, once");
        // Then the workers' heartbeats (every 2 s) show nothing running.
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            JsonNode live = mapper.readTree(get("/api/workers").body());
            int running = 0;
            for (JsonNode worker : live) {
                if (workers.contains(worker.path("id").asText())) {
                    running += worker.path("inFlight").asInt();
                }
            }
            return running == 0;
        });
    }

    /** How many tasks the workers' logs say were interrupted by a revoke. */
    private long interrupted() throws Exception {
        long interrupted = 0;
        for (String worker : workers) {
            interrupted += Files.readAllLines(suite.log(worker)).stream().filter(l -> l.contains("HOTPOT-WORKER-014")).count();
        }
        return interrupted;
    }
}
