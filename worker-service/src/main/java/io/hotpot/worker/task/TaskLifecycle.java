package io.hotpot.worker.task;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import io.hotpot.common.TaskStatus;

/**
 * Every legal change of a task's status, in one place. Each change is a verb with the status it
 * leads to and the statuses it may start from; {@link TaskStore}'s Lua scripts receive that list
 * and refuse anything else, so no code path can move a task in a way this class does not list.
 *
 * <pre>
 *   PENDING ──start──► STARTED ──succeed──► SUCCESS
 *   SCHEDULED ─start─►    │  ├──fail──────► FAILURE
 *   RETRY ───start───►    │  └──retry─────► RETRY (waits in the due set, then start again)
 *   STARTED ─start─► STARTED (redelivered after its worker died: a new attempt)
 *   PENDING, SCHEDULED, RETRY ──expire──► REVOKED (not started before {@code expires})
 *   any non-final ──revoke──► REVOKED
 *   FAILURE ──requeue──► PENDING (an operator re-queues its dead letter)
 * </pre>
 * A record with no status yet (the worker was faster than api-service's first write) counts as
 * {@code PENDING}. Final statuses ({@link TaskStatus#isFinal()}) never change by themselves:
 * the one way back is an operator's {@link #REQUEUE} of a dead letter. api-service writes
 * {@code REVOKE} (TaskRecords) and {@code REQUEUE} (DeadLetterService) with the same source
 * statuses as listed here.
 */
public enum TaskLifecycle {
    /** A worker takes the task and begins an attempt. */
    START(TaskStatus.STARTED, TaskStatus.PENDING, TaskStatus.SCHEDULED, TaskStatus.RETRY, TaskStatus.STARTED),
    /** The attempt returned a result. */
    SUCCEED(TaskStatus.SUCCESS, TaskStatus.STARTED),
    /** The attempt failed and no retry is left (or the error is permanent). */
    FAIL(TaskStatus.FAILURE, TaskStatus.STARTED),
    /** The attempt failed and another one is due later. */
    RETRY(TaskStatus.RETRY, TaskStatus.STARTED),
    /** The task was not started before its {@code expires} time. */
    EXPIRE(TaskStatus.REVOKED, TaskStatus.PENDING, TaskStatus.SCHEDULED, TaskStatus.RETRY),
    /** Someone revoked it. */
    REVOKE(TaskStatus.REVOKED, TaskStatus.PENDING, TaskStatus.SCHEDULED, TaskStatus.RETRY, TaskStatus.STARTED),
    /** An operator re-queued the task's dead letter: it runs again, with its retries afresh. */
    REQUEUE(TaskStatus.PENDING, TaskStatus.FAILURE);

    private final TaskStatus to;
    private final Set<TaskStatus> from;

    TaskLifecycle(TaskStatus to, TaskStatus first, TaskStatus... rest) {
        this.to = to;
        this.from = Collections.unmodifiableSet(EnumSet.of(first, rest));
    }

    /** The status a task has after this change. */
    public TaskStatus to() {
        return to;
    }

    /** The statuses this change may start from. */
    public Set<TaskStatus> from() {
        return from;
    }

    /** Whether a task in {@code current} may make this change. */
    public boolean allowedFrom(TaskStatus current) {
        return from.contains(current);
    }

    /** The legal source statuses as the Lua scripts read them: names separated by commas, with commas around. */
    String fromForLua() {
        return from.stream().map(Enum::name).collect(Collectors.joining(",", ",", ","));
    }

    /** Whether some change leads from one status to the other. */
    public static boolean isLegal(TaskStatus from, TaskStatus to) {
        for (TaskLifecycle change : values()) {
            if (change.to == to && change.from.contains(from)) {
                return true;
            }
        }
        return false;
    }
}
