package io.hotpot.api.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.api.fixtures.StandInWorker;
import io.hotpot.common.ArgSpec;
import io.hotpot.common.ArgType;
import io.hotpot.common.MissedPolicy;
import io.hotpot.common.RedisKeys;
import io.hotpot.common.ScheduleDefinition;
import io.hotpot.common.ScheduleFields;
import io.hotpot.common.TaskTypeInfo;
import io.hotpot.common.WorkerHeartbeat;
import io.hotpot.common.Workload;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * {@code /api/schedules} against the real Redis. A worker is stood in for by its heartbeat on a
 * queue of this test's own; every schedule name carries this run's suffix and is deleted after.
 */
@QuarkusTest
class ScheduleResourceTest {
    @Inject
    RedisDataSource redis;
    @Inject
    ObjectMapper mapper;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String queue = "api-sched-" + run;
    private final String workerId = "fake-worker-" + queue;
    private StandInWorker worker;
    private final String name = "nightly-" + run;

    @BeforeEach
    void standInForAWorker() throws Exception {
        WorkerHeartbeat heartbeat = new WorkerHeartbeat(workerId, List.of(queue), List.of(
                new TaskTypeInfo("add", Workload.CPU, List.of(new ArgSpec("x", ArgType.INTEGER, true),
                        new ArgSpec("y", ArgType.INTEGER, true)))),
                10, 0, 0, Instant.now(), Instant.now());
        worker = StandInWorker.advertise(redis, mapper, heartbeat);
    }

    @AfterEach
    void cleanUp() {
        worker.stopAndForget();
        redis.key().del(RedisKeys.scheduleState(name));
        redis.hash(String.class).hdel(RedisKeys.SCHEDULES, name);
        redis.hash(String.class).hdel(RedisKeys.configSchedules("api-test"), "cfg-" + run);
    }

    private String body(String timing) {
        return "{\"name\":\"" + name + "\"," + timing + ",\"task\":{\"type\":\"add\",\"args\":{\"x\":1,\"y\":2},\"queue\":\""
                + queue + "\"}}";
    }

    private static String millis(String instant) {
        return Long.toString(Instant.parse(instant).toEpochMilli());
    }

    private boolean stored() {
        return redis.hash(String.class).hget(RedisKeys.SCHEDULES, name) != null;
    }

    @Test
    void aScheduleIsCreatedReadListedUpdatedPausedResumedAndDeleted() {
        given().contentType(ContentType.JSON).body(body("\"cron\":\"0 0 7 * * ?\",\"timezone\":\"Europe/Paris\""))
                .post("/api/schedules").then().statusCode(201)
                .header("Location", endsWith("/api/schedules/" + name))
                .body("name", equalTo(name)).body("cron", equalTo("0 0 7 * * ?")).body("timezone", equalTo("Europe/Paris"))
                .body("enabled", equalTo(true)).body("missed", equalTo("skip")).body("source", equalTo("api"))
                .body("task.type", equalTo("add")).body("task.args.x", equalTo(1)).body("task.queue", equalTo(queue))
                .body("lastTaskId", nullValue());

        given().contentType(ContentType.JSON).body(body("\"every\":\"PT1M\"")).post("/api/schedules")
                .then().statusCode(409).contentType("application/problem+json");

        given().get("/api/schedules").then().statusCode(200).body("name", hasItem(name));

        // What the scheduler's leader wrote shows in the view, with the last task's status.
        String taskId = UUID.randomUUID().toString();
        redis.hash(String.class).hset(RedisKeys.task(taskId), Map.of("id", taskId, "status", "SUCCESS"));
        redis.hash(String.class).hset(RedisKeys.scheduleState(name), Map.of(
                ScheduleFields.NEXT_FIRE_TIME, millis("2026-11-27T06:00:00Z"), ScheduleFields.LAST_FIRE_TIME, millis("2026-11-26T06:00:00Z"),
                ScheduleFields.LAST_TASK_ID, taskId));
        given().get("/api/schedules/" + name).then().statusCode(200)
                .body("nextFireTime", equalTo("2026-11-27T06:00:00Z")).body("lastFireTime", equalTo("2026-11-26T06:00:00Z"))
                .body("lastTaskId", equalTo(taskId)).body("lastTaskStatus", equalTo("SUCCESS"));
        redis.key().del(RedisKeys.task(taskId));

        // An update clears the next fire time, so the leader computes it from the new timing.
        given().contentType(ContentType.JSON).body(body("\"every\":\"PT2S\",\"missed\":\"run-once\""))
                .put("/api/schedules/" + name).then().statusCode(200)
                .body("every", equalTo("PT2S")).body("cron", nullValue()).body("missed", equalTo("run-once"));
        assertNull(redis.hash(String.class).hget(RedisKeys.scheduleState(name), ScheduleFields.NEXT_FIRE_TIME));

        given().post("/api/schedules/" + name + "/pause").then().statusCode(200).body("enabled", equalTo(false))
                .body("nextFireTime", nullValue());
        given().post("/api/schedules/" + name + "/resume").then().statusCode(200).body("enabled", equalTo(true));

        given().delete("/api/schedules/" + name).then().statusCode(204);
        assertFalse(stored());
        assertFalse(redis.key().exists(RedisKeys.scheduleState(name)));
        given().get("/api/schedules/" + name).then().statusCode(404).contentType("application/problem+json");
        given().delete("/api/schedules/" + name).then().statusCode(404);
    }

