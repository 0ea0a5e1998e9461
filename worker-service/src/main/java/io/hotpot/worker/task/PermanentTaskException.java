package io.hotpot.worker.task;

/**
 * An error that another attempt cannot cure (bad input, a refused request, a missing handler):
 * a handler throws it, or one that extends it, and the task fails at once, whatever retries it
 * has left. Any other exception is retried while the task's {@code maxRetries} allow.
 */
public class PermanentTaskException extends Exception {
    public PermanentTaskException(String message) {
        super(message);
    }

    public PermanentTaskException(String message, Throwable cause) {
        super(message, cause);
    }
}
