package io.hotpot.api.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import io.hotpot.common.TaskError;
import io.hotpot.common.TaskStatus;

/**
 * A group as {@code GET /api/groups/{id}} shows it.
 *
 * @param id        the group's id
 * @param createdAt when it was accepted
 * @param total     how many tasks it has
 * @param counts    how many are in each status
 * @param finished  how many are final (SUCCESS, FAILURE or REVOKED), or gone (their record expired)
 * @param progress  finished of total, in percent (rounded down)
 * @param done      whether every task is final, and the callback when there is one
 * @param tasks     every task in the order submitted: its id, type, status, and its result or error
 * @param then      the chord's callback, when the group has one: {@code SCHEDULED} until every task is
 *                  final, then run once with their results
 * @param chordError {@code fail} (a task that did not succeed keeps the callback from running) or
 *                  {@code continue}; with a callback only
 */
public record GroupView(String id, Instant createdAt, int total, Map<TaskStatus, Long> counts, int finished,
        int progress, boolean done, List<Member> tasks, @JsonInclude(JsonInclude.Include.NON_NULL) Member then,
        @JsonInclude(JsonInclude.Include.NON_NULL) String chordError) {

    /**
     * One task of the group.
     *
     * @param status {@code null} when its record expired
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Member(String id, String type, TaskStatus status, JsonNode result, TaskError error) {
        boolean isFinal() {
            return status == null || status.isFinal();
        }
    }

    static GroupView of(String id, Instant createdAt, int total, Map<TaskStatus, Long> counts, List<Member> tasks,
            Member then, String chordError) {
        int finished = (int) tasks.stream().filter(Member::isFinal).count();
        return new GroupView(id, createdAt, total, counts, finished, total == 0 ? 100 : finished * 100 / total,
                finished == total && (then == null || then.isFinal()), tasks, then, chordError);
    }
}
