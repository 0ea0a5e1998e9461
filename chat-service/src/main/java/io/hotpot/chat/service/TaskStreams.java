package io.hotpot.chat.service;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hotpot.chat.config.ChatConfig;
import io.hotpot.chat.metrics.ChatMetrics;
import io.hotpot.common.ChatProtocol;
import io.hotpot.common.GroupEvent;
import io.hotpot.common.GroupFields;
import io.hotpot.common.RedisKeys;
import io.hotpot.common.TaskFields;
import io.hotpot.common.TaskStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.hash.HashCommands;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * Live task events for dashboards: {@code /ws/tasks/{id}} sends the task's current record, then
 * its events until it is final, then closes (1000); {@code /ws/tasks?type=&status=} streams every
 * event that matches, and, without {@code type} or {@code status}, the groups' events
 * ({@link GroupEvent}: a group recorded, one of its tasks final); {@code ?group=} streams one
 * group's events only. Events come from {@link RedisKeys#TASK_EVENTS_CHANNEL}; a watcher is
 * registered before the record is read, and events arriving meanwhile are held back until the
 * record is sent, so nothing is missed between a {@code POST} and the connect.
 */
@ApplicationScoped
public class TaskStreams {
    private static final Logger LOG = Logger.getLogger(TaskStreams.class);
    private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
    private static final Set<String> JSON_FIELDS = Set.of(TaskFields.ARGS, TaskFields.RESULT, TaskFields.ERROR, TaskFields.PROGRESS);
    private static final Set<String> NUMBER_FIELDS = Set.of(TaskFields.ATTEMPTS, TaskFields.PRIORITY, TaskFields.RETRIES,
            TaskFields.MAX_RETRIES);
    /**
     * The record fields {@code GET /api/tasks/{id}} shows, and only those: a correlation id or an
     * idempotency key stays out of dashboards, as from the REST API. Sensitive arguments are already
     * {@code ***} in the record (every writer masks them, docs/decisions/0050).
     */
    private static final Set<String> SHOWN_FIELDS = Set.of(TaskFields.ID, TaskFields.TYPE, TaskFields.STATUS, TaskFields.ARGS,
            TaskFields.RESULT, TaskFields.ERROR, TaskFields.ATTEMPTS, TaskFields.QUEUE, TaskFields.PRIORITY,
            TaskFields.CREATED_AT, TaskFields.STARTED_AT, TaskFields.FINISHED_AT, TaskFields.WORKER, TaskFields.RETRIES,
            TaskFields.MAX_RETRIES, TaskFields.TIMEOUT, TaskFields.ETA, TaskFields.EXPIRES, TaskFields.NEXT_ATTEMPT_AT,
            TaskFields.PROGRESS);

    private final ChatConfig.Chat config;
    private final TokenVerifier tokens;
    private final HashCommands<String, String, String> hashes;
    private final ObjectMapper mapper;
    private final Map<String, Set<Watcher>> byTask = new ConcurrentHashMap<>();
    private final Map<String, Watcher> all = new ConcurrentHashMap<>();

    private final ChatMetrics metrics;

    public TaskStreams(ChatConfig config, TokenVerifier tokens, RedisDataSource redis, ObjectMapper mapper,
            ChatMetrics metrics) {
        this.metrics = metrics;
        this.config = config.chat();
        this.tokens = tokens;
        this.hashes = redis.hash(String.class);
        this.mapper = mapper;
    }

    /** One dashboard connection: which task (or which type and status) it follows. */
    private final class Watcher {
        final WebSocketConnection connection;
        final String taskId;
        final String type;
        final String status;
        final String group;
        final Member sender;

        Watcher(WebSocketConnection connection, String taskId, String type, String status, String group, String user) {
            this.connection = connection;
            this.taskId = taskId;
            this.type = type;
            this.status = status;
            this.group = group;
            // Reuses the chat member's bounded send queue and catch-up; the "room" is the stream it follows.
            this.sender = new Member(connection, user, taskId == null ? "tasks" : "task:" + taskId,
                    config.sendQueueLimit(), null, true, metrics);
        }

        boolean wants(JsonNode event) {
            if (isGroupEvent(event)) {
                return taskId == null && type == null && status == null
                        && (group == null || group.equals(event.path("group").asText()));
            }
            return group == null && (taskId == null || taskId.equals(event.path("id").asText()))
                    && (type == null || type.equals(event.path("type").asText()))
                    && (status == null || status.equals(event.path("status").asText()));
        }
    }

    /** {@code /ws/tasks/{id}}. */
    public void openOne(WebSocketConnection connection) {
        String id = connection.pathParam("id");
        TokenVerifier.Identified who = admit(connection);
        if (who == null) {
            return;
        }
        if (id == null || !TASK_ID.matcher(id).matches()) {
            refuse(connection, "bad_task_id", "task ids are 1 to 128 letters, digits, '_', '.', ':' or '-'");
            return;
        }
        Watcher watcher = new Watcher(connection, id, null, null, null, who.caller().user());
        all.put(connection.id(), watcher);
        byTask.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(watcher);
        Map<String, String> record = hashes.hgetall(RedisKeys.task(id));
        if (record.isEmpty()) {
            closed(connection);
            refuse(connection, "unknown_task", "no task " + id + " (unknown, or its record has expired)");
            return;
        }
        ObjectNode frame = mapper.createObjectNode().put("type", ChatProtocol.TYPE_TASK_RECORD);
        frame.set("record", recordJson(record));
        watcher.sender.catchUp(java.util.List.of(), StreamIds.ZERO, frame.toString());
        if (isFinal(record.get(TaskFields.STATUS))) {
            watcher.sender.close(CloseReason.NORMAL.getCode(), "task is final");
        }
    }

