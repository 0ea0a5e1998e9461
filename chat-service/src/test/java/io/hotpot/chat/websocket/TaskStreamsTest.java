package io.hotpot.chat.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.hotpot.common.ChatProtocol;
import io.hotpot.common.RedisKeys;
import io.hotpot.common.TaskFields;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Live task events, against the real Redis: records and events written as api-service and the
 * workers write them (hash {@code {hotpot}:task:{id}}, channel {@code hotpot:events:tasks}).
 */
@QuarkusTest
class TaskStreamsTest {
    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisDataSource redis;

    private final String id = "ws-" + UUID.randomUUID();
    private final String type = "t" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void deleteRecord() {
        redis.key().del(RedisKeys.task(id));
    }

    private URI ws(String path) {
        return URI.create("ws://" + base.getHost() + ":" + base.getPort() + path);
    }

    private void publish(String status, String extra) {
        redis.pubsub(String.class).publish(RedisKeys.TASK_EVENTS_CHANNEL, "{\"id\":\"" + id + "\",\"type\":\"" + type
                + "\",\"status\":\"" + status + "\",\"attempts\":1,\"worker\":\"w-1\",\"at\":\"2026-11-26T10:00:00Z\"" + extra + "}");
    }

    @Test
    void oneTaskStreamsItsRecordThenProgressThenTheFinalEventAndCloses() throws Exception {
        redis.hash(String.class).hset(RedisKeys.task(id), Map.of(TaskFields.ID, id, TaskFields.TYPE, type,
                TaskFields.STATUS, "STARTED", TaskFields.ATTEMPTS, "1", TaskFields.ARGS, "{\"rows\":1000}"));
        try (ChatClient client = ChatClient.connect(ws("/ws/tasks/" + id))) {
            JsonNode record = client.next(ChatProtocol.TYPE_TASK_RECORD).get("record");
            assertEquals("STARTED", record.get("status").asText());
            assertEquals(1000, record.get("args").get("rows").asInt());
            publish("STARTED", ",\"progress\":{\"percent\":40,\"message\":\"400 rows\"}");
            JsonNode progress = client.next(ChatProtocol.TYPE_TASK_EVENT).get("event");
            assertEquals(40, progress.get("progress").get("percent").asInt());
            publish("SUCCESS", ",\"result\":1000");
            assertEquals("SUCCESS", client.next(ChatProtocol.TYPE_TASK_EVENT).get("event").get("status").asText());
            assertEquals(1000, client.awaitClose());
        }
    }

    @Test
    void aFinishedTaskSendsItsRecordAndCloses() throws Exception {
        redis.hash(String.class).hset(RedisKeys.task(id), Map.of(TaskFields.ID, id, TaskFields.STATUS, "SUCCESS",
                TaskFields.RESULT, "5"));
        try (ChatClient client = ChatClient.connect(ws("/ws/tasks/" + id))) {
            assertEquals(5, client.next(ChatProtocol.TYPE_TASK_RECORD).get("record").get("result").asInt());
            assertEquals(1000, client.awaitClose());
        }
    }

    @Test
    void theDashboardStreamFiltersByTypeAndStatus() throws Exception {
        try (ChatClient all = ChatClient.connect(ws("/ws/tasks?type=" + type));
                ChatClient done = ChatClient.connect(ws("/ws/tasks?type=" + type + "&status=SUCCESS"))) {
            all.next(ChatProtocol.TYPE_TASK_SUBSCRIBED);
            done.next(ChatProtocol.TYPE_TASK_SUBSCRIBED);
            publish("STARTED", "");
            publish("SUCCESS", ",\"result\":1");
            assertEquals("STARTED", all.next(ChatProtocol.TYPE_TASK_EVENT).get("event").get("status").asText());
            assertEquals("SUCCESS", all.next(ChatProtocol.TYPE_TASK_EVENT).get("event").get("status").asText());
            assertEquals("SUCCESS", done.next(ChatProtocol.TYPE_TASK_EVENT).get("event").get("status").asText());
            assertEquals(0, done.frames.stream().filter(f -> ChatProtocol.TYPE_TASK_EVENT.equals(f.path("type").asText())).count());
        }
    }

    private void publishGroup(String group, String task, int finished) {
        redis.pubsub(String.class).publish(RedisKeys.TASK_EVENTS_CHANNEL, "{\"kind\":\"group\",\"group\":\"" + group
                + "\",\"event\":\"finished\",\"task\":\"" + task + "\",\"status\":\"SUCCESS\",\"total\":2,\"finished\":"
                + finished + ",\"counts\":{\"SUCCESS\":" + finished + ",\"FAILURE\":0,\"REVOKED\":0},\"at\":\"2026-12-03T10:00:00Z\"}");
    }

