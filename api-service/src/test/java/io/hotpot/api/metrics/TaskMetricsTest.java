package io.hotpot.api.metrics;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

import io.hotpot.api.fixtures.StandInWorker;
import io.hotpot.common.Amqp;
import io.hotpot.common.ArgSpec;
import io.hotpot.common.ArgType;
import io.hotpot.common.RedisKeys;
import io.hotpot.common.TaskTypeInfo;
import io.hotpot.common.WorkerHeartbeat;
import io.hotpot.common.Workload;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * api-service's metrics and correlation ids against the real RabbitMQ and Redis: a worker is
 * stood in for by its heartbeat on a queue of this test's own, as in TaskResourceTest.
 */
@QuarkusTest
class TaskMetricsTest {
    @Inject
    RedisDataSource redis;
    @Inject
    ObjectMapper mapper;
    @Inject
    QueueDepths depths;

    private final String queue = "api-metrics-" + UUID.randomUUID().toString().substring(0, 8);
    private final String workerId = "fake-worker-" + queue;
    private StandInWorker worker;
    private Connection amqp;
    private Channel channel;

    @BeforeEach
    void standInForAWorker() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        amqp = factory.newConnection("api-service metrics test");
        channel = amqp.createChannel();
        channel.queueDeclare(Amqp.queueName(queue), true, false, false, Amqp.queueArguments());
        channel.queueBind(Amqp.queueName(queue), Amqp.TASKS_EXCHANGE, queue);
        WorkerHeartbeat heartbeat = new WorkerHeartbeat(workerId, List.of(queue), List.of(
                new TaskTypeInfo("add", Workload.CPU, List.of(new ArgSpec("x", ArgType.INTEGER, true),
                        new ArgSpec("y", ArgType.INTEGER, true)))),
                10, 2, 0, Instant.now(), Instant.now());
        worker = StandInWorker.advertise(redis, mapper, heartbeat);
    }

    @AfterEach
    void cleanUp() throws Exception {
        worker.stopAndForget();
        if (channel.isOpen()) {
            channel.queueDelete(Amqp.queueName(queue));
        }
        amqp.close();
    }

    private String submit(String correlationId) {
        var request = given().contentType(ContentType.JSON);
        if (correlationId != null) {
            request = request.header("X-Correlation-Id", correlationId);
        }
        return request.body("{\"type\":\"add\",\"args\":{\"x\":2,\"y\":3},\"queue\":\"" + queue + "\"}")
                .post("/api/tasks").then().statusCode(202).extract().header("X-Correlation-Id");
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double value(String metrics, String name, String labels) {
        var matcher = Pattern.compile("(?m)^" + Pattern.quote(name + "{" + labels + "}") + " (\\S+)$").matcher(metrics);
        assertTrue(matcher.find(), name + "{" + labels + "} is missing from /q/metrics");
        return Double.parseDouble(matcher.group(1));
    }

    @Test
    void acceptedTasksAreCountedByTypeAndQueue() {
        submit(null);
        submit(null);
        assertEquals(2.0, value(metrics(), "hotpot_tasks_submitted_total", "queue=\"" + queue + "\",type=\"add\""));
    }

    @Test
    void refusedTasksAreNotCounted() {
        given().contentType(ContentType.JSON).body("{\"type\":\"add\",\"args\":{\"x\":\"a\",\"y\":1},\"queue\":\"" + queue + "\"}")
                .post("/api/tasks").then().statusCode(422);
        assertFalse(metrics().contains("queue=\"" + queue + "\",type=\"add\""), "a 422 is not a submission");
    }

    @Test
    void queueDepthsAreReadFromRabbitMq() {
        submit(null);
        submit(null);
        submit(null);
        depths.readAll();
        String metrics = metrics();
        assertEquals(3.0, value(metrics, "hotpot_queue_messages", "queue=\"" + queue + "\""));
        assertEquals(0.0, value(metrics, "hotpot_queue_consumers", "queue=\"" + queue + "\""));
        assertTrue(value(metrics, "hotpot_queue_messages", "queue=\"default\"") >= 0);
    }

    @Test
    void aDeletedQueueDropsItsGauges() throws Exception {
        submit(null);
        depths.readAll();
        assertTrue(metrics().contains("hotpot_queue_messages{queue=\"" + queue + "\"}"));
        channel.queueDelete(Amqp.queueName(queue));
        depths.readAll();
        assertFalse(metrics().contains("hotpot_queue_messages{queue=\"" + queue + "\"}"));
    }

    @Test
    void theCallersCorrelationIdIsEchoedAndPublished() throws Exception {
        String given = "checkout-" + UUID.randomUUID();
        assertEquals(given, submit(given));
        GetResponse message = channel.basicGet(Amqp.queueName(queue), true);
        assertNotNull(message);
        assertEquals(given, mapper.readTree(message.getBody()).get("correlationId").asText());
    }

    @Test
    void aMissingOrUnsafeCorrelationIdIsReplacedByANewOne() throws Exception {
        for (String unsafe : new String[] { null, "", "two words", "x".repeat(129) }) {
            String made = submit(unsafe);
            assertNotNull(made);
            assertTrue(made.matches("[0-9a-f-]{36}"), made);
            GetResponse message = channel.basicGet(Amqp.queueName(queue), true);
            assertEquals(made, mapper.readTree(message.getBody()).get("correlationId").asText());
        }
        // Every answer carries one, errors and other paths included.
        given().get("/api/tasks/no-such-id").then().statusCode(404)
                .header("X-Correlation-Id", matchesPattern("[0-9a-f-]{36}"));
        given().header("X-Correlation-Id", "probe-1").get("/api/demo/hello").then().statusCode(200)
                .header("X-Correlation-Id", equalTo("probe-1"));
    }
}
