package io.hotpot.api.service;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import io.hotpot.common.TaskError;
import io.hotpot.common.TaskProgress;
import io.hotpot.common.TaskStatus;

/**
 * A task as {@code GET /api/tasks/{id}} shows it. {@code error} holds the last attempt's error
 * (while {@code RETRY} too, with {@code nextAttemptAt}), or why a task was revoked.
 * {@code progress} is the handler's latest report while it runs (percent and message).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TaskView(
        String id,
        String type,
        TaskStatus status,
        JsonNode args,
        JsonNode result,
        TaskError error,
        int attempts,
        String queue,
        int priority,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        String worker,
        int retries,
        Integer maxRetries,
        Double timeout,
        Instant eta,
        Instant expires,
        Instant nextAttemptAt,
        TaskProgress progress) {
}
