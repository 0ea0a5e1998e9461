package io.hotpot.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.Json;

/**
 * RabbitMQ and Redis restarted, then killed with SIGKILL, while tasks are submitted, against
 * brokers of this test's own (Redis with an append-only file fsynced every second, the common
 * setting): the api answers 202 or 503 (never 202 for a task it could not publish), every service
 * reconnects by itself, every task that got a 202 reaches SUCCESS, and no task whose 503 said it
 * was withdrawn ever runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrokerFaultIT {
    private static final Pattern WITHDRAWN = Pattern.compile("The task (\\S+) was not accepted");
    private final ObjectMapper mapper = Json.newMapper();
    private OwnBrokers.Rabbit rabbit;
    private OwnRedis redis;
    private Suite suite;

    /** One outage of a broker: it goes away and comes back. */
    @FunctionalInterface
    private interface Fault {
        void happen() throws Exception;
    }

    @BeforeAll
    void start() throws Exception {
        rabbit = new OwnBrokers.Rabbit("").start();
        redis = OwnRedis.appendOnly("everysec").start();
        List<String> brokers = List.of("-Drabbitmq.port=" + rabbit.port, "-Dredis.port=" + redis.port());
        List<String> worker = new ArrayList<>(brokers);
        worker.addAll(List.of("-Dhotpot.worker.id=e2e-fault-worker", "-Dhotpot.worker.concurrency=100"));
        suite = new Suite().start(Map.of("api-service", brokers, "worker-service", worker, "scheduler-service", brokers,
                "chat-service", List.of("-Dredis.port=" + redis.port())));
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/api/workers").body().contains("e2e-fault-worker"));
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
        return suite.http().send(suite.request("api-service", path).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void restartsOfRabbitMqAndRedisDuringARunLoseNoAcceptedTask() throws Exception {
        submitThrough("restart", () -> {
            rabbit.stop();
            rabbit.start();
        }, () -> {
            redis.stop();
            redis.start();
        });
    }

    @Test
    void sigkillsOfRabbitMqAndRedisDuringARunLoseNoAcceptedTaskAndRunNoWithdrawnOne() throws Exception {
        submitThrough("SIGKILL", () -> {
            rabbit.kill();
            rabbit.start();
        }, () -> {
            redis.kill();
            redis.start();
        });
    }

    /**
     * 500 submissions, one every 60 ms; after the first 100 the RabbitMQ fault, once the api
     * accepts again the Redis fault, the last 50 after both. Then: only 202 and 503, every 202
     * SUCCESS, every withdrawn 503 task REVOKED and never started; and a running task can still be
     * revoked (the worker's revoke subscription came back with Redis).
     */
    private void submitThrough(String kind, Fault rabbitFault, Fault redisFault) throws Exception {
        int total = 500;
        Map<String, Integer> accepted = new ConcurrentHashMap<>();
        Set<String> withdrawn = ConcurrentHashMap.newKeySet();
        Map<Integer, AtomicInteger> codes = new TreeMap<>();
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        AtomicInteger sent = new AtomicInteger();
        CountDownLatch faultsDone = new CountDownLatch(1);
        Thread submitter = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < total; i++) {
                if (i == total - 50) {
                    try {
                        faultsDone.await(); // keep the last ones for after both faults
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                int n = i;
                HttpRequest request = suite.post("api-service", "/api/tasks",
                        "{\"type\":\"sleep\",\"args\":{\"seconds\":0.5},\"queue\":\"default\"}")
                        .timeout(Duration.ofSeconds(30)).build();
                CompletableFuture<Void> call = suite.http().sendAsync(request, HttpResponse.BodyHandlers.ofString())
                        .handle((response, failure) -> {
                            int code = failure != null ? -1 : response.statusCode();
                            synchronized (codes) {
                                codes.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
                            }
                            try {
                                if (code == 202) {
                                    accepted.put(mapper.readTree(response.body()).get("id").asText(), n);
                                } else if (code == 503) {
                                    Matcher matcher = WITHDRAWN.matcher(mapper.readTree(response.body()).path("detail").asText());
                                    if (matcher.find()) {
                                        withdrawn.add(matcher.group(1));
                                    }
                                }
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                            return null;
                        });
                synchronized (calls) {
                    calls.add(call);
                }
                sent.incrementAndGet();
                try {
                    Thread.sleep(60);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });

        long start = System.nanoTime();
        await().atMost(Duration.ofSeconds(60)).until(() -> sent.get() >= 100);
        long rabbitDown = System.nanoTime();
        rabbitFault.happen();
        double rabbitSeconds = (System.nanoTime() - rabbitDown) / 1e9;
        // Redis next, once the api publishes again.
        int acceptedBefore = accepted.size();
        await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() > acceptedBefore + 10);
        long redisDown = System.nanoTime();
        redisFault.happen();
        double redisSeconds = (System.nanoTime() - redisDown) / 1e9;
        faultsDone.countDown();
        submitter.join();
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();

        List<String> ids = new ArrayList<>(accepted.keySet());
        Map<String, String> status = new ConcurrentHashMap<>();
        try {
            awaitAllSucceeded(ids, status);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            Map<String, String> unfinished = new TreeMap<>();
            ids.stream().filter(id -> !"SUCCESS".equals(status.get(id))).forEach(id -> unfinished.put(id, status.get(id)));
            throw new AssertionError(unfinished.size() + " accepted tasks not SUCCESS after 4 minutes (logs in "
                    + suite.log("worker-service").getParent() + "): " + unfinished, e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // A withdrawn task's record: REVOKED as NotConfirmed, never started, even where RabbitMQ had queued it.
        Map<String, String> withdrawnRecords = new TreeMap<>();
        for (String id : withdrawn) {
            HttpResponse<String> response = get("/api/tasks/" + id);
            withdrawnRecords.put(id, response.statusCode() + " " + response.body());
            assertEquals(200, response.statusCode(), id + ": " + response.body());
            JsonNode task = mapper.readTree(response.body());
            assertEquals("REVOKED", task.path("status").asText(), id + ": " + response.body());
            assertEquals("NotConfirmed", task.path("error").path("type").asText(), id + ": " + response.body());
            assertTrue(task.path("startedAt").isMissingNode() || task.path("startedAt").isNull(), "withdrawn yet started: " + response.body());
            assertEquals(0, task.path("attempts").asInt(), "withdrawn yet attempted: " + response.body());
        }
        System.out.printf("E2E-FIGURE broker faults (%s): %d submissions during a RabbitMQ %s (%.1f s down and up) and a"
                + " Redis %s (%.1f s, appendfsync everysec): answers %s; %d accepted (202), all %d SUCCESS, 0 lost;"
                + " %d withdrawn (503), none run; in %.1f s%n", kind, total, kind, rabbitSeconds, kind, redisSeconds, codes,
                ids.size(), ids.size(), withdrawn.size(), seconds);
        assertTrue(codes.keySet().stream().allMatch(c -> c == 202 || c == 503), "only 202 or 503: " + codes);
        assertTrue(codes.containsKey(503), "the outage was seen: " + codes);
        assertTrue(ids.size() >= 100, "most submissions outside the outages were accepted: " + codes);
        assertEquals(ids.size(), status.values().stream().filter("SUCCESS"::equals).count());
        assertTrue(withdrawn.stream().noneMatch(accepted::containsKey), "a task both withdrawn and accepted: " + withdrawnRecords);

        // The worker's revoke subscription came back with Redis too: a running task is still interrupted.
        HttpResponse<String> long_ = suite.http().send(suite.post("api-service", "/api/tasks",
                "{\"type\":\"sleep\",\"args\":{\"seconds\":60}}").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, long_.statusCode(), long_.body());
        String id = mapper.readTree(long_.body()).get("id").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> "STARTED".equals(mapper.readTree(get("/api/tasks/" + id).body())
                .path("status").asText()));
        await().atMost(Duration.ofSeconds(20)).until(() -> inFlight("e2e-fault-worker") == 1);
        assertEquals(200, suite.http().send(suite.request("api-service", "/api/tasks/" + id).DELETE()
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        await().atMost(Duration.ofSeconds(20)).until(() -> inFlight("e2e-fault-worker") == 0);
    }

    /** Reads the records of {@code ids} until every one is SUCCESS; {@code status} holds the last seen. */
    private void awaitAllSucceeded(List<String> ids, Map<String, String> status) {
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            for (String id : ids) {
                if (!"SUCCESS".equals(status.get(id))) {
                    HttpResponse<String> response = get("/api/tasks/" + id);
                    if (response.statusCode() == 200) {
                        JsonNode task = mapper.readTree(response.body());
                        status.put(id, task.path("status").asText());
                    }
                }
            }
            return status.values().stream().filter("SUCCESS"::equals).count() == ids.size();
        });
    }
}
