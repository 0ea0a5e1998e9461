package io.hotpot.api.service;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.GroupEvent;
import io.hotpot.common.TaskStatus;
import io.hotpot.common.Telemetry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * Requests waiting for a task, or every task of a group, to finish ({@code ?wait=}), keyed by task
 * id (or group). A waiter is a future completed by the task's final event (or the group's event
 * that counts its last task) (fed by {@link io.hotpot.api.events.TaskEventSubscriber});
 * its time limit is a timer, so a waiting request holds no thread, and Redis is read twice per
 * wait: once after registering (the task may have finished before) and once at the end.
 */
@ApplicationScoped
public class TaskWaiters {
    private static final Logger LOG = Logger.getLogger(TaskWaiters.class);

    /** The key of a group's waiters: a task id never starts so (a UUID). */
    private static final String GROUP_KEY = "group:";

    private final Map<String, Set<CompletableFuture<Void>>> waiting = new ConcurrentHashMap<>();
    private final ObjectMapper mapper;
    private final TaskRecords records;
    private final GroupRecords groups;

    public TaskWaiters(ObjectMapper mapper, TaskRecords records, GroupRecords groups, MeterRegistry registry) {
        this.mapper = mapper;
        this.records = records;
        this.groups = groups;
        Gauge.builder(Telemetry.TASKS_WAITING, this, TaskWaiters::size)
                .description("Requests waiting for a task to finish (?wait=)").register(registry);
    }

    /**
     * The task's record as soon as it is final, or at the end of {@code wait} as it is then.
     * {@code read} reads the record (it answers 404 for an unknown task, which ends the wait).
     */
    public Uni<TaskView> await(String id, Duration wait, Supplier<Uni<TaskView>> read) {
        return awaitKey(id, wait, read, TaskView::isFinal);
    }

    /**
     * Returns once every task of the group is final (its {@link GroupEvent} says so), or at the end
     * of {@code wait}; {@code finished} reads whether it is (true too for a group that is gone).
     */
    public Uni<Void> awaitGroup(String groupId, Duration wait, Supplier<Uni<Boolean>> finished) {
        return awaitKey(GROUP_KEY + groupId, wait, finished, Boolean::booleanValue).replaceWithVoid();
    }

    /**
     * A waiter under {@code key}, registered first, then {@code read} once: when it shows
     * {@code done}, that is the answer; else the key's release (an event) or the end of
     * {@code wait}, and {@code read} again.
     */
    private <T> Uni<T> awaitKey(String key, Duration wait, Supplier<Uni<T>> read, Predicate<T> done) {
        CompletableFuture<Void> finished = new CompletableFuture<>();
        waiting.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(finished);
        // Registered first, read second: a final event after this read completes the future, and
        // one before it shows in what is read.
        return read.get()
                .flatMap(first -> done.test(first)
                        ? Uni.createFrom().item(first)
                        : Uni.createFrom().completionStage(finished)
                                .ifNoItem().after(wait).recoverWithItem((Void) null)
                                .flatMap(ignored -> read.get()))
                .onTermination().invoke(() -> forget(key, finished));
    }

    /** How many requests wait right now (for the gauge and tests). */
    public int size() {
        return waiting.values().stream().mapToInt(Set::size).sum();
    }

    /**
     * A task event from Redis: a final one releases the task's waiters; a group event that counts
     * every task of its group final releases the group's. Cheap when nobody waits.
     */
    public void onEvent(String json) {
        if (waiting.isEmpty()) {
            return;
        }
        JsonNode event;
        try {
            event = mapper.readTree(json);
        } catch (Exception e) {
            LOG.debugf("HOTPOT-API-061 ignoring an unreadable task event: %s", e.getMessage());
            return;
        }
        if (GroupEvent.KIND.equals(event.path("kind").asText())) {
            if (event.path("finished").asInt() >= event.path("total").asInt(Integer.MAX_VALUE)) {
                release(GROUP_KEY + event.path("group").asText());
            }
            return;
        }
        String id = event.path("id").asText(null);
        TaskStatus status;
        try {
            status = TaskStatus.valueOf(event.path("status").asText(""));
        } catch (IllegalArgumentException e) {
            LOG.debugf("HOTPOT-API-061 ignoring a task event without a known status: %s", e.getMessage());
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
            if (id.startsWith(GROUP_KEY)) {
                groups.allFinished(id.substring(GROUP_KEY.length())).subscribe().with(finished -> {
                    if (finished) {
                        release(id);
                    }
                }, failure -> LOG.debugf("re-check of %s after resubscribing failed: %s", id, failure.getMessage()));
                continue;
            }
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
