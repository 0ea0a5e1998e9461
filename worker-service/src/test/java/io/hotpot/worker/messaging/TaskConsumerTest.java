package io.hotpot.worker.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.hotpot.common.Amqp;
import io.hotpot.common.GroupEvent;
import io.hotpot.common.GroupFields;
import io.hotpot.common.RedisKeys;
import io.hotpot.common.TaskFields;
import io.hotpot.common.TaskMessage;
import io.hotpot.common.TaskStatus;
import io.hotpot.common.TaskTypeInfo;
import io.hotpot.common.WorkerHeartbeat;
import io.hotpot.worker.task.TaskRunner;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The worker against the real RabbitMQ and Redis: tasks are published as api-service publishes
 * them, on the test's own queue, and the records the worker writes are read back from Redis.
 */
@QuarkusTest
class TaskConsumerTest {
    private static final String QUEUE = System.getProperty("hotpot-test-queue", "worker-test");

    @Inject
    RedisDataSource redis;
    @Inject
    ObjectMapper mapper;

    @Inject
    TaskRunner runner;

    private final List<String> published = new ArrayList<>();
    private Connection amqp;
    private Channel channel;

    @BeforeEach
    void connect() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        amqp = factory.newConnection("worker-service test");
        channel = amqp.createChannel();
        channel.confirmSelect();
        await().atMost(Duration.ofSeconds(20)).until(() -> channel.consumerCount(Amqp.queueName(QUEUE)) > 0);
    }

    @AfterEach
    void close() throws Exception {
        for (String id : published) {
            redis.sortedSet(String.class).zrem(RedisKeys.DUE, id);
            redis.hash(String.class).hdel(RedisKeys.DUE_MESSAGES, id);
        }
        amqp.close();
    }

    @AfterAll
    static void deleteTheRunsQueue() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (Connection connection = factory.newConnection(); Channel ch = connection.createChannel()) {
            ch.queueDelete(Amqp.queueName(QUEUE));
            ch.queueDelete(Amqp.deadQueueName(QUEUE));
        }
    }

    private String publish(String type, String argsJson, boolean redelivered) throws Exception {
        String id = UUID.randomUUID().toString();
        JsonNode args = mapper.readTree(argsJson);
        byte[] body = mapper.writeValueAsBytes(new TaskMessage(id, type, args, QUEUE, 0, Instant.now(), "corr-" + id));
        channel.basicPublish(Amqp.TASKS_EXCHANGE, QUEUE, true,
                new AMQP.BasicProperties.Builder().deliveryMode(2).messageId(id).build(), body);
        channel.waitForConfirmsOrDie(5000);
        return id;
    }

    private String publish(TaskMessage message) throws Exception {
        published.add(message.id());
        channel.basicPublish(Amqp.TASKS_EXCHANGE, QUEUE, true,
                new AMQP.BasicProperties.Builder().deliveryMode(2).messageId(message.id()).build(),
                mapper.writeValueAsBytes(message));
        channel.waitForConfirmsOrDie(5000);
        return message.id();
    }

    private TaskMessage message(String type, String argsJson, Integer maxRetries, Double timeout, Instant expires)
            throws Exception {
        return new TaskMessage(UUID.randomUUID().toString(), type, mapper.readTree(argsJson), QUEUE, 0, Instant.now(),
                null, maxRetries, timeout, expires, null, 0, null);
    }

    /** The message ids and bodies in the queue's dead letters, read without taking them. */
    private Map<String, String> deadLetters() throws Exception {
        Map<String, String> found = new java.util.HashMap<>();
        try (Channel peek = amqp.createChannel()) {
            com.rabbitmq.client.GetResponse got;
            while ((got = peek.basicGet(Amqp.deadQueueName(QUEUE), false)) != null) {
                found.put(String.valueOf(got.getProps().getMessageId()), new String(got.getBody()));
            }
        } // closing the channel returns them to the queue
        return found;
    }

    /** What api-service's revoke does to a running task's record. */
    private void revokeAsTheApiDoes(String id) {
        redis.hash(String.class).hset(RedisKeys.task(id), Map.of("status", "REVOKED", "error",
                "{\"type\":\"Revoked\",\"message\":\"test\"}"));
    }

    private Map<String, String> record(String id) {
        return redis.hash(String.class).hgetall(RedisKeys.task(id));
    }

    private Map<String, String> awaitStatus(String id, String status) {
        await().atMost(Duration.ofSeconds(20)).until(() -> status.equals(record(id).get("status")));
        return record(id);
    }

    @Test
    void addRunsAndItsOutcomeIsRecorded() throws Exception {
        String id = publish("add", "{\"x\":2,\"y\":3}", false);
        Map<String, String> record = awaitStatus(id, "SUCCESS");
        assertEquals("5", record.get("result"));
        assertEquals("1", record.get("attempts"));
        assertEquals(QUEUE, record.get("worker"));
        assertEquals("corr-" + id, record.get("correlationId"));
        Instant created = Instant.parse(record.get("createdAt"));
        Instant started = Instant.parse(record.get("startedAt"));
        Instant finished = Instant.parse(record.get("finishedAt"));
        assertTrue(!started.isBefore(created) && !finished.isBefore(started), record.toString());
        assertTrue(redis.key().ttl(RedisKeys.task(id)) > 0, "records expire");
    }

    @Test
    void aThrowingHandlerFailsTheTaskAndTheWorkerGoesOn() throws Exception {
        String failing = publish("add", "{\"x\":9223372036854775807,\"y\":1}", false);
        Map<String, String> record = awaitStatus(failing, "FAILURE");
        JsonNode error = mapper.readTree(record.get("error"));
        assertEquals("java.lang.ArithmeticException", error.get("type").asText());
        assertEquals("long overflow", error.get("message").asText());

        String next = publish("add", "{\"x\":40,\"y\":2}", false);
        assertEquals("42", awaitStatus(next, "SUCCESS").get("result"));
    }

    @Test
    void anUnknownTypeFailsWithAClearErrorAndIsKeptAsADeadLetter() throws Exception {
        String id = publish("no-such-type", "{}", false);
        JsonNode error = mapper.readTree(awaitStatus(id, "FAILURE").get("error"));
        assertTrue(error.get("message").asText().contains("no handler for the task type 'no-such-type'"), error.toString());
        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters().containsKey(id));
    }

    @Test
    void anUndecodableMessageIsRejectedIntoTheDeadLettersAndTheWorkerGoesOn() throws Exception {
        String bad = "undecodable-" + UUID.randomUUID();
        channel.basicPublish(Amqp.TASKS_EXCHANGE, QUEUE, true,
                new AMQP.BasicProperties.Builder().deliveryMode(2).messageId(bad).build(), "not json".getBytes());
        channel.waitForConfirmsOrDie(5000);
        String id = publish("add", "{\"x\":1,\"y\":1}", false);
        assertEquals("2", awaitStatus(id, "SUCCESS").get("result"));
        await().atMost(Duration.ofSeconds(10)).until(() -> channel.messageCount(Amqp.queueName(QUEUE)) == 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> "not json".equals(deadLetters().get(bad)));
        assertTrue(!deadLetters().containsKey(id), "a success is no dead letter");
    }

    @Test
    void exhaustedRetriesAreKeptAsADeadLetterButAPermanentErrorIsNot() throws Exception {
        String exhausted = publish(message("flaky", "{\"failures\":1}", 0, null, null));
        String permanent = publish(message("flaky", "{\"failures\":1,\"permanent\":true}", null, null, null));
        awaitStatus(exhausted, "FAILURE");
        awaitStatus(permanent, "FAILURE");
        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters().containsKey(exhausted));
        assertTrue(!deadLetters().containsKey(permanent));
    }

    @Test
    void aFinishedTaskDeliveredAgainDoesNotRunAgain() throws Exception {
        String id = publish("add", "{\"x\":1,\"y\":2}", false);
        awaitStatus(id, "SUCCESS");
        String finishedAt = record(id).get("finishedAt");
        // The same message again, as RabbitMQ redelivers it when an ack was lost.
        byte[] body = mapper.writeValueAsBytes(new TaskMessage(id, "add", mapper.readTree("{\"x\":1,\"y\":2}"), QUEUE, 0,
                Instant.now(), null));
        channel.basicPublish(Amqp.TASKS_EXCHANGE, QUEUE, true, new AMQP.BasicProperties.Builder().deliveryMode(2).build(), body);
        channel.waitForConfirmsOrDie(5000);
        await().atMost(Duration.ofSeconds(10)).until(() -> channel.messageCount(Amqp.queueName(QUEUE)) == 0);
        String marker = publish("add", "{\"x\":0,\"y\":0}", false);
        awaitStatus(marker, "SUCCESS");
        assertEquals("1", record(id).get("attempts"));
        assertEquals(finishedAt, record(id).get("finishedAt"));
    }

    @Test
    void hundredsOfSleepsRunAtOnce() throws Exception {
        List<String> ids = new ArrayList<>();
        // Sleeps longer than the test: none can end before the last one started, however slow the host.
        for (int i = 0; i < 300; i++) {
            ids.add(publish("sleep", "{\"seconds\":600}", false));
        }
        // All 300 are STARTED at the same moment: each holds a virtual thread, none waits for another.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> ids.stream()
                .filter(id -> "STARTED".equals(redis.hash(String.class).hget(RedisKeys.task(id), "status"))).count() == 300);
        assertEquals(300, runner.inFlight());
        // Ended as api-service's revoke ends them; the worker interrupts all 300 and frees their slots.
        ids.forEach(this::revokeAsTheApiDoes);
        await().atMost(Duration.ofSeconds(30)).until(() -> runner.inFlight() == 0);
        assertTrue(ids.stream().allMatch(id -> "REVOKED".equals(redis.hash(String.class).hget(RedisKeys.task(id), "status"))));
    }

    @Test
    void theHeartbeatAdvertisesTypesAndArguments() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.value(String.class).get(RedisKeys.worker(QUEUE)) != null);
        WorkerHeartbeat heartbeat = mapper.readValue(redis.value(String.class).get(RedisKeys.worker(QUEUE)),
                WorkerHeartbeat.class);
        assertEquals(List.of(QUEUE), heartbeat.queues());
        assertEquals(List.of("add", "email", "flaky", "report", "sleep", "sum", "webhook"), heartbeat.types().stream().map(t -> t.type()).toList());
        assertEquals("IO", heartbeat.types().get(4).workload().name());
        assertEquals(500, heartbeat.concurrency());
        assertNotNull(redis.sortedSet(String.class).zscore(RedisKeys.WORKERS, QUEUE));
        assertTrue(redis.key().pttl(RedisKeys.worker(QUEUE)) > 0, "the heartbeat expires");
        // The catalogue outlives the heartbeat: same types and queue, with when they were last advertised.
        double queueSeen = redis.sortedSet(String.class).zscore(RedisKeys.CATALOGUE_QUEUES, QUEUE).orElseThrow();
        assertTrue(queueSeen >= heartbeat.at().toEpochMilli(), "the queue's time is the latest heartbeat's");
        assertTrue(redis.sortedSet(String.class).zscore(RedisKeys.CATALOGUE_TYPES_SEEN, "sleep").isPresent());
        TaskTypeInfo sleep = mapper.readValue(redis.hash(String.class).hget(RedisKeys.CATALOGUE_TYPES, "sleep"),
                TaskTypeInfo.class);
        assertEquals(heartbeat.types().get(4), sleep);
        assertEquals(-1, redis.key().pttl(RedisKeys.CATALOGUE_TYPES), "the catalogue does not expire");
    }

    @Test
    void aFailedAttemptWaitsForItsRetryInTheDueSetHoldingNothing() throws Exception {
        Instant before = Instant.now();
        String id = publish(message("flaky", "{\"failures\":1}", null, null, null));
        Map<String, String> record = awaitStatus(id, "RETRY");
        JsonNode error = mapper.readTree(record.get("error"));
        assertEquals("java.lang.IllegalStateException", error.get("type").asText());
        assertTrue(error.get("message").asText().contains("failing on purpose"), error.toString());
        assertEquals("1", record.get("retries"));
        // The test back-off is 20 s with equal jitter: the next attempt is 10 to 20 s away.
        Instant next = Instant.parse(record.get("nextAttemptAt"));
        assertTrue(next.isAfter(before.plusSeconds(9)) && next.isBefore(Instant.now().plusSeconds(21)), next.toString());
        assertEquals((double) next.toEpochMilli(), redis.sortedSet(String.class).zscore(RedisKeys.DUE, id).orElseThrow());
        TaskMessage due = mapper.readValue(redis.hash(String.class).hget(RedisKeys.DUE_MESSAGES, id), TaskMessage.class);
        assertEquals(id, due.id());
        assertEquals(1, due.retries());
        assertEquals(QUEUE, due.queue());
        // Nothing is held while it waits: the message was acknowledged and no thread runs it.
        await().atMost(Duration.ofSeconds(5)).until(() -> runner.inFlight() == 0);
        assertEquals(0, channel.messageCount(Amqp.queueName(QUEUE)));

        // When due, the scheduler publishes the stored JSON as it is; here the test does it.
        redis.sortedSet(String.class).zrem(RedisKeys.DUE, id);
        redis.hash(String.class).hdel(RedisKeys.DUE_MESSAGES, id);
        publish(due);
        Map<String, String> done = awaitStatus(id, "SUCCESS");
        assertEquals("\"succeeded after 1 retries\"", done.get("result"));
        assertEquals("2", done.get("attempts"));
        assertEquals(null, done.get("nextAttemptAt"));
        assertEquals(null, done.get("error"));
    }

    @Test
    void aPermanentErrorIsNotRetried() throws Exception {
        String id = publish(message("flaky", "{\"failures\":1,\"permanent\":true}", null, null, null));
        Map<String, String> record = awaitStatus(id, "FAILURE");
        assertEquals("io.hotpot.worker.task.PermanentTaskException", mapper.readTree(record.get("error")).get("type").asText());
        assertEquals("1", record.get("attempts"));
        assertTrue(redis.sortedSet(String.class).zscore(RedisKeys.DUE, id).isEmpty());
    }

    @Test
    void maxRetriesOfTheSubmissionOverridesTheHandlersDefault() throws Exception {
        String id = publish(message("flaky", "{\"failures\":1}", 0, null, null));
        Map<String, String> record = awaitStatus(id, "FAILURE");
        assertEquals("0", record.get("maxRetries"));
        assertTrue(redis.sortedSet(String.class).zscore(RedisKeys.DUE, id).isEmpty());
    }

    @Test
    void anAttemptPastItsTimeLimitIsInterruptedAndItsSlotFreed() throws Exception {
        long start = System.nanoTime();
        String id = publish(message("sleep", "{\"seconds\":60}", null, 0.5, null));
        Map<String, String> record = awaitStatus(id, "FAILURE");
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(20).toNanos(), "interrupted, not slept out");
        JsonNode error = mapper.readTree(record.get("error"));
        assertEquals("io.hotpot.worker.task.TimeLimitExceededException", error.get("type").asText());
        assertTrue(error.get("message").asText().contains("0.5 s"), error.toString());
        await().atMost(Duration.ofSeconds(5)).until(() -> runner.inFlight() == 0);
    }

    @Test
    void aTimedOutAttemptIsRetriedWhenRetriesAreLeft() throws Exception {
        String id = publish(message("sleep", "{\"seconds\":60}", 2, 0.3, null));
        Map<String, String> record = awaitStatus(id, "RETRY");
        assertEquals("io.hotpot.worker.task.TimeLimitExceededException",
                mapper.readTree(record.get("error")).get("type").asText());
        assertTrue(redis.sortedSet(String.class).zscore(RedisKeys.DUE, id).isPresent());
    }

    @Test
    void aTaskNotStartedBeforeItExpiresIsRevokedWithTheReason() throws Exception {
        String id = publish(message("add", "{\"x\":1,\"y\":1}", null, null, Instant.now().minusSeconds(1)));
        Map<String, String> record = awaitStatus(id, "REVOKED");
        JsonNode error = mapper.readTree(record.get("error"));
        assertEquals("Expired", error.get("type").asText());
        assertTrue(error.get("message").asText().contains("not started before it expired"), error.toString());
        assertEquals("0", record.get("attempts"));
        assertEquals(null, record.get("result"));
    }

    @Test
    void aRunningTaskRevokedIsInterruptedAndStaysRevoked() throws Exception {
        String id = publish(message("sleep", "{\"seconds\":60}", null, null, null));
        awaitStatus(id, "STARTED");
        // Listed as running just after its START is recorded.
        await().atMost(Duration.ofSeconds(10)).until(() -> runner.runningIds().contains(id));
        // The worker notices a revoke within a second.
        revokeAsTheApiDoes(id);
        await().atMost(Duration.ofSeconds(10)).until(() -> runner.inFlight() == 0);
        Map<String, String> record = record(id);
        assertEquals("REVOKED", record.get("status"));
        assertEquals(null, record.get("result"));
    }

    @Test
    void aMemberOfAGroupWaitsForItsGroupAndRunsOnceItIsCommitted() throws Exception {
        String group = "group-" + UUID.randomUUID();
        String id = publish(message("add", "{\"x\":20,\"y\":22}", null, null, null).inGroup(group));
        // Delivered and held: api-service publishes every member before it records the group.
        await().atMost(Duration.ofSeconds(10)).until(() -> runner.inFlight() > 0);
        assertTrue(record(id).isEmpty(), "not started before its group is committed");
        redis.hash(String.class).hset(RedisKeys.group(group), Map.of(GroupFields.STATE, GroupFields.COMMITTED));
        Map<String, String> record = awaitStatus(id, "SUCCESS");
        assertEquals("42", record.get("result"));
        assertEquals(group, record.get("group"));
        redis.key().del(RedisKeys.group(group));
    }

    @Test
    void aMemberOfAnAbandonedGroupNeverRuns() throws Exception {
        String group = "group-" + UUID.randomUUID();
        String id = publish(message("add", "{\"x\":1,\"y\":1}", null, null, null).inGroup(group));
        await().atMost(Duration.ofSeconds(10)).until(() -> runner.inFlight() > 0);
        redis.hash(String.class).hset(RedisKeys.group(group), Map.of(GroupFields.STATE, GroupFields.ABANDONED));
        await().atMost(Duration.ofSeconds(10)).until(() -> runner.inFlight() == 0);
        assertTrue(record(id).isEmpty(), "a member of an abandoned group leaves no trace");
        redis.key().del(RedisKeys.group(group));
    }

    @Test
    void aGroupNeverCommittedWithinTheGateIsGivenUpByTheWorker() throws Exception {
        String group = "group-" + UUID.randomUUID();
        TaskMessage late = message("add", "{\"x\":1,\"y\":1}", null, null, null).inGroup(group);
        // Created longer ago than hotpot.worker.group-gate (60 s): its submission never recorded the group.
        String id = publish(new TaskMessage(late.id(), late.type(), late.args(), late.queue(), 0,
                Instant.now().minusSeconds(120), null, null, null, null, null, 0, null, group));
        await().atMost(Duration.ofSeconds(10)).until(() -> GroupFields.ABANDONED.equals(
                redis.hash(String.class).hget(RedisKeys.group(group), GroupFields.STATE)));
        await().atMost(Duration.ofSeconds(10)).until(() -> runner.inFlight() == 0);
        assertTrue(record(id).isEmpty());
        redis.key().del(RedisKeys.group(group));
    }

    /** A committed group of {@code total} with a {@code sum} callback waiting as api-service records it; the callback's id. */
    private String chord(String group, int total, String chordError) throws Exception {
        String callback = "callback-" + UUID.randomUUID();
        ObjectNode args = mapper.createObjectNode().put("results", GroupFields.resultsPlaceholder(callback));
        String message = mapper.writeValueAsString(new TaskMessage(callback, "sum", args, QUEUE, 0, Instant.now(), null));
        redis.hash(String.class).hset(RedisKeys.group(group), Map.of(GroupFields.STATE, GroupFields.COMMITTED,
                GroupFields.TOTAL, Integer.toString(total), GroupFields.CALLBACK_ID, callback, GroupFields.CALLBACK, message,
                GroupFields.CHORD_ERROR, chordError));
        redis.key().expire(RedisKeys.group(group), 600);
        redis.hash(String.class).hset(RedisKeys.task(callback), Map.of("id", callback, "type", "sum", "status", "SCHEDULED"));
        published.add(callback);
        return callback;
    }

    private TaskMessage member(String group, String args) throws Exception {
        TaskMessage member = message("add", args, null, null, null).inGroup(group);
        redis.list(String.class).rpush(RedisKeys.groupTasks(group), member.id());
        return member;
    }

    @Test
    void theLastMemberToFinishSchedulesTheCallbackWithEveryResultInOrder() throws Exception {
        String group = "chord-" + UUID.randomUUID();
        String callback = chord(group, 2, GroupFields.CHORD_ERROR_FAIL);
        TaskMessage first = member(group, "{\"x\":1,\"y\":2}");
        TaskMessage second = member(group, "{\"x\":3,\"y\":4}");
        publish(second);
        awaitStatus(second.id(), "SUCCESS");
        assertEquals(null, redis.hash(String.class).hget(RedisKeys.DUE_MESSAGES, callback), "not before the last member");
        publish(first);
        awaitStatus(first.id(), "SUCCESS");
        JsonNode scheduled = mapper.readTree(redis.hash(String.class).hget(RedisKeys.DUE_MESSAGES, callback));
        assertEquals(mapper.readTree("[3,7]"), scheduled.get("args").get("results"), "the results in the group's order");
        assertTrue(redis.sortedSet(String.class).zscore(RedisKeys.DUE, callback).isPresent());
        assertEquals(2, redis.set(String.class).scard(RedisKeys.groupFinished(group)));
        redis.key().del(RedisKeys.group(group), RedisKeys.groupTasks(group), RedisKeys.groupFinished(group), RedisKeys.task(callback));
    }

    @Test
    void aFailedMemberKeepsTheCallbackFromRunningWithAChordError() throws Exception {
        String group = "chord-" + UUID.randomUUID();
        String callback = chord(group, 2, GroupFields.CHORD_ERROR_FAIL);
        TaskMessage ok = member(group, "{\"x\":1,\"y\":2}");
        TaskMessage overflow = member(group, "{\"x\":9223372036854775807,\"y\":1}");
        List<GroupEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        var subscriber = redis.pubsub(String.class).subscribe(RedisKeys.TASK_EVENTS_CHANNEL, json -> {
            if (json.contains("\"kind\":\"group\"") && json.contains(group)) {
                try {
                    events.add(mapper.readValue(json, GroupEvent.class));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        publish(ok);
        publish(overflow);
        await().atMost(Duration.ofSeconds(20)).until(() -> "REVOKED".equals(record(callback).get("status")));
        assertTrue(record(callback).get("error").contains("ChordError"), record(callback).toString());
        assertTrue(record(callback).get("error").contains("1 of 2 tasks"), record(callback).toString());
        assertEquals(null, redis.hash(String.class).hget(RedisKeys.DUE_MESSAGES, callback));

        // A group event per member, from the script that recorded its outcome: each counted once.
        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
        subscriber.unsubscribe();
        GroupEvent last = events.get(1);
        assertEquals(GroupEvent.FINISHED, last.event());
        assertEquals(2, last.finished());
        assertEquals(2, last.total());
        assertEquals(Map.of(TaskStatus.SUCCESS, 1, TaskStatus.FAILURE, 1, TaskStatus.REVOKED, 0), last.counts());
        assertEquals(java.util.Set.of(ok.id(), overflow.id()), java.util.Set.of(events.get(0).task(), last.task()));
        assertEquals(1, events.get(0).finished());
        redis.key().del(RedisKeys.group(group), RedisKeys.groupTasks(group), RedisKeys.groupFinished(group), RedisKeys.task(callback));
    }

    @Test
    void withChordErrorContinueTheCallbackGetsNullForAFailedMember() throws Exception {
        String group = "chord-" + UUID.randomUUID();
        String callback = chord(group, 2, GroupFields.CHORD_ERROR_CONTINUE);
        TaskMessage ok = member(group, "{\"x\":1,\"y\":2}");
        TaskMessage overflow = member(group, "{\"x\":9223372036854775807,\"y\":1}");
        publish(ok);
        publish(overflow);
        await().atMost(Duration.ofSeconds(20)).until(() -> redis.hash(String.class).hget(RedisKeys.DUE_MESSAGES, callback) != null);
        JsonNode scheduled = mapper.readTree(redis.hash(String.class).hget(RedisKeys.DUE_MESSAGES, callback));
        assertEquals(mapper.readTree("[3,null]"), scheduled.get("args").get("results"));
        redis.key().del(RedisKeys.group(group), RedisKeys.groupTasks(group), RedisKeys.groupFinished(group), RedisKeys.task(callback));
    }

    /**
     * A chain of {@code args.length} add tasks as api-service records it: the later ones waiting
     * ({@code SCHEDULED}, their own chain fields), the first published; the messages, first first.
     */
    private List<TaskMessage> chain(String... args) throws Exception {
        List<TaskMessage> steps = new ArrayList<>();
        for (String json : args) {
            steps.add(message("add", json, null, null, null));
        }
        TaskMessage first = steps.get(0).followedBy(steps.subList(1, steps.size()));
        List<TaskMessage> messages = new ArrayList<>(List.of(first));
        for (TaskMessage step = first.next(); step != null; step = step.next()) {
            messages.add(step);
            Map<String, String> fields = new java.util.HashMap<>(Map.of("id", step.id(), "type", "add", "status", "SCHEDULED"));
            List<String> chain = step.next() == null ? List.of()
                    : TaskFields.chain(step, mapper.writeValueAsString(step.next()));
            for (int i = 0; i + 1 < chain.size(); i += 2) {
                fields.put(chain.get(i), chain.get(i + 1));
            }
            redis.hash(String.class).hset(RedisKeys.task(step.id()), fields);
            published.add(step.id());
        }
        return messages;
    }

    /** Publishes what the task before scheduled for {@code id}, as scheduler-service's leader would. */
    private void publishDue(String id) throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> redis.hash(String.class).hget(RedisKeys.DUE_MESSAGES, id) != null);
        publish(mapper.readValue(redis.hash(String.class).hget(RedisKeys.DUE_MESSAGES, id), TaskMessage.class));
    }

    @Test
    void aChainOfThreePassesEachResultToTheNext() throws Exception {
        List<TaskMessage> steps = chain("{\"x\":1,\"y\":2}", "{\"x\":\"$result\",\"y\":10}", "{\"x\":100,\"y\":\"$result\"}");
        publish(steps.get(0));
        assertEquals("3", awaitStatus(steps.get(0).id(), "SUCCESS").get("result"));
        publishDue(steps.get(1).id());
        assertEquals("13", awaitStatus(steps.get(1).id(), "SUCCESS").get("result"));
        publishDue(steps.get(2).id());
        assertEquals("113", awaitStatus(steps.get(2).id(), "SUCCESS").get("result"));
        assertEquals(steps.get(1).id() + " " + steps.get(2).id(), record(steps.get(0).id()).get(TaskFields.CHAIN_REST));
    }

    @Test
    void aFailingTaskStopsItsChainAndRevokesTheRestWithTheReason() throws Exception {
        List<TaskMessage> steps = chain("{\"x\":9223372036854775807,\"y\":1}", "{\"x\":\"$result\",\"y\":1}",
                "{\"x\":\"$result\",\"y\":1}");
        publish(steps.get(0));
        awaitStatus(steps.get(0).id(), "FAILURE");
        for (TaskMessage later : steps.subList(1, 3)) {
            Map<String, String> record = awaitStatus(later.id(), "REVOKED");
            assertTrue(record.get("error").contains("ChainBroken") && record.get("error").contains(steps.get(0).id()),
                    record.toString());
            assertEquals(null, redis.hash(String.class).hget(RedisKeys.DUE_MESSAGES, later.id()));
        }
    }

    @Test
    void aReferenceToAFieldTheResultLacksFailsThatTaskAndStopsTheChain() throws Exception {
        List<TaskMessage> steps = chain("{\"x\":1,\"y\":2}", "{\"x\":\"$result/total\",\"y\":1}", "{\"x\":1,\"y\":1}");
        publish(steps.get(0));
        awaitStatus(steps.get(0).id(), "SUCCESS");
        publishDue(steps.get(1).id());
        Map<String, String> failed = awaitStatus(steps.get(1).id(), "FAILURE");
        assertTrue(failed.get("error").contains("args.x is $result/total, but the result of the task before has no /total"),
                failed.get("error"));
        assertEquals("REVOKED", awaitStatus(steps.get(2).id(), "REVOKED").get("status"));
    }
}
