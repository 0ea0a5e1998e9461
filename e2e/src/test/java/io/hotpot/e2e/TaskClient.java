package io.hotpot.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.Json;

/**
 * Many tasks through a suite's api-service as a backend with a pool of 50 connections sends them:
 * submissions and reads of their records, at most 50 requests in flight.
 */
final class TaskClient {
    private static final int IN_FLIGHT = 50;
    private final Suite suite;
    private final ObjectMapper mapper = Json.newMapper();

    TaskClient(Suite suite) {
        this.suite = suite;
    }

    /** Submits {@code count} copies of a task; their ids. Each must be answered 202. */
    List<String> submit(int count, String json) throws Exception {
        return submit(count, json, false);
    }

    /**
     * Submits {@code count} copies of a task; the ids of those answered 202. With
     * {@code refusalsAllowed} a 503 (not taken, as during a broker failover) is allowed too.
     */
    List<String> submit(int count, String json, boolean refusalsAllowed) throws Exception {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            calls.add(suite.http().sendAsync(suite.post("api-service", "/api/tasks", json).build(),
                    HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> inFlight.release()));
        }
        List<String> ids = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.join();
            if (refusalsAllowed && response.statusCode() == 503) {
                continue;
            }
            assertEquals(202, response.statusCode(), response.body());
            ids.add(mapper.readTree(response.body()).get("id").asText());
        }
        return ids;
    }

    /** Every task's record by id, as {@code GET /api/tasks/{id}} answers it. */
    Map<String, JsonNode> records(List<String> ids) throws Exception {
        Map<String, CompletableFuture<HttpResponse<String>>> calls = new HashMap<>();
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        for (String id : ids) {
            inFlight.acquire();
            calls.put(id, suite.http().sendAsync(suite.request("api-service", "/api/tasks/" + id).build(),
                    HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> inFlight.release()));
        }
        Map<String, JsonNode> records = new HashMap<>();
        for (Map.Entry<String, CompletableFuture<HttpResponse<String>>> call : calls.entrySet()) {
            records.put(call.getKey(), mapper.readTree(call.getValue().join().body()));
        }
        return records;
    }

    /** How many of the records have {@code status}. */
    static long count(Map<String, JsonNode> records, String status) {
        return records.values().stream().filter(r -> status.equals(r.path("status").asText())).count();
    }
}
