package io.hotpot.api.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
import io.hotpot.common.RedisKeys;
import io.hotpot.common.ResultShape;
import io.hotpot.common.TaskMessage;
import io.hotpot.common.TaskTypeInfo;
import io.hotpot.common.WorkerHeartbeat;
import io.hotpot.common.Workload;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The submission path against the real RabbitMQ and Redis. A worker is stood in for by its
 * heartbeat (the contract api-service reads) on a queue of this test's own, which the test
 * reads with a plain AMQP client to see exactly what was published.
 */
@QuarkusTest
class TaskResourceTest {
    @Inject
    RedisDataSource redis;
    @Inject
    ObjectMapper mapper;

    private final String queue = "api-test-" + UUID.randomUUID().toString().substring(0, 8);
    private final String workerId = "fake-worker-" + queue;
    private StandInWorker worker;
    private Connection amqp;
    private Channel channel;

    @BeforeEach
    void standInForAWorker() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        amqp = factory.newConnection("api-service test");
        channel = amqp.createChannel();
        // As api-service declares it at start-up (in the background): the test binds to it at once.
        channel.exchangeDeclare(Amqp.TASKS_EXCHANGE, com.rabbitmq.client.BuiltinExchangeType.DIRECT, true, false,
                Amqp.exchangeArguments());
        channel.queueDeclare(Amqp.queueName(queue), true, false, true, Amqp.queueArguments());
        channel.queueBind(Amqp.queueName(queue), Amqp.TASKS_EXCHANGE, queue);
        channel.exchangeDeclare(Amqp.DEAD_EXCHANGE, com.rabbitmq.client.BuiltinExchangeType.DIRECT, true);
        channel.queueDeclare(Amqp.deadQueueName(queue), true, false, true, null);
        channel.queueBind(Amqp.deadQueueName(queue), Amqp.DEAD_EXCHANGE, queue);
        WorkerHeartbeat heartbeat = new WorkerHeartbeat(workerId, List.of(queue), List.of(
                new TaskTypeInfo("add", Workload.CPU, List.of(new ArgSpec("x", ArgType.INTEGER, true),
                        new ArgSpec("y", ArgType.INTEGER, true)), List.of(), new ResultShape(ArgType.INTEGER, null, null)),
                new TaskTypeInfo("email", Workload.IO, List.of(new ArgSpec("to", ArgType.STRING, true),
                        new ArgSpec("body", ArgType.STRING, true)), List.of("body")),
                new TaskTypeInfo("sleep", Workload.IO, List.of(new ArgSpec("seconds", ArgType.NUMBER, true)))),
                10, 2, 0, Instant.now(), Instant.now());
        worker = StandInWorker.advertise(redis, mapper, heartbeat);
    }

    @AfterEach
    void cleanUp() throws Exception {
        worker.stopAndForget();
        channel.queueDelete(Amqp.queueName(queue));
        channel.queueDelete(Amqp.deadQueueName(queue));
        amqp.close();
    }

    private long queued() throws Exception {
        return channel.messageCount(Amqp.queueName(queue));
    }

    @Test
    void acceptedTaskIsConfirmedPersistentAndRecorded() throws Exception {
        String id = given().contentType(ContentType.JSON)
                .body("{\"type\":\"add\",\"args\":{\"x\":2,\"y\":3},\"queue\":\"" + queue + "\",\"priority\":7}")
                .post("/api/tasks")
                .then().statusCode(202)
                .header("Location", containsString("/api/tasks/"))
                .body("status", equalTo("PENDING"))
                .body("type", equalTo("add"))
                .body("createdAt", notNullValue())
                .extract().path("id");

        given().get("/api/queues").then().statusCode(200)
                .body("find { it.name == '" + queue + "' }.depth", equalTo(1))
                .body("find { it.name == '" + queue + "' }.amqpQueue", equalTo(Amqp.queueName(queue)));
        given().get("/api/tasks?limit=20&type=add").then().statusCode(200).body("id", hasItem(id));
        given().get("/api/tasks?limit=20&status=SUCCESS").then().statusCode(200).body("id", not(hasItem(id)));
        given().get("/api/tasks/stats").then().statusCode(200).body("PENDING", greaterThanOrEqualTo(1))
                .body("FAILURE", greaterThanOrEqualTo(0));

        GetResponse message = channel.basicGet(Amqp.queueName(queue), true);
        assertNotNull(message, "the 202 came after RabbitMQ confirmed, so the message is in the queue");
        assertEquals(2, message.getProps().getDeliveryMode(), "persistent");
        assertEquals(7, message.getProps().getPriority());
        JsonNode body = mapper.readTree(message.getBody());
        assertEquals(id, body.get("id").asText());
        assertEquals(5, body.get("args").get("x").asInt() + body.get("args").get("y").asInt());

        given().get("/api/tasks/" + id).then().statusCode(200)
                .body("id", equalTo(id))
                .body("status", equalTo("PENDING"))
                .body("args.x", equalTo(2))
                .body("attempts", equalTo(0))
                .body("queue", equalTo(queue))
                .body("createdAt", notNullValue());
    }

    @Test
    void malformedJsonIsRefusedAndNothingIsPublished() throws Exception {
        given().contentType(ContentType.JSON).body("{\"type\":\"add\",").post("/api/tasks")
                .then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400)).body("detail", containsString("not valid JSON"));
        assertEquals(0, queued());
    }

    @Test
    void missingOrEmptyTypeIsRefused() throws Exception {
        for (String body : List.of("{\"args\":{}}", "{\"type\":\"\"}", "{\"type\":\"   \"}", "{\"type\":null}", "{}")) {
            given().contentType(ContentType.JSON).body(body).post("/api/tasks")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errors.field", hasItem("type"));
        }
        given().contentType(ContentType.JSON).body("{\"type\":42}").post("/api/tasks")
                .then().statusCode(400).body("errors[0].message", equalTo("must be a string"));
        assertEquals(0, queued());
    }

    @Test
    void unknownTypeNamesTheKnownOnes() throws Exception {
        given().contentType(ContentType.JSON).body("{\"type\":\"no-such-type\",\"queue\":\"" + queue + "\"}")
                .post("/api/tasks")
                .then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("no-such-type"))
                .body("detail", containsString("add"))
                .body("detail", containsString("sleep"));
        assertEquals(0, queued());
    }

    @Test
    void argumentsThatDoNotFitTheHandlerAreRefused() throws Exception {
        given().contentType(ContentType.JSON)
                .body("{\"type\":\"add\",\"args\":{\"x\":\"a\",\"z\":1},\"queue\":\"" + queue + "\"}")
                .post("/api/tasks")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItem("args.x"))
                .body("errors.field", hasItem("args.y"))
                .body("errors.field", hasItem("args.z"));
        given().contentType(ContentType.JSON).body("{\"type\":\"add\",\"args\":[1,2],\"queue\":\"" + queue + "\"}")
                .post("/api/tasks").then().statusCode(400).body("errors[0].field", equalTo("args"));
        assertEquals(0, queued());
    }

    @Test
    void badQueueAndPriorityAreRefused() throws Exception {
        given().contentType(ContentType.JSON).body("{\"type\":\"add\",\"args\":{\"x\":1,\"y\":1},\"queue\":\"nobody-consumes\"}")
                .post("/api/tasks").then().statusCode(422).body("errors[0].field", equalTo("queue"));
        given().contentType(ContentType.JSON).body("{\"type\":\"add\",\"args\":{\"x\":1,\"y\":1},\"queue\":\"Bad Name!\"}")
                .post("/api/tasks").then().statusCode(400).body("errors[0].field", equalTo("queue"));
        given().contentType(ContentType.JSON)
                .body("{\"type\":\"add\",\"args\":{\"x\":1,\"y\":1},\"queue\":\"" + queue + "\",\"priority\":10}")
                .post("/api/tasks").then().statusCode(400).body("errors[0].field", equalTo("priority"));
        assertEquals(0, queued());
    }

    @Test
    void bodyOverOneMebibyteIs413() throws Exception {
        String padding = "a".repeat(1024 * 1024);
        given().contentType(ContentType.JSON)
                .body(("{\"type\":\"add\",\"args\":{\"x\":1,\"y\":2},\"queue\":\"" + queue + "\",\"pad\":\"" + padding + "\"}")
                        .getBytes(StandardCharsets.UTF_8))
                .post("/api/tasks")
                .then().statusCode(413).contentType("application/problem+json").body("status", equalTo(413));
        assertEquals(0, queued());
    }

    @Test
    void listingRefusesBadFilters() {
        given().get("/api/tasks?limit=0").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        given().get("/api/tasks?status=DONE").then().statusCode(400).body("errors[0].field", equalTo("status"));
    }

    @Test
    void aRunningTasksProgressIsShown() {
        // The record as a worker writes it while its handler reports progress (ProgressStore).
        String id = UUID.randomUUID().toString();
        redis.hash(String.class).hset(RedisKeys.task(id), Map.of("id", id, "type", "sleep", "status", "STARTED",
                "args", "{\"seconds\":60}", "attempts", "1", "queue", queue, "priority", "0",
                "createdAt", Instant.now().toString(), "progress", "{\"percent\":40,\"message\":\"400 of 1000 rows\"}"));
        try {
            given().get("/api/tasks/" + id).then().statusCode(200)
                    .body("status", equalTo("STARTED"))
                    .body("progress.percent", equalTo(40))
                    .body("progress.message", equalTo("400 of 1000 rows"));
        } finally {
            redis.key().del(RedisKeys.task(id));
        }
    }

    @Test
    void sensitiveArgumentsAreMaskedInTheRecordButTravelToTheWorker() throws Exception {
        String id = given().contentType(ContentType.JSON)
                .body("{\"type\":\"email\",\"args\":{\"to\":\"boss@example.com\",\"body\":\"the code is 4711\"},\"queue\":\""
                        + queue + "\"}")
                .post("/api/tasks").then().statusCode(202)
                .body("args.body", equalTo("***")).body("args.to", equalTo("boss@example.com"))
                .extract().path("id");
        given().get("/api/tasks/" + id).then().statusCode(200).body("args.body", equalTo("***"));
        assertTrue(!redis.hash(String.class).hget(RedisKeys.task(id), "args").contains("4711"), "Redis holds no secret");
        GetResponse message = channel.basicGet(Amqp.queueName(queue), true);
        assertEquals("the code is 4711", mapper.readTree(message.getBody()).get("args").get("body").asText());
    }

    @Test
    void unknownIdIs404Problem() {
        given().get("/api/tasks/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json").body("detail", startsWith("No task with id"));
    }

    @Test
    void workersAreListedFromTheirHeartbeats() {
        List<Map<String, Object>> workers = given().get("/api/workers").then().statusCode(200).extract().jsonPath().getList("$");
        assertEquals(1, workers.stream().filter(w -> workerId.equals(w.get("id"))).count());
    }

    private String submit(String extraJson, int status) {
        return given().contentType(ContentType.JSON)
                .body("{\"type\":\"add\",\"args\":{\"x\":1,\"y\":2},\"queue\":\"" + queue + "\"" + extraJson + "}")
                .post("/api/tasks").then().statusCode(status).extract().path("id");
    }

    private void forgetDue(String id) {
        redis.sortedSet(String.class).zrem(RedisKeys.DUE, id);
        redis.hash(String.class).hdel(RedisKeys.DUE_MESSAGES, id);
    }

    @Test
    void aCountdownSchedulesTheTaskInTheDueSetAndPublishesNothing() throws Exception {
        long before = System.currentTimeMillis();
        String id = given().contentType(ContentType.JSON)
                .body("{\"type\":\"add\",\"args\":{\"x\":1,\"y\":2},\"queue\":\"" + queue + "\",\"countdown\":60,"
                        + "\"maxRetries\":2,\"timeout\":1.5,\"expires\":3600}")
                .post("/api/tasks").then().statusCode(202).body("status", equalTo("SCHEDULED"))
                .body("eta", notNullValue()).extract().path("id");
        try {
            assertEquals(0, queued(), "nothing goes to RabbitMQ before it is due");
            double score = redis.sortedSet(String.class).zscore(RedisKeys.DUE, id).orElseThrow();
            assertTrue(score >= before + 60_000 && score <= System.currentTimeMillis() + 60_000, "due in 60 s: " + score);
            TaskMessage message = mapper.readValue(redis.hash(String.class).hget(RedisKeys.DUE_MESSAGES, id), TaskMessage.class);
            assertEquals(id, message.id());
            assertEquals(queue, message.queue());
            assertEquals(2, message.maxRetries());
            assertEquals(1.5, message.timeout());
            assertEquals((long) score, message.eta().toEpochMilli());
            assertTrue(message.expires().isAfter(message.eta()));
            given().get("/api/tasks/" + id).then().statusCode(200).body("status", equalTo("SCHEDULED"))
                    .body("maxRetries", equalTo(2)).body("eta", notNullValue()).body("expires", notNullValue());
            assertTrue(redis.key().ttl(RedisKeys.task(id)) > 24 * 3600, "the record outlives the wait");
        } finally {
            forgetDue(id);
        }
    }

    @Test
    void anEtaInThePastRunsAtOnceAndOneInTheFutureWaits() throws Exception {
        String now = submit(",\"eta\":\"2020-01-01T00:00:00Z\"", 202);
        assertEquals(1, queued());
        assertTrue(redis.sortedSet(String.class).zscore(RedisKeys.DUE, now).isEmpty());
        String later = submit(",\"eta\":\"" + Instant.now().plusSeconds(3600).atOffset(java.time.ZoneOffset.ofHours(2)) + "\"", 202);
        try {
            assertTrue(redis.sortedSet(String.class).zscore(RedisKeys.DUE, later).isPresent());
            assertEquals(1, queued());
        } finally {
            forgetDue(later);
        }
    }

    @Test
    void badOptionsAreRefusedAndChangeNothing() throws Exception {
        record Case(String json, String field) {
        }
        for (Case c : List.of(
                new Case(",\"countdown\":5,\"eta\":\"2030-01-01T00:00:00Z\"", "countdown"),
                new Case(",\"countdown\":-1", "countdown"),
                new Case(",\"countdown\":\"soon\"", "countdown"),
                new Case(",\"eta\":\"tomorrow\"", "eta"),
                new Case(",\"eta\":\"2030-01-01T00:00:00\"", "eta"),
                new Case(",\"expires\":\"2020-01-01T00:00:00Z\"", "expires"),
                new Case(",\"countdown\":60,\"expires\":30", "expires"),
                new Case(",\"maxRetries\":101", "maxRetries"),
                new Case(",\"maxRetries\":1.5", "maxRetries"),
                new Case(",\"timeout\":0", "timeout"),
                new Case(",\"idempotencyKey\":\" \"", "idempotencyKey"))) {
            given().contentType(ContentType.JSON)
                    .body("{\"type\":\"add\",\"args\":{\"x\":1,\"y\":2},\"queue\":\"" + queue + "\"" + c.json() + "}")
                    .post("/api/tasks").then().statusCode(400).contentType("application/problem+json")
                    .body("errors.field", hasItem(c.field()));
        }
        assertEquals(0, queued());
    }

    @Test
    void anIdempotencyKeySeenBeforeReturnsTheFirstTaskAndQueuesNothing() throws Exception {
        String key = "order-" + UUID.randomUUID();
        try {
            String first = submit(",\"idempotencyKey\":\"" + key + "\"", 202);
            String again = given().contentType(ContentType.JSON)
                    .body("{\"type\":\"add\",\"args\":{\"x\":1,\"y\":2},\"queue\":\"" + queue + "\",\"idempotencyKey\":\""
                            + key + "\"}")
                    .post("/api/tasks").then().statusCode(200).header("Location", containsString(first))
                    .body("status", equalTo("PENDING")).extract().path("id");
            assertEquals(first, again);
            assertEquals(1, queued(), "the second submission published nothing");
            assertTrue(redis.key().ttl(RedisKeys.idempotency(key)) > 23 * 3600, "kept 24 h");
            String other = submit(",\"idempotencyKey\":\"" + key + "-other\"", 202);
            assertTrue(!other.equals(first));
            redis.key().del(RedisKeys.idempotency(key + "-other"));
        } finally {
            redis.key().del(RedisKeys.idempotency(key));
        }
    }

    @Test
    void revokingATaskNotStartedMakesItRevokedForGood() throws Exception {
        String id = submit("", 202);
        given().delete("/api/tasks/" + id).then().statusCode(200).body("status", equalTo("REVOKED"))
                .body("error.type", equalTo("Revoked")).body("finishedAt", notNullValue());
        given().delete("/api/tasks/" + id).then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("already REVOKED"));
        given().delete("/api/tasks/" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");

        String scheduled = submit(",\"countdown\":600", 202);
        try {
            given().delete("/api/tasks/" + scheduled).then().statusCode(200).body("status", equalTo("REVOKED"));
            assertTrue(redis.sortedSet(String.class).zscore(RedisKeys.DUE, scheduled).isEmpty(), "left the due set");
            assertEquals(null, redis.hash(String.class).hget(RedisKeys.DUE_MESSAGES, scheduled));
        } finally {
            forgetDue(scheduled);
        }
    }

    @Test
    void aTaskWhoseRecordExpiredIsA404ThatSaysSo() throws Exception {
        String id = submit("", 202);
        assertTrue(redis.key().ttl(RedisKeys.tombstone(id)) > redis.key().ttl(RedisKeys.task(id)),
                "the tombstone outlives the record");
        redis.key().del(RedisKeys.task(id)); // as its expiry would
        given().get("/api/tasks/" + id).then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("record expired")).body("detail", containsString("kept for 24h"));
        redis.key().del(RedisKeys.tombstone(id));
    }

    /** What a worker does with a task it gives up: FAILURE in the record, then reject without requeue. */
    private void failAndReject(String id) throws Exception {
        GetResponse message = channel.basicGet(Amqp.queueName(queue), false);
        assertNotNull(message);
        if (id != null) {
            assertEquals(id, message.getProps().getMessageId());
            redis.hash(String.class).hset(RedisKeys.task(id), Map.of("status", "FAILURE", "retries", "3",
                    "error", "{\"type\":\"java.io.IOException\",\"message\":\"smtp down\"}"));
        }
        channel.basicReject(message.getEnvelope().getDeliveryTag(), false);
    }

    @Test
    void deadLettersAreListedWithTheirErrorsAndRequeuedOneOrAll() throws Exception {
        String id = submit(",\"maxRetries\":3", 202);
        failAndReject(id);
        String junk = "junk-" + UUID.randomUUID();
        channel.confirmSelect();
        channel.basicPublish(Amqp.TASKS_EXCHANGE, queue, true,
                new com.rabbitmq.client.AMQP.BasicProperties.Builder().messageId(junk).deliveryMode(2).build(),
                "not json".getBytes(StandardCharsets.UTF_8));
        channel.waitForConfirmsOrDie(5000);
        failAndReject(null);

        given().queryParam("queue", queue).get("/api/dead-letters").then().statusCode(200)
                .body("size()", equalTo(2))
                .body("find { it.id == '" + id + "' }.error.message", equalTo("smtp down"))
                .body("find { it.id == '" + id + "' }.status", equalTo("FAILURE"))
                .body("find { it.id == '" + id + "' }.reason", equalTo("rejected"))
                .body("find { it.id == '" + id + "' }.deadAt", notNullValue())
                .body("find { it.id == '" + junk + "' }.error.type", equalTo("UndecodableMessage"))
                .body("find { it.id == '" + junk + "' }.body", equalTo("not json"));
        given().get("/api/dead-letters").then().statusCode(200).body("id", hasItem(id));
        assertEquals(2, channel.messageCount(Amqp.deadQueueName(queue)), "listing takes nothing away");
        given().queryParam("limit", 0).get("/api/dead-letters").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("limit"));
        given().queryParam("queue", "Bad Name!").post("/api/dead-letters/requeue").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("queue"));
        assertEquals(2, channel.messageCount(Amqp.deadQueueName(queue)), "bad input changes nothing");

        given().queryParam("queue", queue).post("/api/dead-letters/" + id + "/requeue").then().statusCode(200)
                .body("requeued", equalTo(List.of(id)));
        given().get("/api/tasks/" + id).then().body("status", equalTo("PENDING")).body("retries", equalTo(0));
        GetResponse again = channel.basicGet(Amqp.queueName(queue), true);
        assertNotNull(again, "back on its task queue");
        TaskMessage requeued = mapper.readValue(again.getBody(), TaskMessage.class);
        assertEquals(id, requeued.id());
        assertEquals(0, requeued.retries(), "its retries start afresh");
        assertEquals(3, requeued.maxRetries());
        given().queryParam("queue", queue).post("/api/dead-letters/" + id + "/requeue").then().statusCode(404)
                .contentType("application/problem+json");

        given().queryParam("queue", queue).post("/api/dead-letters/requeue").then().statusCode(200)
                .body("count", equalTo(1)).body("requeued", equalTo(List.of(junk)));
        assertEquals(0, channel.messageCount(Amqp.deadQueueName(queue)));
        assertEquals(1, queued());
    }

    @Test
    void aChainPublishesItsFirstTaskAndRecordsTheRestWaiting() throws Exception {
        String body = "{\"type\":\"add\",\"args\":{\"x\":1,\"y\":2},\"queue\":\"" + queue + "\",\"then\":["
                + "{\"type\":\"add\",\"args\":{\"x\":\"$result\",\"y\":10},\"queue\":\"" + queue + "\"},"
                + "{\"type\":\"add\",\"args\":{\"x\":100,\"y\":\"$result\"},\"queue\":\"" + queue + "\"}]}";
        JsonNode first = mapper.readTree(given().contentType(ContentType.JSON).body(body).post("/api/tasks")
                .then().statusCode(202).body("then.size()", equalTo(2)).extract().asString());
        String second = first.get("then").get(0).asText();
        String third = first.get("then").get(1).asText();
        assertEquals(1, queued(), "only the first task is published; the rest wait for it");
        given().get("/api/tasks/" + second).then().statusCode(200)
                .body("status", equalTo("SCHEDULED"))
                .body("args.x", equalTo("$result"))
                .body("then", equalTo(List.of(third)));
        given().get("/api/tasks/" + first.get("id").asText()).then().statusCode(200).body("then", equalTo(List.of(second, third)));
        JsonNode message = mapper.readTree(channel.basicGet(Amqp.queueName(queue), true).getBody());
        assertEquals(second, message.get("then").get(0).get("id").asText(), "the message carries its chain");
        // Revoking the first task revokes the waiting rest, with the reason.
        given().delete("/api/tasks/" + first.get("id").asText()).then().statusCode(200);
        given().get("/api/tasks/" + third).then().statusCode(200)
                .body("status", equalTo("REVOKED"))
                .body("error.type", equalTo("ChainBroken"));
    }

    @Test
    void aChainThatCannotBeOneIsRefusedNamingTheFieldAndNothingIsPublished() throws Exception {
        String task = "{\"type\":\"add\",\"args\":{\"x\":1,\"y\":2},\"queue\":\"" + queue + "\"";
        String step = "{\"type\":\"add\",\"args\":{\"x\":\"$result\",\"y\":1},\"queue\":\"" + queue + "\"";
        given().contentType(ContentType.JSON).body("{\"type\":\"add\",\"args\":{\"x\":\"$result\",\"y\":2},\"queue\":\""
                + queue + "\"}").post("/api/tasks").then().statusCode(400).body("errors[0].field", equalTo("args.x"));
        given().contentType(ContentType.JSON).body(task + ",\"then\":[" + step + ",\"countdown\":5}]}").post("/api/tasks")
                .then().statusCode(400).body("errors[0].field", equalTo("then[0].countdown"));
        given().contentType(ContentType.JSON).body(task + ",\"then\":" + step + ",\"then\":" + step + "}}}").post("/api/tasks")
                .then().statusCode(400).body("errors[0].field", equalTo("then.then"));
        given().contentType(ContentType.JSON).body(task + ",\"then\":[" + step + "},{\"type\":\"no-such-type\",\"queue\":\"" + queue
                + "\"}]}").post("/api/tasks").then().statusCode(422).body("errors[0].field", equalTo("then[1].type"));
        given().contentType(ContentType.JSON).body(task + ",\"then\":[" + step + ",\"args\":{\"x\":\"$result\",\"y\":\"two\"}}]}")
                .post("/api/tasks").then().statusCode(422).body("errors[0].field", equalTo("then[0].args.y"));
        // add's workers advertise an integer result: a part of it is refused before anything is queued.
        given().contentType(ContentType.JSON).body(task + ",\"then\":[" + step + "},{\"type\":\"add\",\"args\":{\"x\":1,"
                + "\"y\":\"$result/total\"},\"queue\":\"" + queue + "\"}]}").post("/api/tasks").then().statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("then[1].args.y"))
                .body("errors[0].message", containsString("the result is integer, which has no 'total'"));
        assertEquals(0, queued());
    }
}
