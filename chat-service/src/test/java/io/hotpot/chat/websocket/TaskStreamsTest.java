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
