package io.hotpot.worker.task;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.hotpot.common.RedisKeys;
import io.hotpot.common.TaskMessage;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The {@code webhook} task and the fan-out under it, run by the worker's real runner against the
 * real Redis, calling a local HTTP server that answers {@code /slow} after one second: how many
 * requests are open at once, the outcome of each, and a revoke that cancels the rest.
 */
@QuarkusTest
class WebhookTest {
    @Inject
    TaskRunner runner;
    @Inject
    RedisDataSource redis;
    @Inject
    ObjectMapper mapper;

    private HttpServer server;
    private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger mostOpen = new AtomicInteger();
    private final List<String> ids = new ArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1000);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        ids.forEach(id -> redis.key().del(RedisKeys.task(id)));
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        received.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
        boolean answering = false;
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = 200;
            if (path.startsWith("/slow")) {
                Thread.sleep(1000);
            } else if (path.startsWith("/fail")) {
                status = 500;
            } else if (path.startsWith("/echo")) {
                status = mapper.readTree(body).path("hello").asText().equals("world")
                        && "s3cret".equals(exchange.getRequestHeaders().getFirst("X-Secret")) ? 204 : 400;
            }
            // No longer open once the answer may reach the client, which may then send its next request.
            answering = true;
            open.decrementAndGet();
            exchange.sendResponseHeaders(status, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (!answering) {
                open.decrementAndGet();
            }
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private List<String> urls(String path, int count) {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            urls.add(url(path + "/" + i));
        }
        return urls;
    }

    private int count(String prefix) {
        return received.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToInt(e -> e.getValue().get()).sum();
    }

    private CompletableFuture<TaskRunner.Outcome> submit(String id, List<String> urls, Integer parallelism) {
        ObjectNode args = mapper.createObjectNode();
        args.putPOJO("urls", urls);
        args.putObject("payload").put("hello", "world");
        args.putObject("headers").put("X-Secret", "s3cret");
        if (parallelism != null) {
            args.put("parallelism", parallelism);
        }
        ids.add(id);
        return runner.run(new TaskMessage(id, "webhook", mapper.valueToTree(args), "webhook-test", 0, Instant.now(),
                "corr-" + id));
    }

    private Map<String, String> record(String id) {
        return redis.hash(String.class).hgetall(RedisKeys.task(id));
    }

    /** Runs 200 calls to /slow at the given parallelism: the seconds it took, after checking its result. */
    private double twoHundredSlowCalls(int parallelism) throws Exception {
        String id = UUID.randomUUID().toString();
        long began = System.nanoTime();
        submit(id, urls("/slow-" + parallelism, 200), parallelism).get(60, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - began) / 1e9;
        Map<String, String> record = record(id);
        assertEquals("SUCCESS", record.get("status"), record.toString());
        JsonNode result = mapper.readTree(record.get("result"));
        assertEquals(200, result.get("succeeded").asInt());
        assertEquals(0, result.get("failed").asInt());
        for (int i = 0; i < 200; i++) {
            JsonNode outcome = result.get("outcomes").get(i);
            assertTrue(outcome.get("url").asText().endsWith("/" + i), "in the order given: " + outcome);
            assertEquals(200, outcome.get("status").asInt());
        }
        assertEquals(100, mapper.readTree(record.get("progress")).get("percent").asInt());
        assertEquals("200 of 200 calls done", mapper.readTree(record.get("progress")).get("message").asText());
        return seconds;
    }

    @Test
    void twoHundredCallsRunTwentyAtATimeOrAllAtOnce() throws Exception {
        double limited = twoHundredSlowCalls(20);
        assertEquals(20, mostOpen.get(), "twenty requests open at once, never more");
        assertEquals(200, count("/slow-20/"));
        mostOpen.set(0);
        double all = twoHundredSlowCalls(200);
        assertTrue(mostOpen.get() > 20 && mostOpen.get() <= 200, "more than twenty at once: " + mostOpen.get());
        System.out.printf("TEST-FIGURE webhook, 200 calls answered after 1 s each: %.1f s with a parallelism of 20, "
                + "%.1f s with 200 (%d open at once)%n", limited, all, mostOpen.get());
    }

    @Test
    void everyUrlHasItsOutcomeAndAFailingOneDoesNotStopTheOthers() throws Exception {
        String id = UUID.randomUUID().toString();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        List<String> urls = List.of(url("/echo"), url("/fail"), "http://127.0.0.1:" + closedPort + "/nobody", url("/ok"));
        submit(id, urls, null).get(60, TimeUnit.SECONDS);
        Map<String, String> record = record(id);
        assertEquals("SUCCESS", record.get("status"), record.toString());
        JsonNode result = mapper.readTree(record.get("result"));
        assertEquals(4, result.get("calls").asInt());
        assertEquals(2, result.get("succeeded").asInt());
        assertEquals(2, result.get("failed").asInt());
        JsonNode outcomes = result.get("outcomes");
        assertEquals(204, outcomes.get(0).get("status").asInt(), "the payload and the headers arrived: " + outcomes);
        assertEquals(500, outcomes.get(1).get("status").asInt());
        assertFalse(outcomes.get(1).get("ok").asBoolean());
        assertTrue(outcomes.get(2).get("error").asText().contains("ConnectException"), outcomes.get(2).toString());
        assertTrue(outcomes.get(3).get("ok").asBoolean());
        assertEquals("***", mapper.readTree(record.get("args")).get("headers").asText(), "the headers are masked");
    }

    @Test
    void aBadUrlFailsTheTaskBeforeAnyCall() throws Exception {
        String id = UUID.randomUUID().toString();
        submit(id, List.of(url("/never"), "ftp://127.0.0.1/file"), null).get(60, TimeUnit.SECONDS);
        Map<String, String> record = record(id);
        assertEquals("FAILURE", record.get("status"));
        assertTrue(record.get("error").contains("urls[1] is not an http(s) URL"), record.get("error"));
        assertEquals(0, count("/never"));

        String tooMany = UUID.randomUUID().toString();
        submit(tooMany, List.of(url("/never")), 5000).get(60, TimeUnit.SECONDS);
        assertEquals("FAILURE", record(tooMany).get("status"));
        assertTrue(record(tooMany).get("error").contains("hotpot.tasks.fan-out.max-parallelism"), record(tooMany).get("error"));
        assertEquals(0, count("/never"));
    }

    @Test
    void aRevokeMidWayCancelsTheOutstandingCalls() throws Exception {
        String id = UUID.randomUUID().toString();
        CompletableFuture<TaskRunner.Outcome> done = submit(id, urls("/slow-revoked", 200), 20);
        await().atMost(Duration.ofSeconds(20)).until(() -> count("/slow-revoked") >= 40);
        // What api-service's revoke does to a running task's record; the worker's revoke check interrupts it.
        redis.hash(String.class).hset(RedisKeys.task(id), Map.of("status", "REVOKED", "error",
                "{\"type\":\"Revoked\",\"message\":\"test\"}"));
        done.get(20, TimeUnit.SECONDS);
        int sent = count("/slow-revoked");
        assertTrue(sent < 200, "the outstanding calls were never made: " + sent + " of 200");
        assertFalse(runner.runningIds().contains(id));
        assertEquals("REVOKED", record(id).get("status"));
        // Another task through the same server, start to end: the revoked one's calls have not gone on meanwhile.
        String after = UUID.randomUUID().toString();
        submit(after, List.of(url("/slow-after")), null).get(20, TimeUnit.SECONDS);
        assertEquals("SUCCESS", record(after).get("status"));
        assertEquals(sent, count("/slow-revoked"), "no call of the revoked task after it ended");
        System.out.printf("TEST-FIGURE webhook revoked mid-way: %d of 200 calls made%n", sent);
    }
}
