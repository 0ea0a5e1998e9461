package io.hotpot.api.service;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.TaskStatus;
import io.hotpot.common.Telemetry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * Requests waiting for a task to finish ({@code ?wait=}), keyed by task id. A waiter is a future
 * completed by the task's final event (fed by {@link io.hotpot.api.events.TaskEventSubscriber});
 * its time limit is a timer, so a waiting request holds no thread, and Redis is read twice per
 * wait: once after registering (the task may have finished before) and once at the end.
 */
@ApplicationScoped
public class TaskWaiters {
    private static final Logger LOG = Logger.getLogger(TaskWaiters.class);

    private final Map<String, Set<CompletableFuture<Void>>> waiting = new ConcurrentHashMap<>();
    private final ObjectMapper mapper;
    private final TaskRecords records;

    public TaskWaiters(ObjectMapper mapper, TaskRecords records, MeterRegistry registry) {
        this.mapper = mapper;
        this.records = records;
        Gauge.builder(Telemetry.TASKS_WAITING, this, TaskWaiters::size)
                .description("Requests waiting for a task to finish (?wait=)").register(registry);
    }

    /**
     * The task's record as soon as it is final, or at the end of {@code wait} as it is then.
     * {@code read} reads the record (it answers 404 for an unknown task, which ends the wait).
     */
    public Uni<TaskView> await(String id, Duration wait, Supplier<Uni<TaskView>> read) {
        CompletableFuture<Void> finished = new CompletableFuture<>();
        waiting.computeIfAbsent(id, key -> ConcurrentHashMap.newKeySet()).add(finished);
        // Registered first, read second: a final event after this read completes the future, and
        // one before it shows in the record.
        return read.get()
                .flatMap(first -> first.isFinal()
                        ? Uni.createFrom().item(first)
                        : Uni.createFrom().completionStage(finished)
                                .ifNoItem().after(wait).recoverWithItem((Void) null)
                                .flatMap(ignored -> read.get()))
                .onTermination().invoke(() -> forget(id, finished));
    }

    /** How many requests wait right now (for the gauge and tests). */
    public int size() {
        return waiting.values().stream().mapToInt(Set::size).sum();
    }

    /** A task event from Redis: a final one releases the task's waiters. Cheap when nobody waits. */
    public void onEvent(String json) {
        if (waiting.isEmpty()) {
            return;
        }
        String id;
        TaskStatus status;
        try {
            JsonNode event = mapper.readTree(json);
            id = event.path("id").asText(null);
            status = TaskStatus.valueOf(event.path("status").asText(""));
        } catch (Exception e) {
            LOG.debugf("HOTPOT-API-061 ignoring an unreadable task event: %s", e.getMessage());
            return;
        }
        if (id != null && status.isFinal()) {
            release(id);
        }
    }

    /**
     * The event subscription was (re)established: events may have been missed while it was down,
     * so every waited-for record is read once and the finished ones are released.
     */
    public void onSubscribed() {
        for (String id : List.copyOf(waiting.keySet())) {
            records.find(id).subscribe().with(view -> {
                if (view == null || view.isFinal()) {
                    release(id);
                }
            }, failure -> LOG.debugf("re-check of task %s after resubscribing failed: %s", id, failure.getMessage()));
        }
    }

    private void release(String id) {
        Set<CompletableFuture<Void>> futures = waiting.remove(id);
        if (futures != null) {
            futures.forEach(future -> future.complete(null));
        }
    }

    private void forget(String id, CompletableFuture<Void> finished) {
        waiting.computeIfPresent(id, (key, futures) -> {
            futures.remove(finished);
            return futures.isEmpty() ? null : futures;
        });
    }
}
