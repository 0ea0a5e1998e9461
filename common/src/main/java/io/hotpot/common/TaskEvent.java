package io.hotpot.common;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A change of a task, published on the Redis channel {@link RedisKeys#TASK_EVENTS_CHANNEL}
 * for live dashboards (chat-service relays it to {@code /ws/tasks}).
 *
 * @param id       task id
 * @param type     handler type name
 * @param status   the new status
 * @param attempts attempts started so far
 * @param worker   the worker running or that ran it, if any
 * @param result   the result, on {@code SUCCESS}
 * @param error    the error, on {@code FAILURE} or {@code RETRY}
 * @param at       when the change happened
 */
public record TaskEvent(
        String id,
        String type,
        TaskStatus status,
        int attempts,
        String worker,
        JsonNode result,
        TaskError error,
        Instant at) {
}
