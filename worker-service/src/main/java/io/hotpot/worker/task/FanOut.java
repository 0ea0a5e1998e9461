package io.hotpot.worker.task;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.hotpot.worker.config.WorkerConfig;
import io.quarkus.arc.Arc;
import io.quarkus.arc.Unremovable;

/**
 * Runs many calls of one task at once, for {@link TaskContext#fanOut}: each call on a virtual
 * thread of its own, at most {@code parallelism} at a time, the results in the items' order.
 * Structured: it returns or throws only once every call it started has ended, so nothing of a
 * task outlives its attempt. The first call that throws cancels the rest (those running are
 * interrupted, the others never start) and its exception is thrown; an interrupt of the task's
 * thread (its time limit, a revoke, the worker stopping) does the same and throws
 * {@link InterruptedException}. Progress is reported as calls finish, at most twice a second.
 */
@ApplicationScoped
@Unremovable // looked up by TaskContext, never injected
public class FanOut {
    private static final Logger LOG = Logger.getLogger(FanOut.class);
    /** Least time between two progress reports of one fan-out. */
    static final long REPORT_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /** One call: an I/O operation for one item. */
    @FunctionalInterface
    public interface Call<T, R> {
        R apply(T item) throws Exception;
    }

    /** Where a fan-out reports how many of its calls are done. */
    @FunctionalInterface
    interface Progress {
        void report(int done, int total);
    }

    private final int parallelism;
    private final int maxParallelism;

    @Inject
    public FanOut(WorkerConfig config) {
        this(config.tasks().fanOut().parallelism(), config.tasks().fanOut().maxParallelism());
    }

    FanOut(int parallelism, int maxParallelism) {
        if (maxParallelism < 1 || parallelism < 1 || parallelism > maxParallelism) {
            throw new IllegalArgumentException("hotpot.tasks.fan-out needs 1 <= parallelism <= max-parallelism, got "
                    + parallelism + " and " + maxParallelism);
        }
        this.parallelism = parallelism;
        this.maxParallelism = maxParallelism;
    }

    /** Calls at once unless a handler asks for another number ({@code hotpot.tasks.fan-out.parallelism}). */
    public int parallelism() {
        return parallelism;
    }

    /** Checks a parallelism a handler asks for; the message names the setting that bounds it. */
    public void check(int asked) {
        if (asked < 1 || asked > maxParallelism) {
            throw new IllegalArgumentException("parallelism must be from 1 to " + maxParallelism
                    + " (hotpot.tasks.fan-out.max-parallelism), got " + asked);
        }
    }

    <T, R> List<R> run(TaskContext context, List<T> items, int limit, Call<T, R> call) throws Exception {
        check(limit);
        ProgressStore store = Arc.container().instance(ProgressStore.class).get();
        return run(context.taskId(), items, limit, call, (done, total) -> store.report(context, done * 100 / total,
                done + " of " + total + " calls done"));
    }

    /** The fan-out itself; {@code progress} is told of finished calls (from the calls' threads, never at once by two). */
    static <T, R> List<R> run(String taskId, List<T> items, int limit, Call<T, R> call, Progress progress)
            throws Exception {
        int total = items.size();
        if (total == 0) {
            return List.of();
        }
        Object[] results = new Object[total];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicBoolean cancelled = new AtomicBoolean();
        // Each of the calls' threads puts one entry here when it stops: null when it ran out of items, else what it threw.
        LinkedBlockingQueue<Object> stopped = new LinkedBlockingQueue<>();
        Reporter reporter = new Reporter(progress, total);
        Map<String, Object> mdc = MDC.getMap(); // a copy: the correlation id, for the calls' log lines
        int threads = Math.min(limit, total);
        ExecutorService pool = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("task-call-", 0).factory());
        Throwable failure = null;
        boolean interrupted = false;
        try {
            for (int t = 0; t < threads; t++) {
                pool.execute(() -> {
                    mdc.forEach(MDC::put);
                    Object end = null;
                    try {
                        for (int i = next.getAndIncrement(); i < total && !cancelled.get(); i = next.getAndIncrement()) {
                            results[i] = call.apply(items.get(i));
                            reporter.finished(done.incrementAndGet());
                        }
                    } catch (Throwable e) {
                        end = e;
                    }
                    stopped.add(end == null ? Boolean.TRUE : end);
                });
            }
            for (int ended = 0; ended < threads; ended++) {
                Object end = stopped.take();
                if (end instanceof Throwable thrown) {
                    failure = thrown;
                    break;
                }
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            cancelled.set(true);
            pool.shutdownNow();
            interrupted |= awaitEnd(pool, taskId);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            throw new InterruptedException("task " + taskId + " was stopped; its outstanding calls were cancelled");
        }
        if (failure != null) {
            if (failure instanceof Exception exception) {
                throw exception;
            }
            throw (Error) failure;
        }
        reporter.last(done.get());
        @SuppressWarnings("unchecked")
        List<R> list = (List<R>) Collections.unmodifiableList(Arrays.asList(results));
        return list;
    }

    /** Waits until every call's thread has ended; true when the waiting thread was interrupted meanwhile. */
    private static boolean awaitEnd(ExecutorService pool, String taskId) {
        boolean interrupted = false;
        long warnAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.SECONDS)) {
                    return interrupted;
                }
                if (System.nanoTime() > warnAt) {
                    LOG.warnf("HOTPOT-WORKER-070 task %s: a cancelled call has not ended after 10 s; a call must end when "
                            + "its thread is interrupted", taskId);
                    warnAt = Long.MAX_VALUE;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
    }

    /**
     * Progress of one fan-out: at most one report at a time and one per {@link #REPORT_EVERY_NANOS}, never
     * going back; a call that finds another report under way goes on without reporting.
     */
    private static final class Reporter {
        private final Progress progress;
        private final int total;
        private final ReentrantLock lock = new ReentrantLock();
        private volatile long lastAt = System.nanoTime();
        private int lastDone;

        Reporter(Progress progress, int total) {
            this.progress = progress;
            this.total = total;
        }

        void finished(int done) {
            if (System.nanoTime() - lastAt < REPORT_EVERY_NANOS || !lock.tryLock()) {
                return;
            }
            try {
                if (done > lastDone && System.nanoTime() - lastAt >= REPORT_EVERY_NANOS) {
                    send(done);
                }
            } finally {
                lock.unlock();
            }
        }

        /** Every call done: the last count is always reported. */
        void last(int done) {
            lock.lock();
            try {
                if (done > lastDone) {
                    send(done);
                }
            } finally {
                lock.unlock();
            }
        }

        private void send(int done) {
            lastAt = System.nanoTime();
            lastDone = done;
            try {
                progress.report(done, total);
            } catch (RuntimeException e) {
                // Progress is for people watching; a missed report must not fail the calls.
                LOG.debugf("progress of a fan-out not reported: %s", e.getMessage());
            }
        }
    }
}
