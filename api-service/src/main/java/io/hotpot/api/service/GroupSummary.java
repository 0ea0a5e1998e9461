package io.hotpot.api.service;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.hotpot.common.TaskStatus;

/**
 * A group as {@code GET /api/groups} lists it: its progress without its tasks (those are in
 * {@code GET /api/groups/{id}}), read from counters the group keeps, so listing a group of 10,000
 * reads no task record.
 *
 * @param id        the group's id
 * @param createdAt when it was accepted
 * @param total     how many tasks it has
 * @param finished  how many are final
 * @param progress  finished of total, in percent (rounded down)
 * @param counts    how many ended in each final status (SUCCESS, FAILURE, REVOKED)
 * @param done      whether every task is final, and the callback when there is one
 * @param then      the chord's callback, when the group has one: its id, type and status
 */
public record GroupSummary(String id, Instant createdAt, int total, int finished, int progress,
        Map<TaskStatus, Long> counts, boolean done, @JsonInclude(JsonInclude.Include.NON_NULL) GroupView.Member then) {

    static GroupSummary of(String id, Instant createdAt, int total, int finished, Map<TaskStatus, Long> counts,
            GroupView.Member then) {
        return new GroupSummary(id, createdAt, total, finished, total == 0 ? 100 : finished * 100 / total, counts,
                finished >= total && (then == null || then.isFinal()), then);
    }
}
