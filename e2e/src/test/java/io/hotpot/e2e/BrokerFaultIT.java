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
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.Json;

/**
 * RabbitMQ and Redis restarted while 500 tasks are submitted, against brokers of this test's
 * own: the api answers 202 or 503 (never 202 for a task it could not publish), every service
 * reconnects by itself, and every task that got a 202 reaches SUCCESS.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrokerFaultIT {
    private final ObjectMapper mapper = Json.newMapper();
    private OwnBrokers.Rabbit rabbit;
    private OwnBrokers.Redis redis;
    private Suite suite;

    @BeforeAll
    void start() throws Exception {
        rabbit = new OwnBrokers.Rabbit("").start();
        redis = new OwnBrokers.Redis().start();
        List<String> brokers = List.of("-Drabbitmq.port=" + rabbit.port, "-Dredis.port=" + redis.port);
        List<String> worker = new ArrayList<>(brokers);
        worker.addAll(List.of("-Dhotpot.worker.id=e2e-fault-worker", "-Dhotpot.worker.concurrency=100"));
        suite = new Suite().start(Map.of("api-service", brokers, "worker-service", worker, "scheduler-service", brokers,
                "chat-service", List.of("-Dredis.port=" + redis.port)));
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
        return suite.http().send(HttpRequest.newBuilder(suite.uri("api-service", path)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void restartsOfRabbitMqAndRedisDuringARunLoseNoAcceptedTask() throws Exception {
        int total = 500;
        Map<String, Integer> accepted = new ConcurrentHashMap<>();
        Map<Integer, AtomicInteger> codes = new TreeMap<>();
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        AtomicInteger sent = new AtomicInteger();
        CountDownLatch faultsDone = new CountDownLatch(1);
        Thread submitter = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < total; i++) {
                if (i == total - 50) {
                    try {
                        faultsDone.await(); // keep the last ones for after both restarts
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                int n = i;
                HttpRequest request = HttpRequest.newBuilder(suite.uri("api-service", "/api/tasks"))
                        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"type\":\"sleep\",\"args\":{\"seconds\":0.5},\"queue\":\"default\"}"))
                        .build();
                CompletableFuture<Void> call = suite.http().sendAsync(request, HttpResponse.BodyHandlers.ofString())
                        .handle((response, failure) -> {
                            int code = failure != null ? -1 : response.statusCode();
                            synchronized (codes) {
                                codes.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
                            }
                            if (code == 202) {
                                try {
                                    accepted.put(mapper.readTree(response.body()).get("id").asText(), n);
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
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
        rabbit.stop();
        rabbit.start();
        double rabbitSeconds = (System.nanoTime() - rabbitDown) / 1e9;
        // Redis next, once the api publishes again.
        int acceptedBefore = accepted.size();
        await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() > acceptedBefore + 10);
        long redisDown = System.nanoTime();
        redis.stop();
        redis.start();
        double redisSeconds = (System.nanoTime() - redisDown) / 1e9;
        faultsDone.countDown();
        submitter.join();
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();

        List<String> ids = new ArrayList<>(accepted.keySet());
        Map<String, String> status = new ConcurrentHashMap<>();
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
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("E2E-FIGURE broker faults: %d submissions during a RabbitMQ restart (%.1f s down and up) and a"
                + " Redis restart (%.1f s): answers %s; %d accepted (202), all %d SUCCESS, 0 lost, in %.1f s%n",
                total, rabbitSeconds, redisSeconds, codes, ids.size(), ids.size(), seconds);
        assertTrue(codes.keySet().stream().allMatch(c -> c == 202 || c == 503), "only 202 or 503: " + codes);
        assertTrue(codes.containsKey(503), "the outage was seen: " + codes);
        assertTrue(ids.size() >= 100, "most submissions outside the outages were accepted: " + codes);
        assertEquals(ids.size(), status.values().stream().filter("SUCCESS"::equals).count());

        // The worker's revoke subscription came back with Redis too: a running task is still interrupted.
        HttpResponse<String> long_ = suite.http().send(HttpRequest.newBuilder(suite.uri("api-service", "/api/tasks"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"sleep\",\"args\":{\"seconds\":60}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, long_.statusCode(), long_.body());
        String id = mapper.readTree(long_.body()).get("id").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> "STARTED".equals(mapper.readTree(get("/api/tasks/" + id).body())
                .path("status").asText()));
        await().atMost(Duration.ofSeconds(20)).until(() -> inFlight("e2e-fault-worker") == 1);
        assertEquals(200, suite.http().send(HttpRequest.newBuilder(suite.uri("api-service", "/api/tasks/" + id)).DELETE()
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        await().atMost(Duration.ofSeconds(20)).until(() -> inFlight("e2e-fault-worker") == 0);
    }
}
