package io.hotpot.worker.task;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Whether a failed attempt is tried again, and when: exponential back-off from {@code base},
 * doubling per retry up to {@code cap}, with "equal jitter" (half the delay fixed, half random)
 * so a burst of failures does not come back as a burst, yet no retry comes sooner than half its
 * delay.
 *
 * @param base first delay
 * @param cap  longest delay
 */
public record RetryPolicy(Duration base, Duration cap) {

    public RetryPolicy {
        if (base.isNegative() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("retry back-off needs 0 <= base <= cap, got base " + base + ", cap " + cap);
        }
    }

    /**
     * The delay before the next attempt, or empty when the task must fail now.
     *
     * @param error      why the attempt failed
     * @param retries    retries already made
     * @param maxRetries retries allowed
     */
    public Optional<Duration> nextDelay(Throwable error, int retries, int maxRetries) {
        if (error instanceof PermanentTaskException || retries >= maxRetries) {
            return Optional.empty();
        }
        long full = backoffMillis(retries);
        long half = full / 2;
        return Optional.of(Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(full - half + 1)));
    }

    /** The delay before retry number {@code retries + 1} without jitter: base × 2^retries, at most cap. */
    long backoffMillis(int retries) {
        long delay = base.toMillis();
        for (int i = 0; i < retries && delay < cap.toMillis(); i++) {
            delay *= 2;
        }
        return Math.min(delay, cap.toMillis());
    }
}