    @Test
    void groupEventsGoToTheWholeStreamAndToThoseFollowingTheirGroup() throws Exception {
        String group = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        try (ChatClient everything = ChatClient.connect(ws("/ws/tasks"));
                ChatClient oneGroup = ChatClient.connect(ws("/ws/tasks?group=" + group));
                ChatClient ofType = ChatClient.connect(ws("/ws/tasks?type=" + type))) {
            everything.next(ChatProtocol.TYPE_TASK_SUBSCRIBED);
            oneGroup.next(ChatProtocol.TYPE_TASK_SUBSCRIBED);
            ofType.next(ChatProtocol.TYPE_TASK_SUBSCRIBED);
            publishGroup(other, "t-1", 1);
            publishGroup(group, "t-2", 1);
            publish("SUCCESS", ",\"result\":1");
            publishGroup(group, "t-3", 2);

            JsonNode first = everything.next(ChatProtocol.TYPE_GROUP_EVENT).get("event");
            assertEquals(other, first.get("group").asText());
            assertEquals(group, everything.next(ChatProtocol.TYPE_GROUP_EVENT).get("event").get("group").asText());
            assertEquals(id, everything.next(ChatProtocol.TYPE_TASK_EVENT).get("event").get("id").asText());

            // The very next frames, none skipped: only this group's events, in order.
            JsonNode mine = oneGroup.next(f -> true);
            assertEquals(ChatProtocol.TYPE_GROUP_EVENT, mine.get("type").asText(), mine.toString());
            assertEquals("t-2", mine.get("event").get("task").asText());
            JsonNode last = oneGroup.next(f -> true);
            assertEquals(ChatProtocol.TYPE_GROUP_EVENT, last.get("type").asText(), last.toString());
            assertEquals(2, last.get("event").get("finished").asInt());
            assertEquals(2, last.get("event").get("counts").get("SUCCESS").asInt());

            JsonNode typed = ofType.next(f -> true);
            assertEquals(ChatProtocol.TYPE_TASK_EVENT, typed.get("type").asText(), "no group event before it: " + typed);
            assertEquals(id, typed.get("event").get("id").asText());
            // Everything published is in by now (the last group event reached both others after it).
            everything.next(ChatProtocol.TYPE_GROUP_EVENT);
            assertEquals(0, oneGroup.frames.stream().filter(f -> ChatProtocol.TYPE_TASK_EVENT.equals(f.path("type").asText())
                    || f.path("event").path("group").asText().equals(other)).count(), "only its group's events");
            assertEquals(0, ofType.frames.stream().filter(f -> ChatProtocol.TYPE_GROUP_EVENT.equals(f.path("type").asText()))
                    .count(), "a stream filtered by type carries no group events");
        }
        for (String query : java.util.List.of("?group=not-a-group", "?group=" + group + "&type=" + type)) {
            try (ChatClient client = ChatClient.connect(ws("/ws/tasks" + query))) {
                assertEquals("bad_group", client.next(ChatProtocol.TYPE_ERROR).get("code").asText());
                assertEquals(ChatProtocol.CLOSE_POLICY, client.awaitClose());
            }
        }
    }

    private static String token(String... roles) {
        return io.smallrye.jwt.build.Jwt.issuer("hotpot").upn("viewer").groups(java.util.Set.of(roles)).expiresIn(60).sign();
    }

    @Test
    void watchingTasksNeedsTheReadRole() throws Exception {
        redis.hash(String.class).hset(RedisKeys.task(id), Map.of(TaskFields.ID, id, TaskFields.STATUS, "STARTED"));
        for (String path : java.util.List.of("/ws/tasks/" + id, "/ws/tasks")) {
            try (ChatClient chatOnly = ChatClient.connect(ws(path + "?token=" + token("chat")))) {
                assertEquals("forbidden_role", chatOnly.next(ChatProtocol.TYPE_ERROR).get("code").asText());
                assertEquals(ChatProtocol.CLOSE_POLICY, chatOnly.awaitClose());
            }
        }
        try (ChatClient reader = ChatClient.connect(ws("/ws/tasks?token=" + token("read")))) {
            reader.next(ChatProtocol.TYPE_TASK_SUBSCRIBED);
        }
        try (ChatClient admin = ChatClient.connect(ws("/ws/tasks/" + id + "?token=" + token("admin")))) {
            admin.next(ChatProtocol.TYPE_TASK_RECORD);
        }
    }

    @Test
    void theRecordShowsWhatTheRestApiShowsWithSensitiveArgumentsMasked() throws Exception {
        // As a worker writes it: the sensitive field masked, plus fields GET /api/tasks/{id} never shows.
        redis.hash(String.class).hset(RedisKeys.task(id), Map.of(TaskFields.ID, id, TaskFields.TYPE, "email",
                TaskFields.STATUS, "STARTED", TaskFields.ARGS, "{\"to\":\"a@b.c\",\"body\":\"***\"}",
                TaskFields.IDEMPOTENCY_KEY, "order-42", TaskFields.CORRELATION_ID, "checkout-42", TaskFields.RETRIES, "0"));
        try (ChatClient client = ChatClient.connect(ws("/ws/tasks/" + id + "?token=" + token("read")))) {
            JsonNode record = client.next(ChatProtocol.TYPE_TASK_RECORD).get("record");
            assertEquals("***", record.get("args").get("body").asText());
            assertEquals(0, record.get("retries").asInt());
            org.junit.jupiter.api.Assertions.assertFalse(record.has(TaskFields.IDEMPOTENCY_KEY), record.toString());
            org.junit.jupiter.api.Assertions.assertFalse(record.has(TaskFields.CORRELATION_ID), record.toString());
        }
    }

    @Test
    void unknownTasksAndBadFiltersAreRefused() throws Exception {
        try (ChatClient client = ChatClient.connect(ws("/ws/tasks/" + id))) {
            assertEquals("unknown_task", client.next(ChatProtocol.TYPE_ERROR).get("code").asText());
            assertEquals(ChatProtocol.CLOSE_POLICY, client.awaitClose());
        }
        try (ChatClient client = ChatClient.connect(ws("/ws/tasks?status=DONE"))) {
            assertEquals("bad_status", client.next(ChatProtocol.TYPE_ERROR).get("code").asText());
            assertEquals(ChatProtocol.CLOSE_POLICY, client.awaitClose());
        }
    }
}
