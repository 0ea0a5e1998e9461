package io.hotpot.common;

/**
 * How far a running task has got, as its handler reports it. Stored in the record's
 * {@link TaskFields#PROGRESS} field and published on {@link RedisKeys#TASK_EVENTS_CHANNEL} as a
 * {@link TaskEvent} (status {@code STARTED}) with an extra {@code progress} object.
 *
 * @param percent 0 to 100
 * @param message what it is doing, for people (at most {@link #MAX_MESSAGE} characters)
 */
public record TaskProgress(int percent, String message) {
    /** Longest progress message kept. */
    public static final int MAX_MESSAGE = 500;
}
