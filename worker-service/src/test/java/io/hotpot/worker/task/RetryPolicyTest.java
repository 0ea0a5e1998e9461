package io.hotpot.worker.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(10));

    @Test
    void backOffDoublesUpToTheCap() {
        assertEquals(1000, policy.backoffMillis(0));
        assertEquals(2000, policy.backoffMillis(1));
        assertEquals(8000, policy.backoffMillis(3));
        assertEquals(10_000, policy.backoffMillis(4));
        assertEquals(10_000, policy.backoffMillis(1000));
    }

    @Test
    void jitterStaysBetweenHalfAndAllOfTheDelay() {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            long delay = policy.nextDelay(new IllegalStateException(), 2, 5).orElseThrow().toMillis();
            assertTrue(delay >= 2000 && delay <= 4000, delay + " ms");
            seen.add(delay);
        }
        assertTrue(seen.size() > 10, "the delays vary");
    }

    @Test
    void noRetryWhenExhaustedOrPermanent() {
        assertTrue(policy.nextDelay(new IllegalStateException(), 3, 3).isEmpty());
        assertTrue(policy.nextDelay(new IllegalStateException(), 0, 0).isEmpty());
        assertTrue(policy.nextDelay(new PermanentTaskException("no"), 0, 5).isEmpty());
        assertTrue(policy.nextDelay(new TimeLimitExceededException(Duration.ofSeconds(1)), 0, 1).isPresent());
    }

    @Test
    void aCapBelowTheBaseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(Duration.ofSeconds(5), Duration.ofSeconds(1)));
    }
}
