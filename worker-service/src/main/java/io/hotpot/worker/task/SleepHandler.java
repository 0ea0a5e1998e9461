package io.hotpot.worker.task;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.hotpot.common.Workload;

/**
 * {@code sleep}: waits, standing for an e-mail or an HTTP call. I/O-bound, so it holds a virtual
 * thread, not a platform one: one worker runs hundreds at once.
 */
@ApplicationScoped
public class SleepHandler implements TaskHandler<SleepHandler.Args> {
    static final double MAX_SECONDS = 3600;

    /** How long to wait, 0 to 3600 seconds. */
    public record Args(double seconds) {
    }

    @Override
    public String type() {
        return "sleep";
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
    public Object run(Args args, TaskContext context) throws InterruptedException {
        if (!(args.seconds() >= 0 && args.seconds() <= MAX_SECONDS)) {
            throw new IllegalArgumentException("seconds must be from 0 to " + (int) MAX_SECONDS + ", got " + args.seconds());
        }
        Thread.sleep(Duration.ofNanos((long) (args.seconds() * 1_000_000_000L)));
        return "slept " + args.seconds() + " s";
    }
}
