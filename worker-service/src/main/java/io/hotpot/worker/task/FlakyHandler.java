package io.hotpot.worker.task;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.hotpot.common.Workload;

/**
 * {@code flaky}: fails its first {@code failures} tries, then succeeds; with
 * {@code permanent: true} it fails with a permanent error instead, which is never retried. For
 * operators to watch retries, back-off, {@code RETRY} records and dead letters without writing a
 * handler: {@code {"type":"flaky","args":{"failures":2}}} ends {@code SUCCESS} on its third try.
 * Three retries by default, like Celery's {@code max_retries}.
 */
@ApplicationScoped
public class FlakyHandler implements TaskHandler<FlakyHandler.Args> {

    /** How many tries fail before one succeeds, and whether the failure is permanent. */
    public record Args(int failures, Optional<Boolean> permanent) {
    }

    @Override
    public String type() {
        return "flaky";
    }

    @Override
    public Class<Args> argsType() {
        return Args.class;
    }

    @Override
    public Class<?> resultType() {
        return String.class;
    }

    @Override
    public Workload workload() {
        return Workload.IO;
    }

    @Override
    public int maxRetries() {
        return 3;
    }

    @Override
    public Object run(Args args, TaskContext context) throws Exception {
        if (context.retries() < args.failures()) {
            String message = "failing on purpose, try " + (context.retries() + 1) + " of the " + args.failures()
                    + " that fail";
            if (args.permanent().orElse(false)) {
                throw new PermanentTaskException(message);
            }
            throw new IllegalStateException(message);
        }
        return "succeeded after " + context.retries() + " retries";
    }
}
