package io.hotpot.api.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.hotpot.api.fixtures.StandInWorker;
import io.hotpot.api.service.TaskWaiters;
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
import io.restassured.response.Response;

/**
 * {@code ?wait=} against the real Redis: the worker is stood in for by the record write and the
 * event it publishes on the task event channel, done by the test once the request waits.
 */
@QuarkusTest
class TaskWaitTest {
    @Inject
    RedisDataSource redis;
    @Inject
    ObjectMapper mapper;
    @Inject
    TaskWaiters waiters;

    private final String queue = "api-wait-" + UUID.randomUUID().toString().substring(0, 8);
    private StandInWorker worker;
    private Connection amqp;
    private Channel channel;

    @BeforeEach
    void standInForAWorker() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        amqp = factory.newConnection("api-service wait test");
        channel = amqp.createChannel();
        channel.queueDeclare(Amqp.queueName(queue), true, false, false, Amqp.queueArguments());
        channel.queueBind(Amqp.queueName(queue), Amqp.TASKS_EXCHANGE, queue);
        worker = StandInWorker.advertise(redis, mapper, new WorkerHeartbeat("fake-worker-" + queue, List.of(queue),
                List.of(new TaskTypeInfo("add", Workload.CPU, List.of(new ArgSpec("x", ArgType.INTEGER, true),
                        new ArgSpec("y", ArgType.INTEGER, true)))), 10, 2, 0, Instant.now(), Instant.now()));
    }

    @AfterEach
    void cleanUp() throws Exception {
        worker.stopAndForget();
        channel.queueDelete(Amqp.queueName(queue));
        amqp.close();
    }

    private String submit() {
        return given().contentType(ContentType.JSON).body("{\"type\":\"add\",\"args\":{\"x\":2,\"y\":3},\"queue\":\"" + queue + "\"}")
                .post("/api/tasks").then().statusCode(202).extract().path("id");
    }

    /** What a worker does when a task succeeds: the record, then the event. */
    private void finish(String id) {
        redis.hash(String.class).hset(RedisKeys.task(id), Map.of("status", "SUCCESS", "result", "5",
                "attempts", "1", "finishedAt", Instant.now().toString()));
        redis.pubsub(String.class).publish(RedisKeys.TASK_EVENTS_CHANNEL, "{\"id\":\"" + id
                + "\",\"type\":\"add\",\"status\":\"SUCCESS\",\"attempts\":1,\"result\":5,\"at\":\"" + Instant.now() + "\"}");
    }

    @Test
    void aWaitingReadAnswersAsSoonAsTheTaskIsFinal() throws Exception {
        String id = submit();
        long start = System.nanoTime();
        CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(
                () -> given().get("/api/tasks/" + id + "?wait=PT20S"));
        await().atMost(Duration.ofSeconds(10)).until(() -> waiters.size() >= 1);
        finish(id);
        Response answer = waiting.get(10, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(200, answer.statusCode());
        assertEquals("SUCCESS", answer.path("status"));
        assertEquals(5, (int) answer.path("result"));
        assertTrue(seconds < 10, "answered on the event, not at the end of the wait: " + seconds + " s");
        await().atMost(Duration.ofSeconds(5)).until(() -> waiters.size() == 0);
    }

    @Test
    void aWaitingSubmissionAnswers200WithTheResult() throws Exception {
        CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() -> given().contentType(ContentType.JSON)
                .body("{\"type\":\"add\",\"args\":{\"x\":2,\"y\":3},\"queue\":\"" + queue + "\"}").post("/api/tasks?wait=PT20S"));
        await().atMost(Duration.ofSeconds(10)).until(() -> waiters.size() >= 1);
        // The message in the queue says which task waits.
        String id = mapper.readTree(channel.basicGet(Amqp.queueName(queue), true).getBody()).get("id").asText();
        finish(id);
        Response answer = waiting.get(10, TimeUnit.SECONDS);
        assertEquals(200, answer.statusCode(), answer.asString());
        assertEquals("SUCCESS", answer.path("status"));
        assertEquals(5, (int) answer.path("result"));
        assertEquals(1, (int) answer.path("workers"));
        assertTrue(answer.header("Location").endsWith("/api/tasks/" + id));
    }

    @Test
    void aWaitThatEndsFirstAnswersTheCurrentState() {
        String id = submit();
        long start = System.nanoTime();
        given().get("/api/tasks/" + id + "?wait=PT1S").then().statusCode(200).body("status", equalTo("PENDING"));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds >= 0.9 && seconds < 5, "waited about the second asked: " + seconds + " s");
        long again = System.nanoTime();
        given().contentType(ContentType.JSON).body("{\"type\":\"add\",\"args\":{\"x\":2,\"y\":3},\"queue\":\"" + queue + "\"}")
                .post("/api/tasks?wait=PT0.5S").then().statusCode(202).body("status", equalTo("PENDING"))
                .header("Location", containsString("/api/tasks/"));
        assertTrue((System.nanoTime() - again) / 1e9 >= 0.45);
    }

    @Test
    void aTaskAlreadyFinalAnswersAtOnce() {
        String id = submit();
        finish(id);
        long start = System.nanoTime();
        given().get("/api/tasks/" + id + "?wait=PT30S").then().statusCode(200).body("status", equalTo("SUCCESS"));
        assertTrue((System.nanoTime() - start) / 1e9 < 5);
        given().get("/api/tasks/" + UUID.randomUUID() + "?wait=PT30S").then().statusCode(404);
    }

    @Test
    void badWaitsAre400AndChangeNothing() throws Exception {
        String id = submit();
        for (String wait : List.of("-PT1S", "PT6M", "30", "soon")) {
            given().get("/api/tasks/" + id + "?wait=" + wait).then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", equalTo("wait"));
            given().contentType(ContentType.JSON).body("{\"type\":\"add\",\"args\":{\"x\":2,\"y\":3},\"queue\":\"" + queue + "\"}")
                    .post("/api/tasks?wait=" + wait).then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", equalTo("wait"));
        }
        assertEquals(1, channel.messageCount(Amqp.queueName(queue)), "a bad wait queued nothing");
    }
}
