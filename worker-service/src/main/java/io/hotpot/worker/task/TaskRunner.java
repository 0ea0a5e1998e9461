package io.hotpot.worker.task;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.ResultReferences;
import io.hotpot.common.TaskError;
import io.hotpot.common.TaskMessage;
import io.hotpot.common.TaskStatus;
import io.hotpot.common.Workload;
import io.hotpot.worker.config.WorkerConfig;
import io.hotpot.worker.metrics.WorkerMetrics;

/**
 * Runs one task message to its recorded outcome: marks it started, runs its handler where its
 * workload belongs (virtual threads for I/O, the bounded pool for CPU) under its time limit,
 * records the result, or the error and then either the next attempt (by the {@link RetryPolicy})
 * or the failure. The returned stage completes only once the outcome is in Redis, and only then may
 * the message be acknowledged.
 */
@ApplicationScoped
public class TaskRunner {
    private static final Logger LOG = Logger.getLogger(TaskRunner.class);

    private final HandlerRegistry handlers;
    private final GroupGate groups;
    private final TaskStore store;
    private final ObjectMapper mapper;
    private final WorkerMetrics metrics;
    private final RetryPolicy retryPolicy;
    private final Duration defaultTimeLimit;
    private final String workerId;
    private final int cpuThreads;
    private final ExecutorService io;
    private final ExecutorService cpu;
    private final ScheduledExecutorService alarms = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("hotpot-time-limits").daemon().factory());
    /** Takes and renews the leases of long attempts; apart from the alarms, so a slow Redis never delays a time limit. */
    private final ScheduledExecutorService leases = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("hotpot-leases").daemon().factory());
    private final Duration leaseAfter;
    private final Duration leaseLength;
    private final Duration recordRetry;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean stopping;
    /** The attempts running now, by task id, so a revoke can stop one. */
    private final Map<String, Attempt> running = new ConcurrentHashMap<>();

    public TaskRunner(HandlerRegistry handlers, GroupGate groups, TaskStore store, ObjectMapper mapper, WorkerConfig config,
            WorkerMetrics metrics) {
        this.handlers = handlers;
        this.groups = groups;
        this.store = store;
        this.mapper = mapper;
        this.metrics = metrics;
        this.retryPolicy = new RetryPolicy(config.tasks().retryBase(), config.tasks().retryCap());
        this.defaultTimeLimit = config.tasks().timeLimit();
        this.leaseAfter = config.worker().leaseAfter();
        this.leaseLength = config.worker().lease();
        this.recordRetry = config.worker().recordRetry();
        this.workerId = config.worker().id().orElseGet(TaskRunner::defaultId);
        this.cpuThreads = config.worker().cpuThreads().orElse(Runtime.getRuntime().availableProcessors());
        this.io = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("task-io-", 0).factory());
        this.cpu = Executors.newFixedThreadPool(cpuThreads, Thread.ofPlatform().name("task-cpu-", 0).factory());
    }

    /** This worker's id, as written in records and heartbeats. */
    public String workerId() {
        return workerId;
    }

    public int cpuThreads() {
        return cpuThreads;
    }

    /** Tasks running or waiting for a CPU thread right now. */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Runs a task. The stage completes when the outcome is recorded (or when the record shows
     * the task was already final), and fails when the record could not be written within
     * {@code hotpot.worker.record-retry}, or the worker stopped: then the
     * message must go back to the queue.
     */
    public CompletableFuture<Outcome> run(TaskMessage task) {
        return run(task, null);
    }

    /**
     * Runs a task whose delivery {@code earlyAck} acknowledges. An attempt still running after
     * {@code hotpot.worker.lease-after} is converted to a lease (docs/decisions/0031): its message
     * goes into the due set, due after {@code hotpot.worker.lease}, and only then is
     * {@code earlyAck} called, at most once; the lease is renewed while the attempt runs and
     * dropped by the script that records its outcome. When {@code earlyAck} was called, the
     * delivery is settled: the caller must not ack, nack or reject it again. {@code null}: never
     * leased.
     */
    public CompletableFuture<Outcome> run(TaskMessage task, Runnable earlyAck) {
        TaskHandler<?> handler = handlers.find(task.type()).orElse(null);
        ExecutorService where = handler == null || handler.workload() == Workload.CPU ? cpu : io;
        inFlight.incrementAndGet();
        try {
            CompletableFuture<Boolean> admitted = task.group() == null ? CompletableFuture.completedFuture(true)
                    : CompletableFuture.supplyAsync(TaskLogContext.around(task, () -> admitted(task)), io);
            return admitted
                    .thenCompose(run -> run
                            ? CompletableFuture.supplyAsync(TaskLogContext.around(task, () -> execute(task, handler, earlyAck)), where)
                            : CompletableFuture.completedFuture(Outcome.ACK))
                    .whenComplete((ignored, e) -> inFlight.decrementAndGet());
        } catch (RuntimeException rejected) {
            inFlight.decrementAndGet();
            return CompletableFuture.failedFuture(rejected);
        }
    }

    /** Whether a member of a group may run: once its group is committed; never when it was abandoned. */
    private boolean admitted(TaskMessage task) {
        try {
            if (groups.admits(task)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the worker stopped while task " + task.id() + " waited for its group", e);
        }
        LOG.infof("HOTPOT-WORKER-080 task %s belongs to the group %s, whose submission failed: not running it", task.id(),
                task.group());
        return false;
    }

    /** The ids of the tasks running here now. */
    public java.util.List<String> runningIds() {
        return java.util.List.copyOf(running.keySet());
    }

    /**
     * Interrupts the attempt of a task running on this worker, if there is one; its record then
     * becomes {@code REVOKED}. Returns whether an attempt was running here.
     */
    public boolean revoke(String taskId) {
        Attempt attempt = running.get(taskId);
        return attempt != null && attempt.stop(Attempt.REVOKED);
    }

    /** What to do with the message once its outcome is recorded. */
    public enum Outcome {
        /** Done with it: acknowledge. */
        ACK,
        /** It failed for good and is worth keeping: reject it into the dead letters. */
        DEAD_LETTER
    }

    private Outcome execute(TaskMessage task, TaskHandler<?> handler, Runnable earlyAck) {
        Instant startedAt = Instant.now();
        TaskStore.Start start = written(task, "start", () -> store.start(task, workerId, startedAt,
                handler == null ? Set.of() : handler.sensitiveArgs()));
        if (!start.shouldRun()) {
            LOG.infof("HOTPOT-WORKER-011 task %s is %s; not running it", task.id(), start.status());
            return Outcome.ACK;
        }
        long began = metrics.started(task, startedAt);
        Duration limit = timeLimit(task, handler);
        Attempt attempt = new Attempt(Thread.currentThread());
        running.put(task.id(), attempt);
        ScheduledFuture<?> alarm = alarms.schedule(() -> attempt.stop(Attempt.TIMED_OUT), limit.toNanos(),
                TimeUnit.NANOSECONDS);
        Lease lease = earlyAck == null ? null : new Lease(task, start.attempt(), earlyAck);
        boolean leased = false;
        Object value = null;
        Exception error = null;
        try {
            if (handler == null) {
                throw new UnknownTaskTypeException(task.type(), handlers.types().stream().map(t -> t.type()).toList());
            }
            value = invoke(handler, task, new TaskContext(task.id(), start.attempt(), workerId, task.retries()));
        } catch (Exception e) {
            error = e;
        } finally {
            alarm.cancel(false);
            running.remove(task.id());
            if (lease != null) {
                leased = lease.end();
            }
        }
        int stoppedBy = attempt.finish();
        boolean held = leased; // whether the outcome script must drop the attempt's lease
        if (stopping && error != null && stoppedBy == Attempt.RUNNING) {
            // Interrupted by the shutdown after the grace period: not the task's fault, RabbitMQ redelivers it
            // (a leased one: the scheduler's leader publishes it again when its lease, no longer renewed, lapses).
            throw new IllegalStateException("the worker stopped during the attempt", error);
        }
        Instant now = Instant.now();
        if (stoppedBy == Attempt.REVOKED) {
            LOG.infof("HOTPOT-WORKER-014 task %s revoked while running; its handler was interrupted", task.id());
            written(task, "revocation", () -> store.revoke(task.id(), new TaskError("Revoked", "revoked while running on "
                    + workerId), workerId, now, held));
            metrics.finished(task, TaskStatus.REVOKED, began);
            return Outcome.ACK;
        }
        if (error == null) {
            Object result = value;
            written(task, "result", () -> store.succeed(task.id(), result, workerId, now, held));
            metrics.finished(task, TaskStatus.SUCCESS, began);
            return Outcome.ACK;
        }
        if (stoppedBy == Attempt.TIMED_OUT) {
            error = new TimeLimitExceededException(limit);
        }
        TaskError recorded = new TaskError(error.getClass().getName(), error.getMessage());
        int maxRetries = task.maxRetries() != null ? task.maxRetries() : handler == null ? 0 : handler.maxRetries();
        Optional<Duration> delay = retryPolicy.nextDelay(error, task.retries(), maxRetries);
        if (delay.isPresent()) {
            Instant next = now.plus(delay.get());
            LOG.infof("HOTPOT-WORKER-013 task %s (%s) failed on attempt %d (%s: %s); retry %d of %d at %s [correlation %s]",
                    task.id(), task.type(), start.attempt(), recorded.type(), recorded.message(), task.retries() + 1,
                    maxRetries, next, task.correlationId());
            written(task, "retry", () -> store.retry(task.nextRetry(), recorded, next, workerId, now, held));
            metrics.finished(task, TaskStatus.RETRY, began);
            return Outcome.ACK;
        }
        LOG.infof("HOTPOT-WORKER-012 task %s (%s) failed on attempt %d: %s: %s [correlation %s]",
                task.id(), task.type(), start.attempt(), recorded.type(), recorded.message(), task.correlationId());
        written(task, "failure", () -> store.fail(task.id(), recorded, workerId, now, held));
        metrics.finished(task, TaskStatus.FAILURE, began);
        // Kept as a dead letter: retries used up, or rejected (no handler, arguments that do not fit).
        // A handler's own permanent error is an answer, not a loss: recorded, not kept.
        boolean rejected = error instanceof UnknownTaskTypeException || error instanceof ArgumentsException;
        return rejected || !(error instanceof PermanentTaskException) ? Outcome.DEAD_LETTER : Outcome.ACK;
    }

    /**
     * Fails a task without running it: its deliveries were returned {@code deliveries} times without
     * an outcome (its worker died or lost its connection each time: a poison task), which is the
     * delivery limit. {@link Outcome#DEAD_LETTER} once recorded as {@code FAILURE}; {@link Outcome#ACK}
     * when the record was final already (a duplicate of a finished task).
     */
    public CompletableFuture<Outcome> giveUp(TaskMessage task, long deliveries) {
        inFlight.incrementAndGet();
        return CompletableFuture.supplyAsync(TaskLogContext.around(task, () -> {
            TaskError error = new TaskError("DeliveryLimitExceeded", "delivered " + deliveries
                    + " times without an outcome (its worker died or lost its connection each time); not run again");
            LOG.errorf("HOTPOT-WORKER-036 task %s (%s) was delivered %d times without an outcome: recording FAILURE and "
                    + "keeping it among the dead letters instead of running it again [correlation %s]", task.id(), task.type(),
                    deliveries, task.correlationId());
            TaskStatus after = written(task, "failure", () -> store.fail(task.id(), error, workerId, Instant.now(), false));
            return after == TaskStatus.FAILURE ? Outcome.DEAD_LETTER : Outcome.ACK;
        }), io).whenComplete((ignored, e) -> inFlight.decrementAndGet());
    }

    /**
     * One write of the task's record, tried again while Redis does not answer, up to
     * {@code hotpot.worker.record-retry}: the delivery is held meanwhile, so a Redis failover does
     * not send a finished task back to RabbitMQ to run again (nor count against a delivery limit).
     * Past it, or when the worker stops, the failure goes to the caller and the delivery back to RabbitMQ.
     */
    private <T> T written(TaskMessage task, String what, Supplier<T> write) {
        long deadline = System.nanoTime() + recordRetry.toNanos();
        long pauseMs = 250;
        while (true) {
            try {
                return write.get();
            } catch (IllegalArgumentException e) {
                throw e; // not Redis: a value that cannot be written, the same every time
            } catch (RuntimeException e) {
                if (stopping || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pauseMs) > deadline) {
                    throw e;
                }
                LOG.warnf("HOTPOT-WORKER-035 task %s: its %s could not be written to Redis (%s); holding the delivery and "
                        + "trying again in %d ms", task.id(), what, e.getMessage(), pauseMs);
                try {
                    Thread.sleep(pauseMs);
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                pauseMs = Math.min(pauseMs * 2, 5000);
            }
        }
    }

    private Duration timeLimit(TaskMessage task, TaskHandler<?> handler) {
        if (task.timeout() != null) {
            return Duration.ofMillis(Math.round(task.timeout() * 1000));
        }
        return handler == null ? defaultTimeLimit : handler.timeout().orElse(defaultTimeLimit);
    }

    /**
     * One running attempt and who stopped it, if anyone: the time limit or a revoke. Stopping
     * and finishing exclude each other, so an interrupt never lands after the attempt is over
     * (on a pool thread it would hit the next task).
     */
    private static final class Attempt {
        static final int RUNNING = 0;
        static final int TIMED_OUT = 1;
        static final int REVOKED = 2;
        static final int DONE = 3;

        private final Thread thread;
        private int state = RUNNING;
        private int stoppedBy = RUNNING;

        Attempt(Thread thread) {
            this.thread = thread;
        }

        synchronized boolean stop(int why) {
            if (state != RUNNING) {
                return false;
            }
            state = why;
            stoppedBy = why;
            thread.interrupt();
            return true;
        }

        /** Ends the attempt; returns who stopped it ({@link #RUNNING} when nobody did). */
        synchronized int finish() {
            state = DONE;
            Thread.interrupted(); // clear an interrupt the handler did not consume
            return stoppedBy;
        }
    }

    /**
     * The lease of one attempt: taken after {@link #leaseAfter} (then the delivery is acked),
     * renewed every third of {@link #leaseLength}, and ended with the attempt. Taking, renewing
     * and ending exclude each other, so the outcome script always knows whether a lease is held.
     */
    private final class Lease {
        private final TaskMessage task;
        private final int attempt;
        private final Runnable ack;
        private final Duration renewEvery = leaseLength.dividedBy(3);
        private boolean held;
        private boolean ended;
        private ScheduledFuture<?> next;

        Lease(TaskMessage task, int attempt, Runnable ack) {
            this.task = task;
            this.attempt = attempt;
            this.ack = ack;
            later(this::take, leaseAfter);
        }

        private synchronized void later(Runnable step, Duration after) {
            if (ended) {
                return;
            }
            try {
                next = leases.schedule(TaskLogContext.around(task, () -> {
                    step.run();
                    return null;
                })::get, after.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RuntimeException stopping) {
                // the worker is stopping: no lease, the delivery stays unacknowledged
            }
        }

        private synchronized void take() {
            if (ended) {
                return;
            }
            Instant until = Instant.now().plus(leaseLength);
            try {
                if (!store.lease(task, workerId, attempt, until)) {
                    // A newer attempt has the task (a duplicate delivery of an at-least-once step) or it is
                    // final: this delivery is not needed again. Held unacknowledged, it would outlive
                    // RabbitMQ's consumer_timeout, whose closing of the channel requeues every delivery on it.
                    LOG.infof("HOTPOT-WORKER-062 task %s is no longer STARTED here in attempt %d; not leasing it, "
                            + "acknowledging its delivery", task.id(), attempt);
                    ack.run();
                    return;
                }
            } catch (RuntimeException e) {
                LOG.warnf("HOTPOT-WORKER-063 task %s: its lease could not be taken (%s); trying again in %s",
                        task.id(), e.getMessage(), renewEvery);
                later(this::take, renewEvery);
                return;
            }
            held = true;
            ack.run();
            LOG.infof("HOTPOT-WORKER-060 task %s has run for %s: its delivery is acknowledged, it holds a lease until %s",
                    task.id(), leaseAfter, until);
            later(this::renew, renewEvery);
        }

        private synchronized void renew() {
            if (ended) {
                return;
            }
            try {
                if (!store.renewLease(task.id(), workerId, attempt, Instant.now().plus(leaseLength))) {
                    LOG.warnf("HOTPOT-WORKER-064 task %s: its lease is gone (the record changed or the lease lapsed); "
                            + "no longer renewing it", task.id());
                    return;
                }
            } catch (RuntimeException e) {
                LOG.warnf("HOTPOT-WORKER-065 task %s: its lease could not be renewed (%s); trying again", task.id(),
                        e.getMessage());
            }
            later(this::renew, renewEvery);
        }

        /** No more taking or renewing; whether a lease is held (the outcome script drops it). */
        synchronized boolean end() {
            ended = true;
            if (next != null) {
                next.cancel(false);
            }
            return held;
        }
    }

    private <A extends Record> Object invoke(TaskHandler<A> handler, TaskMessage task, TaskContext context)
            throws Exception {
        A args;
        JsonNode given = task.args();
        if (task.previousResult() != null) {
            // A later task of a chain: "$result" arguments stand for the result of the task before.
            try {
                given = ResultReferences.resolve(given, task.previousResult());
            } catch (IllegalArgumentException e) {
                throw new ArgumentsException(e.getMessage(), e);
            }
        }
        try {
            args = mapper.treeToValue(given, handler.argsType());
        } catch (Exception e) {
            throw new ArgumentsException("the arguments do not fit '" + task.type() + "': " + e.getMessage(), e);
        }
        return handler.run(args, context);
    }

    /** Stops taking work and waits up to {@code grace} for running tasks. */
    public boolean drain(java.time.Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return inFlight.get() == 0;
    }

    @PreDestroy
    void stop() {
        stopNow();
    }

    /**
     * Ends the running attempts now (the shutdown's grace period is over): their handlers are
     * interrupted and record no outcome, so RabbitMQ redelivers them, to another worker.
     */
    public void stopNow() {
        stopping = true;
        alarms.shutdownNow();
        leases.shutdownNow();
        io.shutdownNow();
        cpu.shutdownNow();
        try {
            cpu.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String defaultId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                host = "worker";
            }
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    /** Arguments the handler cannot read (api-service checks them first; a message from elsewhere may not fit). */
    public static final class ArgumentsException extends PermanentTaskException {
        ArgumentsException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A task whose type no handler on this worker knows. */
    public static final class UnknownTaskTypeException extends PermanentTaskException {
        UnknownTaskTypeException(String type, java.util.List<String> known) {
            super("no handler for the task type '" + type + "' on this worker (it has: " + String.join(", ", known) + ")");
        }
    }
}
