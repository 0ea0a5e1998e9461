package io.hotpot.api.service;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import io.hotpot.common.TaskError;
import io.hotpot.common.TaskProgress;
import io.hotpot.common.TaskStatus;

/**
 * A task as {@code GET /api/tasks/{id}} shows it. {@code error} holds the last attempt's error
 * (while {@code RETRY} too, with {@code nextAttemptAt}), or why a task was revoked.
 * {@code progress} is the handler's latest report while it runs (percent and message).
 * {@code workers} is only in the answer to a submission: how many live workers consumed the task's
 * queue and handled its type at that moment; {@code 0} means the task waits in RabbitMQ until one
 * starts. {@code group} is the group the task was submitted in ({@code POST /api/groups}), absent
 * for a task of its own; {@code then} the ids of the tasks that follow it in its chain, in order.
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
        TaskProgress progress,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer workers,
        @JsonInclude(JsonInclude.Include.NON_NULL) String group,
        @JsonInclude(JsonInclude.Include.NON_NULL) java.util.List<String> then) {

    /** The same record, answering a submission: with the number of live workers that can run it now. */
    public TaskView withWorkers(int live) {
        return new TaskView(id, type, status, args, result, error, attempts, queue, priority, createdAt, startedAt,
                finishedAt, worker, retries, maxRetries, timeout, eta, expires, nextAttemptAt, progress, live, group, then);
    }

    /** Whether the task reached a status it never leaves. */
    @JsonIgnore
    public boolean isFinal() {
        return status != null && status.isFinal();
    }
}
