package io.hotpot.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
 * Tasks that wait for a time, through the packaged services: retries with back-off (the worker
 * puts the next attempt in the due set, the scheduler's leader publishes it), countdown,
 * expiry, and revoke of a running task. The scheduler runs as a leader group of this run's own,
 * so a leader is there whatever else runs on the shared Redis.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TimekeepingIT {
    private final ObjectMapper mapper = Json.newMapper();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String queue = "e2e-time-" + run;
    private final String workerId = "e2e-time-worker-" + run;
    private Suite suite;

    @BeforeAll
    void startSuite() throws Exception {
        suite = new Suite().start(Map.of(
                "worker-service", List.of("-Dhotpot.worker.queue=" + queue, "-Dhotpot.worker.id=" + workerId,
                        "-Dhotpot.tasks.retry-base=1s", "-Dhotpot.tasks.retry-cap=2s"),
                "scheduler-service", List.of("-Dhotpot.leader.name=e2e-" + run)));
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/api/workers").body().contains(workerId));
    }

    @AfterAll
    void stopSuite() throws Exception {
        if (suite != null) {
            suite.close();
        }
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
            for (String each : List.of(queue, queue + "-slow-retries")) {
                channel.queueDelete(Amqp.queueName(each));
                RedisCli.forgetQueue(each);
                channel.queueDelete(Amqp.deadQueueName(each));
            }
        }
    }

    /** The in-flight count in the worker's latest heartbeat, -1 when it has none. */
    private int inFlight(String worker) throws Exception {
        for (JsonNode each : mapper.readTree(get("/api/workers").body())) {
            if (worker.equals(each.path("id").asText())) {
                return each.path("inFlight").asInt();
            }
        }
        return -1;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return suite.http().send(suite.request("api-service", path).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode task(String id) throws Exception {
        return mapper.readTree(get("/api/tasks/" + id).body());
    }

    private String submit(String body, int status) throws Exception {
        HttpResponse<String> response = suite.http().send(suite.request("api-service", "/api/tasks")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.replace("{Q}", queue))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(status, response.statusCode(), response.body());
        return mapper.readTree(response.body()).get("id").asText();
    }

    private JsonNode awaitFinal(String id, Duration within) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(within).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = task(id);
            return List.of("SUCCESS", "FAILURE", "REVOKED").contains(last[0].path("status").asText());
        });
        return last[0];
    }

    @Test
    void aFlakyTaskIsRetriedWithBackOffUntilItSucceeds() throws Exception {
        String id = submit("{\"type\":\"flaky\",\"args\":{\"failures\":2},\"queue\":\"{Q}\"}", 202);
        List<JsonNode> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonNode t = task(id);
            if ("RETRY".equals(t.path("status").asText())) {
                seen.add(t);
            }
            return "SUCCESS".equals(t.path("status").asText());
        });
        JsonNode done = task(id);
        assertEquals(3, done.get("attempts").asInt());
        assertEquals(2, done.get("retries").asInt());
        assertEquals("succeeded after 2 retries", done.get("result").asText());
        assertFalse(seen.isEmpty(), "RETRY was visible between attempts");
        JsonNode retry = seen.get(0);
        assertEquals("java.lang.IllegalStateException", retry.get("error").get("type").asText());
        assertFalse(retry.get("nextAttemptAt").isNull(), retry.toString());
    }

    @Test
    void exhaustedRetriesEndInFailureWithTheLastError() throws Exception {
        String id = submit("{\"type\":\"flaky\",\"args\":{\"failures\":5},\"maxRetries\":1,\"queue\":\"{Q}\"}", 202);
        JsonNode done = awaitFinal(id, Duration.ofSeconds(30));
        assertEquals("FAILURE", done.get("status").asText());
        assertEquals(2, done.get("attempts").asInt());
        assertTrue(done.get("error").get("message").asText().contains("try 2"), done.toString());
    }

    @Test
    void aCountdownStartsNoEarlierThanDue() throws Exception {
        String id = submit("{\"type\":\"add\",\"args\":{\"x\":1,\"y\":1},\"countdown\":2,\"queue\":\"{Q}\"}", 202);
        assertEquals("SCHEDULED", task(id).get("status").asText());
        JsonNode done = awaitFinal(id, Duration.ofSeconds(30));
        assertEquals("SUCCESS", done.get("status").asText());
        Instant eta = Instant.parse(done.get("eta").asText());
        Instant started = Instant.parse(done.get("startedAt").asText());
        assertFalse(started.isBefore(eta), "started " + started + " before it was due " + eta);
        System.out.printf("E2E-FIGURE countdown 2 s: started %d ms after due%n", Duration.between(eta, started).toMillis());
    }

    @Test
    void aRetryDueAfterTheTaskExpiresEndsRevokedWithTheReason() throws Exception {
        // A worker of its own whose first retry comes 10 to 20 s after a failure (retry-base 20 s:
        // half fixed, half random). The task expires 8 s after it was accepted: its first attempt
        // has those 8 s to start, however slow the host, and the retry is due after the expiry.
        String slow = queue + "-slow-retries";
        String slowWorker = workerId + "-slow-retries";
        suite.startReplica("worker-service", slowWorker, List.of("-Dhotpot.worker.queue=" + slow,
                "-Dhotpot.worker.id=" + slowWorker, "-Dhotpot.tasks.retry-base=20s", "-Dhotpot.tasks.retry-cap=40s"));
        await().atMost(Duration.ofSeconds(30)).until(() -> inFlight(slowWorker) >= 0);
        String id = submit("{\"type\":\"flaky\",\"args\":{\"failures\":1},\"expires\":8,\"queue\":\"" + slow + "\"}", 202);
        JsonNode done = awaitFinal(id, Duration.ofSeconds(60));
        assertEquals("REVOKED", done.get("status").asText(), done.toString());
        assertEquals("Expired", done.get("error").get("type").asText());
        assertEquals(1, done.get("attempts").asInt());
    }

    @Test
    void aRevokedRunningTaskIsInterruptedAndItsSlotFreed() throws Exception {
        String id = submit("{\"type\":\"sleep\",\"args\":{\"seconds\":60},\"queue\":\"{Q}\"}", 202);
        await().atMost(Duration.ofSeconds(20)).until(() -> "STARTED".equals(task(id).path("status").asText()));
        // The heartbeat shows it running before the revoke, so "0 in flight" below means it was stopped.
        await().atMost(Duration.ofSeconds(20)).until(() -> inFlight(workerId) == 1);
        HttpResponse<String> revoked = suite.http().send(suite.request("api-service", "/api/tasks/" + id)
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertEquals("REVOKED", mapper.readTree(revoked.body()).get("status").asText());
        // The worker's heartbeat shows nothing in flight once the handler was interrupted, long before 60 s.
        await().atMost(Duration.ofSeconds(15)).until(() -> inFlight(workerId) == 0);
        assertEquals("REVOKED", task(id).get("status").asText());
    }

    @Test
    void aScheduledTaskRevokedNeverRuns() throws Exception {
        String id = submit("{\"type\":\"add\",\"args\":{\"x\":1,\"y\":1},\"countdown\":2,\"queue\":\"{Q}\"}", 202);
        HttpResponse<String> revoked = suite.http().send(suite.request("api-service", "/api/tasks/" + id)
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, revoked.statusCode(), revoked.body());
        Thread.sleep(4000); // past its due time
        JsonNode t = task(id);
        assertEquals("REVOKED", t.get("status").asText());
        assertEquals(0, t.get("attempts").asInt());
    }
}
