package io.hotpot.api.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.hotpot.api.fixtures.StandInWorker;
import io.hotpot.api.service.WorkerRegistry;
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
 * The catalogue against the real RabbitMQ and Redis: a worker stood in for by what it writes,
 * on a queue and a task type of this test's own, then stopped (its heartbeat gone, its catalogue
 * entries kept), as in a rolling update or with KEDA at zero replicas.
 */
@QuarkusTest
class CatalogueResourceTest {
    @Inject
    RedisDataSource redis;
    @Inject
    ObjectMapper mapper;
    @Inject
    WorkerRegistry workers;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String queue = "api-cat-" + run;
    private final String type = "cat-type-" + run;
    private StandInWorker worker;
    private Connection amqp;
    private Channel channel;

    @BeforeEach
    void aWorkerAdvertisesThenStops() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        amqp = factory.newConnection("api-service catalogue test");
        channel = amqp.createChannel();
        // What the worker declared when it consumed the queue: durable, it stays after the worker.
        channel.queueDeclare(Amqp.queueName(queue), true, false, false, Amqp.queueArguments());
        channel.queueBind(Amqp.queueName(queue), Amqp.TASKS_EXCHANGE, queue);
        worker = StandInWorker.advertise(redis, mapper, new WorkerHeartbeat("fake-worker-" + queue, List.of(queue),
                List.of(new TaskTypeInfo(type, Workload.IO, List.of(new ArgSpec("n", ArgType.INTEGER, true)))),
                10, 2, 0, Instant.now(), Instant.now()));
    }

    @AfterEach
    void cleanUp() throws Exception {
        worker.stopAndForget();
        redis.hash(String.class).hdel(RedisKeys.CATALOGUE_TYPES, type);
        redis.sortedSet(String.class).zrem(RedisKeys.CATALOGUE_TYPES_SEEN, type);
        channel.queueDelete(Amqp.queueName(queue));
        amqp.close();
    }

    private String body(String extra) {
        return "{\"type\":\"" + type + "\",\"args\":{\"n\":1},\"queue\":\"" + queue + "\"" + extra + "}";
    }

    @Test
    void aKnownTypeWithNoLiveWorkerIsAcceptedAndWaitsInRabbitMq() throws Exception {
        given().contentType(ContentType.JSON).body(body("")).post("/api/tasks").then().statusCode(202)
                .body("workers", equalTo(1)).header("Warning", nullValue());
        worker.stop();
        // The API reuses its view of the live workers for hotpot.workers.cache-for (1 s).
        await().atMost(Duration.ofSeconds(5)).until(() -> workers.recentWorkers().await().indefinitely().stream()
                .noneMatch(w -> w.id().equals("fake-worker-" + queue)));

        given().contentType(ContentType.JSON).body(body("")).post("/api/tasks").then().statusCode(202)
                .body("status", equalTo("PENDING"))
                .body("workers", equalTo(0))
                .header("Warning", equalTo("199 hotpot \"no live worker consumes the queue '" + queue
                        + "' with the task type '" + type + "' now; the task waits in RabbitMQ\""));
        assertEquals(2, channel.messageCount(Amqp.queueName(queue)));
        given().get("/api/queues").then().statusCode(200)
                .body("find { it.name == '" + queue + "' }.depth", equalTo(2))
                .body("find { it.name == '" + queue + "' }.consumers", equalTo(0));
        // A type never advertised is still refused, and names the known ones.
        given().contentType(ContentType.JSON).body("{\"type\":\"never-" + run + "\",\"queue\":\"" + queue + "\"}")
                .post("/api/tasks").then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("type")).body("detail", containsString(type));
        given().contentType(ContentType.JSON).body(body("").replace(queue, "never-" + run)).post("/api/tasks")
                .then().statusCode(422).body("errors[0].field", equalTo("queue"));
        // The arguments are still checked against what the worker advertised.
        given().contentType(ContentType.JSON).body(body("").replace("\"n\":1", "\"n\":\"one\"")).post("/api/tasks")
                .then().statusCode(422).body("errors[0].field", equalTo("args.n"));
    }

    @Test
    void theCatalogueListsEntriesAndRemovesThemOnlyOnPurpose() {
        given().get("/api/catalogue").then().statusCode(200)
                .body("types.find { it.type == '" + type + "' }.workers", equalTo(1))
                .body("types.find { it.type == '" + type + "' }.declared", equalTo(false))
                .body("types.find { it.type == '" + type + "' }.args[0].name", equalTo("n"))
                .body("queues.find { it.name == '" + queue + "' }.workers", equalTo(1))
                .body("queues.find { it.name == 'default' }.declared", equalTo(true))
                .body("retention", equalTo("PT168H"));
        given().delete("/api/catalogue/queues/" + queue).then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("fake-worker-" + queue));
        given().delete("/api/catalogue/queues/default").then().statusCode(409);

        worker.stop();
        given().get("/api/catalogue").then().statusCode(200)
                .body("queues.find { it.name == '" + queue + "' }.workers", equalTo(0));
        given().delete("/api/catalogue/types/" + type).then().statusCode(204);
        given().delete("/api/catalogue/queues/" + queue).then().statusCode(204);
        given().delete("/api/catalogue/queues/" + queue).then().statusCode(404).contentType("application/problem+json");
        given().get("/api/catalogue").then().statusCode(200)
                .body("types.type", not(hasItem(type))).body("queues.name", not(hasItem(queue)));
        given().contentType(ContentType.JSON).body(body("")).post("/api/tasks").then().statusCode(422);
    }

    @Test
    void entriesNoWorkerAdvertisedWithinTheRetentionAreDropped() {
        long eightDaysAgo = System.currentTimeMillis() - Duration.ofDays(8).toMillis();
        redis.sortedSet(String.class).zadd(RedisKeys.CATALOGUE_QUEUES, eightDaysAgo, queue);
        redis.sortedSet(String.class).zadd(RedisKeys.CATALOGUE_TYPES_SEEN, eightDaysAgo, type);
        worker.stop();

        given().get("/api/catalogue").then().statusCode(200)
                .body("types.type", not(hasItem(type))).body("queues.name", not(hasItem(queue)));
        assertTrue(redis.sortedSet(String.class).zscore(RedisKeys.CATALOGUE_QUEUES, queue).isEmpty());
        assertNull(redis.hash(String.class).hget(RedisKeys.CATALOGUE_TYPES, type));
        given().contentType(ContentType.JSON).body(body("")).post("/api/tasks").then().statusCode(422);
    }
}
