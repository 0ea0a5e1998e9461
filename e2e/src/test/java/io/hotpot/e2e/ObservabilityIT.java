package io.hotpot.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.Amqp;
import io.hotpot.common.Json;

/**
 * What an operator sees of the packaged services in production: a request's correlation id in
 * the worker's JSON log lines for its task, Prometheus metrics on every service, and the OpenAPI
 * document with Swagger UI.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObservabilityIT {
    private final ObjectMapper mapper = Json.newMapper();
    private final String queue = "e2e-obs-" + UUID.randomUUID().toString().substring(0, 8);
    private final String workerId = "e2e-worker-" + queue;
    private Suite suite;

    @BeforeAll
    void startSuite() throws Exception {
        suite = new Suite().start(Map.of("worker-service",
                List.of("-Dhotpot.worker.queue=" + queue, "-Dhotpot.worker.id=" + workerId)));
        await().atMost(Duration.ofSeconds(20)).until(() -> get("api-service", "/api/workers").body().contains(workerId));
    }

    @AfterAll
    void stopSuite() throws Exception {
        if (suite != null) {
            suite.close();
        }
        com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (com.rabbitmq.client.Connection connection = factory.newConnection();
                com.rabbitmq.client.Channel channel = connection.createChannel()) {
            channel.queueDelete(Amqp.queueName(queue));
            RedisCli.forgetQueue(queue);
        }
    }

    private HttpResponse<String> get(String service, String path) throws Exception {
        return suite.http().send(suite.request(service, path).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String submit(String body, String correlationId) throws Exception {
        HttpResponse<String> response = suite.http().send(suite.request("api-service", "/api/tasks")
                .header("Content-Type", "application/json").header("X-Correlation-Id", correlationId)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, response.statusCode(), response.body());
        assertEquals(correlationId, response.headers().firstValue("X-Correlation-Id").orElse(null));
        return mapper.readTree(response.body()).get("id").asText();
    }

    private String status(String id) throws Exception {
        return mapper.readTree(get("api-service", "/api/tasks/" + id).body()).path("status").asText();
    }

    @Test
    void theWorkersJsonLogLinesForATaskCarryTheRequestsCorrelationId() throws Exception {
        String correlationId = "e2e-" + UUID.randomUUID();
        // Overflows, so the worker logs its failure (HOTPOT-WORKER-012).
        String id = submit("{\"type\":\"add\",\"args\":{\"x\":9223372036854775807,\"y\":1},\"queue\":\"" + queue + "\"}",
                correlationId);
        await().atMost(Duration.ofSeconds(20)).until(() -> "FAILURE".equals(status(id)));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<JsonNode> ofTheTask = Files.readAllLines(suite.log("worker-service")).stream()
                    .filter(line -> line.startsWith("{") && line.contains(id))
                    .map(this::json).toList();
            assertTrue(!ofTheTask.isEmpty() && ofTheTask.stream().anyMatch(line -> line.path("message").asText()
                    .startsWith("HOTPOT-WORKER-012")), "no JSON log line for task " + id);
            ofTheTask.forEach(line -> assertEquals(correlationId, line.path("mdc").path("correlationId").asText(), line.toString()));
        });
    }

    @Test
    void everyServiceServesPrometheusMetrics() throws Exception {
        for (String service : Suite.SERVICES) {
            HttpResponse<String> metrics = get(service, "/q/metrics");
            assertEquals(200, metrics.statusCode(), service);
            assertTrue(metrics.body().contains("jvm_memory_used_bytes"), service);
        }
        String id = submit("{\"type\":\"add\",\"args\":{\"x\":1,\"y\":2},\"queue\":\"" + queue + "\"}", "e2e-metrics");
        await().atMost(Duration.ofSeconds(20)).until(() -> "SUCCESS".equals(status(id)));
        String tags = "{queue=\"" + queue + "\",type=\"add\"}";
        assertTrue(get("api-service", "/q/metrics").body().contains("hotpot_tasks_submitted_total" + tags));
        String worker = get("worker-service", "/q/metrics").body();
        assertTrue(worker.contains("hotpot_tasks_succeeded_total" + tags), "worker metrics");
        assertTrue(worker.contains("hotpot_task_queue_wait_seconds_bucket{queue=\"" + queue + "\",type=\"add\",le="), "queue wait");
    }

    @Test
    void openApiAndSwaggerUiAreServedInProduction() throws Exception {
        HttpResponse<String> openapi = get("api-service", "/q/openapi?format=json");
        assertEquals(200, openapi.statusCode());
        assertTrue(mapper.readTree(openapi.body()).path("paths").has("/api/tasks"));
        assertEquals(200, get("api-service", "/q/swagger-ui/").statusCode());
    }

    private JsonNode json(String line) {
        try {
            return mapper.readTree(line);
        } catch (Exception e) {
            throw new IllegalStateException("not a JSON log line: " + line, e);
        }
    }
}
