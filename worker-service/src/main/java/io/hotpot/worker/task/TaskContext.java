package io.hotpot.worker.task;

import java.util.List;

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

    /**
     * Runs {@code call} for every item at once, {@code hotpot.tasks.fan-out.parallelism} at a time
     * (50 by default), each on a virtual thread of its own; see {@link #fanOut(List, int, FanOut.Call)}.
     */
    public <T, R> List<R> fanOut(List<T> items, FanOut.Call<T, R> call) throws Exception {
        FanOut fanOut = Arc.container().instance(FanOut.class).get();
        return fanOut.run(this, items, fanOut.parallelism(), call);
    }

    /**
     * Runs {@code call} for every item, at most {@code parallelism} at once, each on a virtual thread
     * of its own, and returns the results in the items' order once every call has returned. Meant
     * for I/O: HTTP requests, mails, rows to look up. The first call that throws cancels the rest
     * (running ones are interrupted, the others never start) and its exception is thrown once they
     * have ended; so does the attempt's time limit, a revoke or the worker stopping, as an
     * {@link InterruptedException}. Nothing started here runs on after this returns or throws.
     * Progress ("12 of 200 calls done") is reported as calls finish. A call that should not stop
     * the others catches its own errors and returns them as its result (the {@code webhook}
     * handler does).
     *
     * @param parallelism from 1 to {@code hotpot.tasks.fan-out.max-parallelism} (1000 by default)
     */
    public <T, R> List<R> fanOut(List<T> items, int parallelism, FanOut.Call<T, R> call) throws Exception {
        return Arc.container().instance(FanOut.class).get().run(this, items, parallelism, call);
    }
}
