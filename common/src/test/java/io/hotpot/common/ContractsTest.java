package io.hotpot.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class ContractsTest {
    private final ObjectMapper mapper = Json.newMapper();

    private <T> T roundTrip(T value, Class<T> type) throws Exception {
        return mapper.readValue(mapper.writeValueAsString(value), type);
    }

    @Test
    void taskMessageRoundTrips() throws Exception {
        JsonNode args = mapper.readTree("{\"x\":2,\"y\":3}");
        TaskMessage message = new TaskMessage("id-1", "add", args, "default", 4,
                Instant.parse("2026-11-26T10:00:00.123Z"), "corr-1");
        assertEquals(message, roundTrip(message, TaskMessage.class));
    }

    @Test
    void aTaskMessageWithItsLimitsRoundTripsAndOldReadersStillReadIt() throws Exception {
        TaskMessage message = new TaskMessage("id-2", "flaky", mapper.readTree("{\"failures\":1}"), "default", 0,
                Instant.parse("2026-11-26T10:00:00Z"), "corr-2", 5, 2.5, Instant.parse("2026-11-26T11:00:00Z"),
                Instant.parse("2026-11-26T10:05:00Z"), 0, List.of("failures"));
        assertEquals(message, roundTrip(message, TaskMessage.class));
        TaskMessage next = message.nextRetry();
        assertEquals(1, next.retries());
        assertEquals(message.id(), next.id());
        // A message written before these fields existed reads with the defaults.
        TaskMessage old = mapper.readValue("{\"id\":\"a\",\"type\":\"add\",\"queue\":\"default\",\"priority\":1}",
                TaskMessage.class);
        assertEquals(null, old.maxRetries());
        assertEquals(List.of(), old.sensitive());
        assertEquals(0, old.retries());
    }

    @Test
    void sensitiveArgumentsAreMaskedInACopyOnly() throws Exception {
        JsonNode args = mapper.readTree("{\"to\":\"a@b.c\",\"body\":\"secret\",\"phone\":null}");
        JsonNode masked = SensitiveArgs.mask(args, List.of("body", "phone", "absent"));
        assertEquals("{\"to\":\"a@b.c\",\"body\":\"***\",\"phone\":null}", masked.toString());
        assertEquals("secret", args.get("body").asText(), "the message keeps the real value");
        TaskMessage message = new TaskMessage("id", "email", args, "default", 0, Instant.now(), null, null, null, null,
                null, 0, List.of("body"));
        assertEquals(SensitiveArgs.MASK, message.recordedArgs().get("body").asText());
        assertEquals("secret", message.args().get("body").asText());
    }

    @Test
    void timesAreIsoText() throws Exception {
        TaskMessage message = new TaskMessage("id", "add", null, "default", 0,
                Instant.parse("2026-11-26T10:00:00Z"), null);
        JsonNode json = mapper.valueToTree(message);
        assertEquals("2026-11-26T10:00:00Z", json.get("createdAt").asText());
    }

    @Test
    void unknownFieldsAreIgnoredSoContractsCanGrow() throws Exception {
        TaskError error = mapper.readValue("{\"type\":\"X\",\"message\":\"m\",\"extra\":1}", TaskError.class);
        assertEquals(new TaskError("X", "m"), error);
    }

    @Test
    void heartbeatRoundTrips() throws Exception {
        WorkerHeartbeat heartbeat = new WorkerHeartbeat("w-1", List.of("default"),
                List.of(new TaskTypeInfo("add", Workload.CPU,
                        List.of(new ArgSpec("x", ArgType.INTEGER, true), new ArgSpec("y", ArgType.INTEGER, true)))),
                500, 2, 3, Instant.parse("2026-11-26T09:00:00Z"), Instant.parse("2026-11-26T10:00:00Z"));
        assertEquals(heartbeat, roundTrip(heartbeat, WorkerHeartbeat.class));
    }

    @Test
    void taskEventRoundTrips() throws Exception {
        TaskEvent event = new TaskEvent("id", "add", TaskStatus.SUCCESS, 1, "w-1",
                mapper.readTree("5"), null, Instant.parse("2026-11-26T10:00:00Z"));
        assertEquals(event, roundTrip(event, TaskEvent.class));
    }

    @Test
    void scheduleDefinitionRoundTripsWithWireNames() throws Exception {
        ScheduleDefinition definition = new ScheduleDefinition("nightly", "0 0 7 * * ?", "Europe/Paris", null, null,
                true, MissedPolicy.RUN_ONCE, new ScheduleDefinition.Task("add", mapper.readTree("{\"x\":1}"), "default", 2),
                ScheduleDefinition.SOURCE_API, Instant.parse("2026-11-26T10:00:00Z"));
        assertEquals(definition, roundTrip(definition, ScheduleDefinition.class));
        JsonNode json = mapper.valueToTree(definition);
        assertEquals("run-once", json.get("missed").asText());
        assertEquals(MissedPolicy.SKIP, MissedPolicy.fromWireName("skip"));
        assertEquals(null, MissedPolicy.fromWireName("SKIP"));
    }

    @Test
    void finalStatesAreTheThreeEndings() {
        EnumSet<TaskStatus> finals = EnumSet.noneOf(TaskStatus.class);
        for (TaskStatus status : TaskStatus.values()) {
            if (status.isFinal()) {
                finals.add(status);
            }
        }
        assertEquals(EnumSet.of(TaskStatus.SUCCESS, TaskStatus.FAILURE, TaskStatus.REVOKED), finals);
        assertFalse(TaskStatus.RETRY.isFinal());
    }

    @Test
    void quorumQueuesCarryNoPriorityAndALimitAndUrgentTasksRouteApart() {
        var quorum = Amqp.queueArguments(Amqp.QueueType.QUORUM, 7);
        assertEquals("quorum", quorum.get("x-queue-type"));
        assertEquals(7, quorum.get("x-delivery-limit"));
        assertEquals(Amqp.DEAD_EXCHANGE, quorum.get("x-dead-letter-exchange"));
        assertFalse(quorum.containsKey("x-max-priority"), "RabbitMQ refuses x-max-priority on a quorum queue");
        assertEquals(Amqp.queueArguments(), Amqp.queueArguments(Amqp.QueueType.CLASSIC, 7));
        assertEquals("quorum", Amqp.keepingQueueArguments(Amqp.QueueType.QUORUM).get("x-queue-type"));
        assertTrue(Amqp.keepingQueueArguments(Amqp.QueueType.CLASSIC).isEmpty());
        assertEquals("hotpot.urgent.default", Amqp.urgentQueueName(Amqp.DEFAULT_QUEUE));
        assertNotEquals(Amqp.queueName(Amqp.DEFAULT_QUEUE), Amqp.urgentQueueName(Amqp.DEFAULT_QUEUE));
        assertTrue(Amqp.urgentRoutingKey("a.b").contains(":"), "no logical queue name holds a colon");
    }

    @Test
    void namesAreDerivedInOnePlace() {
        assertEquals("hotpot.queue.default", Amqp.queueName(Amqp.DEFAULT_QUEUE));
        assertEquals("hotpot.dead.default", Amqp.deadQueueName(Amqp.DEFAULT_QUEUE));
        assertEquals(Amqp.DEAD_EXCHANGE, Amqp.queueArguments().get("x-dead-letter-exchange"));
        assertEquals(Amqp.UNROUTABLE_EXCHANGE, Amqp.exchangeArguments().get("alternate-exchange"));
        assertEquals("{hotpot}:task:abc", RedisKeys.task("abc"));
        assertEquals("{hotpot}:worker:w-1", RedisKeys.worker("w-1"));
        assertTrue(RedisKeys.WORKERS.startsWith(RedisKeys.PREFIX));
        assertEquals("{hotpot}:catalogue:types", RedisKeys.CATALOGUE_TYPES);
        assertEquals("{hotpot}:catalogue:queues", RedisKeys.CATALOGUE_QUEUES);
        assertEquals("{hotpot}:idempotency:k-1", RedisKeys.idempotency("k-1"));
        assertEquals("{hotpot}:fired:nightly:1000", RedisKeys.fired("nightly", 1000));
        assertEquals("{hotpot}:leader:scheduler", RedisKeys.leaderLock("scheduler"));
        // Channels are not keys: their names stay as clients (bench/TaskLoad.java, dashboards) know them.
        assertEquals("hotpot:events:tasks", RedisKeys.TASK_EVENTS_CHANNEL);
    }

    @Test
    void chatMessageAndPresenceRoundTrip() throws Exception {
        ChatMessage message = new ChatMessage("1764168000000-0", "lobby", "alice", "hi",
                Instant.parse("2026-11-26T10:00:00Z"));
        assertEquals(message, roundTrip(message, ChatMessage.class));
        ChatPresence presence = new ChatPresence("lobby", ChatPresence.JOIN, "alice", Instant.parse("2026-11-26T10:00:00Z"));
        assertEquals(presence, roundTrip(presence, ChatPresence.class));
    }

    @Test
    void roomNamesAreShortAndPlain() {
        assertTrue(ChatProtocol.ROOM_NAME.matcher("lobby_1.a-b").matches());
        assertFalse(ChatProtocol.ROOM_NAME.matcher("a b").matches());
        assertFalse(ChatProtocol.ROOM_NAME.matcher("a".repeat(65)).matches());
        assertFalse(ChatProtocol.ROOM_NAME.matcher("").matches());
        assertEquals("{hotpot}:chat:room:lobby", RedisKeys.chatRoom("lobby"));
    }

    @Test
    void taskProgressRoundTrips() throws Exception {
        TaskProgress progress = new TaskProgress(40, "imported 400 of 1000 rows");
        assertEquals(progress, roundTrip(progress, TaskProgress.class));
    }
}
