package io.hotpot.api.service;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.hotpot.common.TaskError;
import io.hotpot.common.TaskStatus;

/**
 * A dead letter as {@code GET /api/dead-letters} shows it.
 *
 * @param id       the task id (the message id), {@code null} when the message carried none
 * @param type     the task type, when the message could be read
 * @param group    the group the task is a member of ({@code POST /api/groups}), if any
 * @param queue    the logical queue it came from
 * @param reason   why RabbitMQ dead-lettered it ({@code rejected}: a worker gave it up)
 * @param deadAt   when it was dead-lettered
 * @param status   its task's status now, when its record is still there
 * @param attempts attempts its task made
 * @param error    the last error: from the task's record, or why the message could not be read
 * @param body     the message as it is, when it could not be read as a task
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetterView(String id, String type, String group, String queue, String reason, Instant deadAt, TaskStatus status,
        Integer attempts, TaskError error, String body) {
}