    @Test
    void badInputIsAProblemAndStoresNothing() {
        String tomorrow = Instant.now().plusSeconds(86_400).toString();
        record Case(String what, String body, int status, String field) {
        }
        List<Case> cases = List.of(
                new Case("invalid cron", body("\"cron\":\"61 * * * * ?\""), 400, "cron"),
                new Case("unknown zone", body("\"cron\":\"0 0 7 * * ?\",\"timezone\":\"Mars/Olympus\""), 400, "timezone"),
                new Case("zero interval", body("\"every\":\"PT0S\""), 400, "every"),
                new Case("negative interval", body("\"every\":\"-PT5S\""), 400, "every"),
                new Case("not a duration", body("\"every\":\"5 seconds\""), 400, "every"),
                new Case("one-off in the past", body("\"at\":\"2020-01-01T00:00:00Z\""), 400, "at"),
                new Case("two timings", body("\"every\":\"PT1S\",\"at\":\"" + tomorrow + "\""), 400, "every"),
                new Case("no timing", body("\"enabled\":true"), 400, "cron"),
                new Case("unknown missed policy", body("\"every\":\"PT1S\",\"missed\":\"later\""), 400, "missed"),
                new Case("unknown task type", body("\"every\":\"PT1S\"").replace("\"add\"", "\"nope\""), 422, "task.type"),
                new Case("args that do not fit", body("\"every\":\"PT1S\"").replace("\"x\":1", "\"x\":\"a\""), 422, "task.args.x"),
                new Case("bad name", body("\"every\":\"PT1S\"").replace(name, "a b"), 400, "name"));
        for (Case c : cases) {
            given().contentType(ContentType.JSON).body(c.body()).post("/api/schedules").then()
                    .statusCode(c.status()).contentType("application/problem+json")
                    .body("status", equalTo(c.status())).body("errors.field", hasItem(c.field()));
            assertFalse(stored(), c.what() + " stored nothing");
        }
        given().contentType(ContentType.JSON).body("{\"name\":").post("/api/schedules").then().statusCode(400)
                .contentType("application/problem+json");

        // An update with bad input leaves the stored schedule as it was.
        given().contentType(ContentType.JSON).body(body("\"every\":\"PT1S\"")).post("/api/schedules").then().statusCode(201);
        String before = redis.hash(String.class).hget(RedisKeys.SCHEDULES, name);
        given().contentType(ContentType.JSON).body(body("\"every\":\"PT0S\"")).put("/api/schedules/" + name).then()
                .statusCode(400).body("detail", containsString("every must be longer than zero"));
        assertEquals(before, redis.hash(String.class).hget(RedisKeys.SCHEDULES, name));
    }

    @Test
    void aConfiguredScheduleIsShownButNotChangedHere() throws Exception {
        String configured = "cfg-" + run;
        ScheduleDefinition definition = new ScheduleDefinition(configured, null, null, "PT1H", null, false,
                MissedPolicy.SKIP, new ScheduleDefinition.Task("report", mapper.readTree("{}"), "default", 0),
                ScheduleDefinition.SOURCE_CONFIG, Instant.now());
        redis.hash(String.class).hset(RedisKeys.configSchedules("api-test"), configured, mapper.writeValueAsString(definition));

        given().get("/api/schedules/" + configured).then().statusCode(200).body("source", equalTo("config"))
                .body("enabled", equalTo(false));
        given().get("/api/schedules").then().statusCode(200).body("name", hasItem(configured));
        given().post("/api/schedules/" + configured + "/resume").then().statusCode(409)
                .body("detail", containsString("configuration"));
        given().delete("/api/schedules/" + configured).then().statusCode(409);
        given().contentType(ContentType.JSON).body(body("\"every\":\"PT1S\"").replace(name, configured))
                .post("/api/schedules").then().statusCode(409);
        assertNull(redis.hash(String.class).hget(RedisKeys.SCHEDULES, configured));
    }
}
