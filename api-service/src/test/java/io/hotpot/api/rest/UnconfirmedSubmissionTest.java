package io.hotpot.api.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.api.fixtures.StandInWorker;
import io.hotpot.common.ArgSpec;
import io.hotpot.common.ArgType;
import io.hotpot.common.GroupFields;
import io.hotpot.common.RedisKeys;
import io.hotpot.common.TaskTypeInfo;
import io.hotpot.common.WorkerHeartbeat;
import io.hotpot.common.Workload;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * A submission RabbitMQ does not confirm in time (here: the connector's broker is unreachable) is
 * answered 503 and withdrawn: its record is REVOKED ("NotConfirmed"), so a copy that the connector
 * sends later is dropped by the worker like any revoked task, and its idempotency key can be used
 * again, since the task never runs.
 */
@QuarkusTest
@TestProfile(UnconfirmedSubmissionTest.BrokerUnreachable.class)
class UnconfirmedSubmissionTest {
    /**
     * The connector's channels point at a port where nothing listens (the admin connection, which
     * says whether RabbitMQ answers, still reaches the real one); Redis is the real one.
     */
    public static class BrokerUnreachable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.messaging.connector.smallrye-rabbitmq.client-options-name", UNREACHABLE,
                    "rabbitmq.publish-timeout", "1s");
        }
    }

    static final String UNREACHABLE = "unreachable-rabbitmq";

    /** Client options for a broker that is not there; named only by {@link BrokerUnreachable}. */
    @jakarta.enterprise.context.ApplicationScoped
    public static class UnreachableBroker {
        @jakarta.enterprise.inject.Produces
        @io.smallrye.common.annotation.Identifier(UNREACHABLE)
        io.vertx.rabbitmq.RabbitMQOptions options() {
            return new io.vertx.rabbitmq.RabbitMQOptions().setHost("127.0.0.1").setPort(1)
                    .setAutomaticRecoveryOnInitialConnection(true).setReconnectAttempts(Integer.MAX_VALUE)
                    .setReconnectInterval(1000);
        }
    }

    @Inject
    RedisDataSource redis;
    @Inject
    ObjectMapper mapper;

    private final String queue = "api-unconfirmed-" + UUID.randomUUID().toString().substring(0, 8);
    private final String workerId = "fake-worker-" + queue;
    private StandInWorker worker;

    @BeforeEach
    void standInForAWorker() throws Exception {
        worker = StandInWorker.advertise(redis, mapper, new WorkerHeartbeat(workerId, List.of(queue), List.of(
                new TaskTypeInfo("add", Workload.CPU, List.of(new ArgSpec("x", ArgType.INTEGER, true),
                        new ArgSpec("y", ArgType.INTEGER, true)))),
                10, 2, 0, Instant.now(), Instant.now()));
    }

    @AfterEach
    void cleanUp() {
        worker.stopAndForget();
    }

    @Test
    void anUnconfirmedTaskIs503AndWithdrawnAndItsKeyFree() {
        String key = "unconfirmed-" + UUID.randomUUID();
        String detail = given().contentType(ContentType.JSON)
                .body("{\"type\":\"add\",\"args\":{\"x\":1,\"y\":2},\"queue\":\"" + queue + "\",\"idempotencyKey\":\"" + key + "\"}")
                .post("/api/tasks").then().statusCode(503)
                .contentType("application/problem+json")
                .body("detail", containsString("will not run"))
                .extract().path("detail");
        Matcher id = Pattern.compile("The task ([0-9a-f-]{36}) ").matcher(detail);
        assertEquals(true, id.find(), detail);

        given().get("/api/tasks/" + id.group(1)).then().statusCode(200)
                .body("status", equalTo("REVOKED"))
                .body("error.type", equalTo("NotConfirmed"));

        // The key was given back: the retry is a new task (503 again here), not the withdrawn one.
        String again = given().contentType(ContentType.JSON)
                .body("{\"type\":\"add\",\"args\":{\"x\":1,\"y\":2},\"queue\":\"" + queue + "\",\"idempotencyKey\":\"" + key + "\"}")
                .post("/api/tasks").then().statusCode(503).extract().path("detail");
        Matcher second = Pattern.compile("The task ([0-9a-f-]{36}) ").matcher(again);
        assertEquals(true, second.find(), again);
        assertEquals(false, second.group(1).equals(id.group(1)), "a new task for the retry");
    }

    @Test
    void aGroupWithAnUnconfirmedTaskIs503AbandonedAndNeverVisible() {
        String body = "{\"tasks\":[{\"type\":\"add\",\"args\":{\"x\":1,\"y\":2},\"queue\":\"" + queue + "\"},"
                + "{\"type\":\"add\",\"args\":{\"x\":3,\"y\":4},\"queue\":\"" + queue + "\"}]}";
        String detail = given().contentType(ContentType.JSON).body(body).post("/api/groups").then().statusCode(503)
                .contentType("application/problem+json")
                .body("detail", containsString("None of its tasks will run"))
                .extract().path("detail");
        Matcher id = Pattern.compile("The group ([0-9a-f-]{36}) ").matcher(detail);
        assertEquals(true, id.find(), detail);
        // Marked abandoned, so a worker drops any member RabbitMQ delivers after all; and never shown.
        assertEquals(GroupFields.ABANDONED, redis.hash(String.class).hget(RedisKeys.group(id.group(1)), GroupFields.STATE));
        given().get("/api/groups/" + id.group(1)).then().statusCode(404);
        assertEquals(0, redis.list(String.class).llen(RedisKeys.groupTasks(id.group(1))), "no member was recorded");
    }
}
