package io.hotpot.worker.task;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.TaskError;
import io.hotpot.common.TaskFields;
import io.hotpot.common.TaskMessage;
import io.hotpot.common.TaskStatus;
import io.hotpot.common.Workload;
import io.hotpot.worker.config.WorkerConfig;
import io.hotpot.worker.metrics.WorkerMetrics;

/**
 * Runs one task message to its recorded outcome: marks it started, runs its handler where its
 * workload belongs (virtual threads for I/O, the bounded pool for CPU), records the result or
 * the error. The returned stage completes only once the outcome is in Redis, and only then may
 * the message be acknowledged.
 */
@ApplicationScoped
public class TaskRunner {
    private static final Logger LOG = Logger.getLogger(TaskRunner.class);

    private final HandlerRegistry handlers;
    private final TaskStore store;
    private final ObjectMapper mapper;
    private final WorkerMetrics metrics;
    private final String workerId;
    private final int cpuThreads;
    private final ExecutorService io;
    private final ExecutorService cpu;
    private final AtomicInteger inFlight = new AtomicInteger();

    public TaskRunner(HandlerRegistry handlers, TaskStore store, ObjectMapper mapper, WorkerConfig config,
            WorkerMetrics metrics) {
        this.handlers = handlers;
        this.store = store;
        this.mapper = mapper;
        this.metrics = metrics;
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
     * the task was already final), and fails when the record could not be written: then the
     * message must go back to the queue.
     */
    public CompletableFuture<Void> run(TaskMessage task) {
        TaskHandler<?> handler = handlers.find(task.type()).orElse(null);
        ExecutorService where = handler == null || handler.workload() == Workload.CPU ? cpu : io;
        inFlight.incrementAndGet();
        try {
            return CompletableFuture.runAsync(TaskLogContext.around(task, () -> execute(task, handler)), where)
                    .whenComplete((ignored, e) -> inFlight.decrementAndGet());
        } catch (RuntimeException rejected) {
            inFlight.decrementAndGet();
            return CompletableFuture.failedFuture(rejected);
        }
    }

    private void execute(TaskMessage task, TaskHandler<?> handler) {
        Instant startedAt = Instant.now();
        TaskStore.Start start = store.start(task, workerId, startedAt);
        if (!start.shouldRun()) {
            LOG.infof("HOTPOT-WORKER-011 task %s is already %s; not running it again", task.id(), start.status());
            return;
        }
        long began = metrics.started(task, startedAt);
        TaskStatus status;
        String field;
        Object value;
        try {
            if (handler == null) {
                throw new UnknownTaskTypeException(task.type(), handlers.types().stream().map(t -> t.type()).toList());
            }
            value = invoke(handler, task, new TaskContext(task.id(), start.attempt(), workerId));
            status = TaskStatus.SUCCESS;
            field = TaskFields.RESULT;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            status = TaskStatus.FAILURE;
            field = TaskFields.ERROR;
            value = new TaskError(e.getClass().getName(), e.getMessage());
            LOG.infof("HOTPOT-WORKER-012 task %s (%s) failed on attempt %d: %s: %s [correlation %s]",
                    task.id(), task.type(), start.attempt(), e.getClass().getName(), e.getMessage(), task.correlationId());
        }
        metrics.finished(task, status, began);
        store.finish(task.id(), status, field, value, workerId, Instant.now());
    }

    private <A extends Record> Object invoke(TaskHandler<A> handler, TaskMessage task, TaskContext context)
            throws Exception {
        A args;
        try {
            args = mapper.treeToValue(task.args(), handler.argsType());
        } catch (Exception e) {
            throw new IllegalArgumentException("the arguments do not fit '" + task.type() + "': " + e.getMessage(), e);
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

    /** A task whose type no handler on this worker knows. */
    public static final class UnknownTaskTypeException extends Exception {
        UnknownTaskTypeException(String type, java.util.List<String> known) {
            super("no handler for the task type '" + type + "' on this worker (it has: " + String.join(", ", known) + ")");
        }
    }
}
