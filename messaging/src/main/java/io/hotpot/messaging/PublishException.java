package io.hotpot.messaging;

/** A message RabbitMQ did not confirm: unreachable, refused (nack), or no confirm within the timeout. */
public class PublishException extends RuntimeException {
    private final boolean timedOut;

    public PublishException(String message, Throwable cause, boolean timedOut) {
        super(message, cause);
        this.timedOut = timedOut;
    }

    /**
     * Whether the confirm merely did not come in time: RabbitMQ may still hold the message, or the
     * connector may still send it, so the caller must make sure a late copy does not run.
     */
    public boolean timedOut() {
        return timedOut;
    }
}
