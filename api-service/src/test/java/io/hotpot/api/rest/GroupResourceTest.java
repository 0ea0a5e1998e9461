package io.hotpot.api.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

import io.hotpot.api.fixtures.StandInWorker;
import io.hotpot.common.Amqp;
import io.hotpot.common.ArgSpec;
import io.hotpot.common.ArgType;
import io.hotpot.common.GroupFields;
import io.hotpot.common.RedisKeys;
import io.hotpot.common.TaskTypeInfo;
import io.hotpot.common.Telemetry;
import io.hotpot.common.WorkerHeartbeat;
import io.hotpot.common.Workload;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * {@code /api/groups} against the real RabbitMQ and Redis, a worker stood in for by its heartbeat
 * on a queue of this test's own: what a group publishes and records, and what it refuses.
 */
@QuarkusTest
class GroupResourceTest {
    @Inject
    RedisDataSource redis;
    @Inject
    ObjectMapper mapper;

    private final String queue = "api-group-" + UUID.randomUUID().toString().substring(0, 8);
    private StandInWorker worker;
    private Connection amqp;
    private Channel channel;

    @BeforeEach
    void standInForAWorker() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        amqp = factory.newConnection("api-service group test");
        channel = amqp.createChannel();
        channel.exchangeDeclare(Amqp.TASKS_EXCHANGE, com.rabbitmq.client.BuiltinExchangeType.DIRECT, true, false,
                Amqp.exchangeArguments());
        channel.queueDeclare(Amqp.queueName(queue), true, false, true, Amqp.queueArguments());
        channel.queueBind(Amqp.queueName(queue), Amqp.TASKS_EXCHANGE, queue);
        channel.exchangeDeclare(Amqp.DEAD_EXCHANGE, com.rabbitmq.client.BuiltinExchangeType.DIRECT, true);
        channel.queueDeclare(Amqp.deadQueueName(queue), true, false, true, null);
        channel.queueBind(Amqp.deadQueueName(queue), Amqp.DEAD_EXCHANGE, queue);
        worker = StandInWorker.advertise(redis, mapper, new WorkerHeartbeat("fake-worker-" + queue, List.of(queue), List.of(
                new TaskTypeInfo("add", Workload.CPU, List.of(new ArgSpec("x", ArgType.INTEGER, true),
                        new ArgSpec("y", ArgType.INTEGER, true))),
                new TaskTypeInfo("sum", Workload.CPU, List.of(new ArgSpec("results", ArgType.ARRAY, true)))),
                10, 2, 0, Instant.now(), Instant.now()));
    }

    @AfterEach
    void cleanUp() throws Exception {
        worker.stopAndForget();
        channel.queueDelete(Amqp.queueName(queue));
        channel.queueDelete(Amqp.deadQueueName(queue));
        amqp.close();
    }

    private String adds(int count) {
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tasks.add("{\"type\":\"add\",\"args\":{\"x\":" + i + ",\"y\":1},\"queue\":\"" + queue + "\"}");
        }
        return "{\"tasks\":[" + String.join(",", tasks) + "]}";
    }

    private long queued() throws Exception {
        return channel.messageCount(Amqp.queueName(queue));
    }

    @Test
    void aGroupIsPublishedConfirmedAndRecordedWithEveryMemberInOrder() throws Exception {
        List<JsonNode> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        var subscriber = redis.pubsub(String.class).subscribe(RedisKeys.TASK_EVENTS_CHANNEL, json -> {
            if (json.contains("\"kind\":\"group\"")) {
                try {
                    events.add(mapper.readTree(json));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        JsonNode group = mapper.readTree(given().contentType(ContentType.JSON).body(adds(3)).post("/api/groups")
                .then().statusCode(202)
                .header("Location", containsString("/api/groups/"))
                .body("total", equalTo(3))
                .body("counts.PENDING", equalTo(3))
                .body("done", equalTo(false))
                .extract().asString());
        String id = group.get("id").asText();
        assertEquals(3, queued(), "every member was confirmed by RabbitMQ before the 202");
        assertEquals(GroupFields.COMMITTED, redis.hash(String.class).hget(RedisKeys.group(id), GroupFields.STATE));

        List<String> published = new ArrayList<>();
        for (GetResponse message; (message = channel.basicGet(Amqp.queueName(queue), true)) != null;) {
            JsonNode body = mapper.readTree(message.getBody());
            assertEquals(id, body.get("group").asText(), "each message names its group, which its worker waits for");
            published.add(body.get("id").asText());
        }
        List<String> members = new ArrayList<>();
        group.get("tasks").forEach(task -> members.add(task.get("id").asText()));
        assertEquals(members.stream().sorted().toList(), published.stream().sorted().toList());

        given().get("/api/groups/" + id).then().statusCode(200)
                .body("tasks.id", equalTo(members))
                .body("progress", equalTo(0));
        given().get("/api/tasks/" + members.get(1)).then().statusCode(200)
                .body("group", equalTo(id))
                .body("args.x", equalTo(1))
                .body("status", equalTo("PENDING"));
        given().get("/api/tasks?limit=50&type=add").then().statusCode(200).body("id", hasItem(members.get(2)));

        // A revoke reaches every member not final; none was run here.
        given().delete("/api/groups/" + id).then().statusCode(200)
                .body("counts.REVOKED", equalTo(3))
                .body("done", equalTo(true))
                .body("progress", equalTo(100))
                .body("tasks[0].error.message", containsString("revoked with its group " + id));

        // The list shows it from the group's counters; its events told each step.
        given().get("/api/groups?limit=100").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.total", equalTo(3))
                .body("find { it.id == '" + id + "' }.finished", equalTo(3))
                .body("find { it.id == '" + id + "' }.counts.REVOKED", equalTo(3))
                .body("find { it.id == '" + id + "' }.progress", equalTo(100))
                .body("find { it.id == '" + id + "' }.done", equalTo(true));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> events.stream()
                .filter(e -> id.equals(e.path("group").asText())).count() == 4);
        subscriber.unsubscribe();
        List<JsonNode> mine = events.stream().filter(e -> id.equals(e.path("group").asText())).toList();
        assertEquals("created", mine.get(0).get("event").asText());
        assertEquals(3, mine.get(0).get("total").asInt());
        assertEquals(List.of(1, 2, 3), mine.subList(1, 4).stream().map(e -> e.get("finished").asInt()).toList());
        assertEquals(3, mine.get(3).get("counts").get("REVOKED").asInt());
        assertEquals(members.stream().sorted().toList(), mine.subList(1, 4).stream().map(e -> e.get("task").asText()).sorted().toList());
    }

    @Test
    void aGroupIsCheckedAndPublishedOnAWorkerThreadInItsRequestsContext() throws Exception {
        // Each line "HOTPOT-API-073 …" as logged: its text, the thread and the MDC's correlation id there.
        List<List<String>> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (String.valueOf(record.getMessage()).startsWith("HOTPOT-API-073")) {
                    accepted.add(List.of(record.getMessage() + " " + java.util.Arrays.toString(record.getParameters()),
                            Thread.currentThread().getName(),
                            String.valueOf(org.jboss.logging.MDC.get(Telemetry.CORRELATION_MDC_KEY))));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(capture);
        String correlation = "group-thread-" + queue;
        String id;
        try {
            id = given().contentType(ContentType.JSON).header(Telemetry.CORRELATION_HEADER, correlation).body(adds(2000))
                    .post("/api/groups").then().statusCode(202).extract().path("id");
        } finally {
            root.removeHandler(capture);
        }
        assertEquals(2000, queued());
        // The group's last step, after its members were checked, published and recorded: logged where the work ran.
        List<String> line = accepted.stream().filter(l -> l.get(0).contains(id)).findFirst().orElseThrow(
                () -> new AssertionError("no HOTPOT-API-073 for " + id + " in " + accepted));
        assertFalse(line.get(1).startsWith("vert.x-eventloop"), "not on an event loop: " + line.get(1));
        assertEquals(correlation, line.get(2), "the request's correlation id is kept on the worker thread");
    }

    @Test
    void aWaitOnALargeGroupEndsWhenItsLastTaskIsFinal() throws Exception {
        // Members made final one after the other while a request waits: one waiter for the group,
        // released by the group event that counts the last. (The wait used to step from member to
        // member, a flatMap each, and overflowed the event loop's stack on a group of 10,000 under
        // bench/groups.sh; it takes more than this test's 500 to show that.)
        JsonNode group = mapper.readTree(given().contentType(ContentType.JSON).body(adds(500)).post("/api/groups")
                .then().statusCode(202).extract().asString());
        String id = group.get("id").asText();
        List<String> members = new ArrayList<>();
        group.get("tasks").forEach(task -> members.add(task.get("id").asText()));
        java.util.concurrent.CompletableFuture<io.restassured.response.Response> waited = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> given().get("/api/groups/" + id + "?wait=PT60S"));
        for (String member : members.subList(0, members.size() - 1)) {
            given().delete("/api/tasks/" + member).then().statusCode(200);
        }
        given().get("/api/groups/" + id + "?wait=PT0.5S").then().statusCode(200)
                .body("done", equalTo(false)).body("finished", equalTo(499));
        assertFalse(waited.isDone(), "not answered while a task is open");
        given().delete("/api/tasks/" + members.get(members.size() - 1)).then().statusCode(200);
        io.restassured.response.Response answer = waited.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(200, answer.statusCode(), answer.asString());
        assertEquals(true, answer.jsonPath().getBoolean("done"));
        assertEquals(500, answer.jsonPath().getInt("counts.REVOKED"));
    }

    @Test
    void theGroupListIsNewestFirstAndItsLimitIsChecked() {
        String older = given().contentType(ContentType.JSON).body(adds(1)).post("/api/groups").then().statusCode(202)
                .extract().path("id");
        String newer = given().contentType(ContentType.JSON).body(adds(2)).post("/api/groups").then().statusCode(202)
                .extract().path("id");
        List<String> listed = given().get("/api/groups?limit=100").then().statusCode(200).extract().jsonPath().getList("id");
        assertTrue(listed.indexOf(newer) >= 0 && listed.indexOf(newer) < listed.indexOf(older), listed.toString());
        given().get("/api/groups?limit=1").then().statusCode(200).body("size()", equalTo(1))
                .body("[0].id", equalTo(newer)).body("[0].finished", equalTo(0)).body("[0].done", equalTo(false));
        for (String limit : List.of("0", "101")) {
            given().get("/api/groups?limit=" + limit).then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", equalTo("limit"));
        }
    }

    @Test
    void deadLettersOfMembersShowTheirGroupAndAreListedAndRequeuedByGroup() throws Exception {
        String group = given().contentType(ContentType.JSON).body(adds(2)).post("/api/groups")
                .then().statusCode(202).extract().path("id");
        String alone = given().contentType(ContentType.JSON)
                .body("{\"type\":\"add\",\"args\":{\"x\":1,\"y\":1},\"queue\":\"" + queue + "\"}")
                .post("/api/tasks").then().statusCode(202).extract().path("id");
        // What a worker does with a task it gives up: FAILURE in the record, then reject without requeue.
        List<String> members = new ArrayList<>();
        for (GetResponse message; (message = channel.basicGet(Amqp.queueName(queue), false)) != null;) {
            String id = message.getProps().getMessageId();
            if (!id.equals(alone)) {
                members.add(id);
            }
            redis.hash(String.class).hset(RedisKeys.task(id), java.util.Map.of("status", "FAILURE",
                    "error", "{\"type\":\"java.io.IOException\",\"message\":\"down\"}"));
            channel.basicReject(message.getEnvelope().getDeliveryTag(), false);
        }
        assertEquals(2, members.size());

        given().queryParam("queue", queue).get("/api/dead-letters").then().statusCode(200)
                .body("size()", equalTo(3))
                .body("find { it.id == '" + members.get(0) + "' }.group", equalTo(group))
                .body("find { it.id == '" + alone + "' }.group", equalTo(null));
        given().queryParam("queue", queue).queryParam("group", group).get("/api/dead-letters").then().statusCode(200)
                .body("id", containsInAnyOrder(members.toArray()))
                .body("group", everyItem(equalTo(group)));
        given().queryParam("group", "not-a-group").get("/api/dead-letters").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("group"));
        given().queryParam("group", "not-a-group").post("/api/dead-letters/requeue").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("group"));

        given().queryParam("queue", queue).queryParam("group", group).post("/api/dead-letters/requeue").then()
                .statusCode(200).body("count", equalTo(2));
        assertEquals(1, channel.messageCount(Amqp.deadQueueName(queue)), "the task of no group stays a dead letter");
        for (GetResponse message; (message = channel.basicGet(Amqp.queueName(queue), true)) != null;) {
            JsonNode body = mapper.readTree(message.getBody());
            assertEquals(group, body.get("group").asText(), "re-queued in its group: " + body);
            assertEquals(0, body.get("retries").asInt());
        }
        given().get("/api/tasks/" + members.get(1)).then().body("status", equalTo("PENDING"));
    }

    @Test
    void aGroupWithAMemberThatDoesNotFitIsRefusedNamingItAndNothingIsPublished() throws Exception {
        String body = "{\"tasks\":[{\"type\":\"add\",\"args\":{\"x\":1,\"y\":2},\"queue\":\"" + queue + "\"},"
                + "{\"type\":\"add\",\"args\":{\"x\":\"one\",\"y\":2},\"queue\":\"" + queue + "\"}]}";
        given().contentType(ContentType.JSON).body(body).post("/api/groups").then().statusCode(422)
                .contentType("application/problem+json")
                .body("detail", containsString("tasks[1]"))
                .body("errors[0].field", equalTo("tasks[1].args.x"));
        String unknown = "{\"tasks\":[{\"type\":\"add\",\"args\":{\"x\":1,\"y\":2},\"queue\":\"" + queue + "\"},"
                + "{\"type\":\"no-such-type\",\"queue\":\"" + queue + "\"}]}";
        given().contentType(ContentType.JSON).body(unknown).post("/api/groups").then().statusCode(422)
                .body("errors[0].field", equalTo("tasks[1].type"));
        String keyed = "{\"tasks\":[{\"type\":\"add\",\"args\":{\"x\":1,\"y\":2},\"queue\":\"" + queue
                + "\",\"idempotencyKey\":\"k\"}]}";
        given().contentType(ContentType.JSON).body(keyed).post("/api/groups").then().statusCode(400)
                .body("errors[0].field", equalTo("tasks[0].idempotencyKey"));
        String badCountdown = "{\"tasks\":[{\"type\":\"add\",\"args\":{\"x\":1,\"y\":2},\"queue\":\"" + queue
                + "\",\"countdown\":-1}]}";
        given().contentType(ContentType.JSON).body(badCountdown).post("/api/groups").then().statusCode(400)
                .body("errors[0].field", equalTo("tasks[0].countdown"));
        assertEquals(0, queued(), "a refused group publishes nothing");
    }

    @Test
    void anEmptyGroupAMissingListAndTooManyTasksAreRefused() throws Exception {
        given().contentType(ContentType.JSON).body("{\"tasks\":[]}").post("/api/groups").then().statusCode(400)
                .body("errors[0].field", equalTo("tasks"));
        given().contentType(ContentType.JSON).body("{}").post("/api/groups").then().statusCode(400)
                .body("errors[0].field", equalTo("tasks"));
        given().contentType(ContentType.JSON).body("{\"tasks\":[1]}").post("/api/groups").then().statusCode(400)
                .body("errors[0].field", equalTo("tasks[0]"));
        given().contentType(ContentType.JSON).body(adds(10_001)).post("/api/groups").then().statusCode(400)
                .body("detail", containsString("hotpot.tasks.max-group-tasks"));
        assertEquals(0, queued());
    }

    @Test
    void anUnknownGroupIs404() {
        given().get("/api/groups/" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
        given().delete("/api/groups/" + UUID.randomUUID()).then().statusCode(404);
        given().get("/api/groups/x?wait=soon").then().statusCode(400);
    }

    @Test
    void aGroupOfMembersWithACountdownWaitsInTheDueSetAllRecorded() throws Exception {
        String body = "{\"tasks\":[{\"type\":\"add\",\"args\":{\"x\":1,\"y\":2},\"queue\":\"" + queue + "\",\"countdown\":3600},"
                + "{\"type\":\"add\",\"args\":{\"x\":3,\"y\":4},\"queue\":\"" + queue + "\"}]}";
        JsonNode group = mapper.readTree(given().contentType(ContentType.JSON).body(body).post("/api/groups")
                .then().statusCode(202).body("counts.SCHEDULED", equalTo(1)).body("counts.PENDING", equalTo(1))
                .extract().asString());
        String delayed = group.get("tasks").get(0).get("id").asText();
        assertEquals(1, queued(), "only the member due now was published");
        assertTrue(redis.sortedSet(String.class).zscore(RedisKeys.DUE, delayed).isPresent(), "the delayed one is in the due set");
        JsonNode message = mapper.readTree(redis.hash(String.class).hget(RedisKeys.DUE_MESSAGES, delayed));
        assertEquals(group.get("id").asText(), message.get("group").asText());
        given().delete("/api/groups/" + group.get("id").asText()).then().statusCode(200).body("counts.REVOKED", equalTo(2));
        assertTrue(redis.sortedSet(String.class).zscore(RedisKeys.DUE, delayed).isEmpty(), "a revoke takes it out of the due set");
    }

    private String chord(String then, String chordError) {
        return "{\"tasks\":[{\"type\":\"add\",\"args\":{\"x\":1,\"y\":2},\"queue\":\"" + queue + "\"}],\"then\":" + then
                + (chordError == null ? "" : ",\"chordError\":" + chordError) + "}";
    }

    @Test
    void aChordsCallbackWaitsRecordedForItsGroupWithItsResultsToCome() throws Exception {
        JsonNode group = mapper.readTree(given().contentType(ContentType.JSON)
                .body(chord("{\"type\":\"sum\",\"queue\":\"" + queue + "\"}", "\"continue\""))
                .post("/api/groups").then().statusCode(202)
                .body("then.status", equalTo("SCHEDULED"))
                .body("then.type", equalTo("sum"))
                .body("chordError", equalTo("continue"))
                .extract().asString());
        String id = group.get("id").asText();
        String callback = group.get("then").get("id").asText();
        assertEquals(1, queued(), "the callback is not published before the group is done");
        given().get("/api/tasks/" + callback).then().statusCode(200).body("status", equalTo("SCHEDULED"));
        JsonNode stored = mapper.readTree(redis.hash(String.class).hget(RedisKeys.group(id), GroupFields.CALLBACK));
        assertEquals(GroupFields.resultsPlaceholder(callback), stored.get("args").get("results").asText());
        // Revoking the group revokes its callback first: it never runs.
        given().delete("/api/groups/" + id).then().statusCode(200)
                .body("then.status", equalTo("REVOKED"))
                .body("done", equalTo(true));
    }

    @Test
    void aCallbackThatCannotBeOneIsRefusedNamingItsField() throws Exception {
        given().contentType(ContentType.JSON).body(chord("{\"type\":\"no-such-type\",\"queue\":\"" + queue + "\"}", null))
                .post("/api/groups").then().statusCode(422).body("errors[0].field", equalTo("then.type"));
        given().contentType(ContentType.JSON)
                .body(chord("{\"type\":\"sum\",\"queue\":\"" + queue + "\",\"args\":{\"results\":[1]}}", null))
                .post("/api/groups").then().statusCode(400).body("errors[0].field", equalTo("then.args.results"));
        given().contentType(ContentType.JSON)
                .body(chord("{\"type\":\"sum\",\"queue\":\"" + queue + "\",\"countdown\":5}", null))
                .post("/api/groups").then().statusCode(400).body("errors[0].field", equalTo("then.countdown"));
        given().contentType(ContentType.JSON).body(chord("{\"type\":\"sum\",\"queue\":\"" + queue + "\"}", "\"maybe\""))
                .post("/api/groups").then().statusCode(400).body("errors[0].field", equalTo("chordError"));
        given().contentType(ContentType.JSON).body(chord("{\"type\":\"add\",\"queue\":\"" + queue + "\"}", null))
                .post("/api/groups").then().statusCode(422).body("errors.field", hasItem("then.args.x"));
        given().contentType(ContentType.JSON).body("{\"tasks\":[{\"type\":\"add\",\"args\":{\"x\":1,\"y\":2},\"queue\":\""
                + queue + "\"}],\"chordError\":\"fail\"}")
                .post("/api/groups").then().statusCode(400).body("errors[0].field", equalTo("chordError"));
        assertEquals(0, queued(), "nothing published for a refused group");
    }
}