    /** {@code /ws/tasks?type=&status=}, or {@code /ws/tasks?group=}. */
    public void openAll(WebSocketConnection connection) {
        TokenVerifier.Identified who = admit(connection);
        if (who == null) {
            return;
        }
        Map<String, java.util.List<String>> query = new QueryStringDecoder("?" + java.util.Optional
                .ofNullable(connection.handshakeRequest().query()).orElse("")).parameters();
        String type = first(query, "type");
        String status = first(query, "status");
        String group = first(query, "group");
        if (status != null && java.util.Arrays.stream(TaskStatus.values()).noneMatch(s -> s.name().equals(status))) {
            refuse(connection, "bad_status", "status must be one of " + java.util.Arrays.toString(TaskStatus.values()));
            return;
        }
        if (type != null && !TASK_ID.matcher(type).matches()) {
            refuse(connection, "bad_type", "type must be a task type name");
            return;
        }
        if (group != null && (!GroupFields.ID_PATTERN.matcher(group).matches() || type != null || status != null)) {
            refuse(connection, "bad_group", "group must be a group id as POST /api/groups answered it, without type or status");
            return;
        }
        Watcher watcher = new Watcher(connection, null, type, status, group, who.caller().user());
        all.put(connection.id(), watcher);
        watcher.sender.catchUp(java.util.List.of(), StreamIds.ZERO, mapper.createObjectNode()
                .put("type", ChatProtocol.TYPE_TASK_SUBSCRIBED).toString());
    }

    /**
     * The caller, if it may watch tasks: a valid token carrying {@code read} (or {@code admin}),
     * as {@code GET /api/tasks} requires; otherwise the connection is refused (1008) and null returned.
     */
    private TokenVerifier.Identified admit(WebSocketConnection connection) {
        TokenVerifier.Identified who = tokens.identify(connection.handshakeRequest(), config.allowAnonymous());
        if (who.caller() == null) {
            refuse(connection, who.error(), "send a valid token (subprotocol hotpot.bearer.<token>, Authorization: Bearer, or ?token=)");
            return null;
        }
        if (!who.caller().may(ChatProtocol.ROLE_READ)) {
            refuse(connection, "forbidden_role", "watching tasks needs a token with the role 'read'");
            return null;
        }
        return who;
    }

    /** A task event from Redis, to every watcher that wants it. */
    public void onEvent(String json) {
        JsonNode event;
        try {
            event = mapper.readTree(json);
        } catch (Exception e) {
            LOG.warnf("HOTPOT-CHAT-030 unreadable task event: %s", e.getMessage());
            return;
        }
        boolean groupEvent = isGroupEvent(event);
        ObjectNode frame = mapper.createObjectNode().put("type", groupEvent ? ChatProtocol.TYPE_GROUP_EVENT : ChatProtocol.TYPE_TASK_EVENT);
        frame.set("event", event);
        String text = frame.toString();
        if (groupEvent) {
            for (Watcher watcher : all.values()) {
                if (watcher.wants(event)) {
                    watcher.sender.deliverInOrder(text);
                }
            }
            return;
        }
        boolean isFinal = isFinal(event.path("status").asText());
        Set<Watcher> one = byTask.getOrDefault(event.path("id").asText(), Set.of());
        for (Watcher watcher : one) {
            watcher.sender.deliverInOrder(text);
            if (isFinal) {
                watcher.sender.afterCatchUp(() -> watcher.sender.close(CloseReason.NORMAL.getCode(), "task is final"));
            }
        }
        for (Watcher watcher : all.values()) {
            if (watcher.taskId == null && watcher.wants(event)) {
                watcher.sender.deliverInOrder(text);
            }
        }
    }

    public void closed(WebSocketConnection connection) {
        Watcher watcher = all.remove(connection.id());
        if (watcher != null && watcher.taskId != null) {
            byTask.computeIfPresent(watcher.taskId, (id, set) -> {
                set.remove(watcher);
                return set.isEmpty() ? null : set;
            });
        }
    }

    private ObjectNode recordJson(Map<String, String> record) {
        ObjectNode node = mapper.createObjectNode();
        record.forEach((field, value) -> {
            if (!SHOWN_FIELDS.contains(field)) {
                return;
            }
            try {
                if (JSON_FIELDS.contains(field)) {
                    node.set(field, mapper.readTree(value));
                } else if (NUMBER_FIELDS.contains(field)) {
                    node.put(field, Long.parseLong(value));
                } else {
                    node.put(field, value);
                }
            } catch (Exception e) {
                node.put(field, value);
            }
        });
        return node;
    }

    private static boolean isGroupEvent(JsonNode event) {
        return GroupEvent.KIND.equals(event.path("kind").asText());
    }

    private static boolean isFinal(String status) {
        return "SUCCESS".equals(status) || "FAILURE".equals(status) || "REVOKED".equals(status);
    }

    private void refuse(WebSocketConnection connection, String code, String detail) {
        String frame = mapper.createObjectNode().put("type", ChatProtocol.TYPE_ERROR).put("code", code).put("error", detail).toString();
        connection.sendText(frame)
                .onItemOrFailure().transformToUni((ok, failure) -> connection.close(new CloseReason(ChatProtocol.CLOSE_POLICY, code)))
                .subscribe().with(ok -> {
                }, failure -> {
                });
    }

    private static String first(Map<String, java.util.List<String>> query, String name) {
        java.util.List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
