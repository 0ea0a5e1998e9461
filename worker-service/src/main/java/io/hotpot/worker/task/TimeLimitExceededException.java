package io.hotpot.worker.task;

import java.time.Duration;

/** An attempt ran past its time limit and was interrupted. It is retried like any other error. */
public class TimeLimitExceededException extends Exception {
    public TimeLimitExceededException(Duration limit) {
        super("the attempt ran longer than its time limit of " + limit.toMillis() / 1000.0 + " s and was interrupted");
    }
}
