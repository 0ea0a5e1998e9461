package io.hotpot.common;

/**
 * The states of a task, named as Celery names them so its users read them at a glance.
 * Which transitions are legal is the worker's business ({@code io.hotpot.worker.task.TaskLifecycle});
 * this enum only says which states are final.
 */
public enum TaskStatus {
    /** Accepted and published; no worker has started it yet. */
    PENDING,
    /** Waiting for its countdown or eta. */
    SCHEDULED,
    /** A worker is running it. */
    STARTED,
    /** An attempt failed; another one is due at {@code nextAttemptAt}. */
    RETRY,
    /** Finished with a result. */
    SUCCESS,
    /** Finished with an error that will not be retried. */
    FAILURE,
    /** Revoked or expired before it could finish. */
    REVOKED;

    /** Whether a task in this state will never change again. */
    public boolean isFinal() {
        return this == SUCCESS || this == FAILURE || this == REVOKED;
    }
}
