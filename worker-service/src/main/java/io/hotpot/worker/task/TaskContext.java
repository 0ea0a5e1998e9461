package io.hotpot.worker.task;

import io.quarkus.arc.Arc;

/**
 * What a handler may know about the run it is in.
 *
 * @param taskId  the task's id
 * @param attempt which attempt this is, from 1 (a redelivery after a crash counts too)
 * @param worker  the id of the worker running it
 * @param retries retries made before this attempt (0 on the first try)
 */
public record TaskContext(String taskId, int attempt, String worker, int retries) {

    /**
     * Reports how far the task has got: written to the record's {@code progress} field and
     * published as a task event (live on {@code /ws/tasks}). Ignored once the task is final.
     *
     * @param percent 0 to 100
     * @param message what it is doing, for people; cut to {@link io.hotpot.common.TaskProgress#MAX_MESSAGE} characters
     * @return whether the progress was recorded (false when the task is no longer running)
     */
    public boolean progress(int percent, String message) {
        // Looked up rather than carried as a component, so the runner that builds contexts stays as it is.
        return Arc.container().instance(ProgressStore.class).get().report(this, percent, message);
    }
}
