package io.hotpot.scheduler.schedule;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.Amqp;
import io.hotpot.messaging.PublisherWarmUp;
import io.hotpot.messaging.TaskPublisher;
import io.hotpot.scheduler.config.SchedulerConfig;
import io.hotpot.scheduler.leader.LeaderLock;
import io.quarkus.scheduler.Scheduled;

/**
 * On the leader only: moves due tasks (countdown, eta, retry back-off, fired schedules) from
 * Redis to RabbitMQ. Each message is published as stored, confirmed, and only then removed;
 * a crash between confirm and removal publishes it again, which the worker tolerates (it never
 * restarts a finished task). An entry that fails to publish stays due and is tried again a few
 * seconds later. A {@code @Scheduled} job every {@code hotpot.due.poll-every}, on a worker thread
 * (it waits for Redis and for RabbitMQ's confirms), never twice at once.
 */
@ApplicationScoped
public class DueTaskJob {
    private static final Logger LOG = Logger.getLogger(DueTaskJob.class);
    /** An id with no message may be a writer half-way; after this long it is an orphan. */
    private static final long ORPHAN_AFTER_MS = 10_000;
    /** Batches per round at most, so one round never holds the next off for long. */
    private static final int MAX_BATCHES = 10;
    /** A task that failed to publish is tried again this much later, so it never blocks those behind it. */
    private static final long RETRY_AFTER_MS = 5_000;
    /** A task that keeps failing to publish is logged once per this span, not every round. */
    private static final long WARN_EVERY_MS = 30_000;

    private final LeaderLock leader;
    private final DueTasks due;
    private final TaskPublisher publisher;
    private final PublisherWarmUp warmUp;
    private final ObjectMapper mapper;
    private final int batchSize;
    /** Task id → when its failure to publish was last logged. */
    private final Map<String, Long> warned = new ConcurrentHashMap<>();

    public DueTaskJob(LeaderLock leader, DueTasks due, TaskPublisher publisher, PublisherWarmUp warmUp,
            ObjectMapper mapper, SchedulerConfig config) {
        this.leader = leader;
        this.due = due;
        this.publisher = publisher;
        this.warmUp = warmUp;
        this.mapper = mapper;
        this.batchSize = config.due().batchSize();
    }

    @Scheduled(identity = "due-task-mover", every = "${hotpot.due.poll-every}", delayed = "${hotpot.due.poll-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            moveDue(System.currentTimeMillis());
        } catch (RuntimeException e) { // logged with its id here rather than as the scheduler's generic failure
            LOG.warnf("HOTPOT-SCHEDULER-023 moving due tasks failed (%s); next round retries", e.getMessage());
        }
    }

    /** Publishes what is due at {@code now}; returns how many were published and removed. */
    public int moveDue(long now) {
        int moved = 0;
        for (int round = 0; round < MAX_BATCHES; round++) {
            String fence = leader.fence();
            // Not before the publisher's first confirm: a first publish that waits for the connection
            // could time out, stay due and be published a second time (docs/decisions/0002).
            if (fence == null || !warmUp.ready() || !publisher.isConnected()) {
                return moved;
            }
            List<DueTasks.Entry> entries = due.take(leader.lockKey(), fence, now, batchSize);
            if (entries == null || entries.isEmpty()) {
                return moved;
            }
            int published = publishAll(entries, now);
            moved += published;
            if (entries.size() < batchSize || published == 0) {
                return moved;
            }
        }
        return moved;
    }

    private int publishAll(List<DueTasks.Entry> entries, long now) {
        if (warned.size() > 10_000) {
            warned.clear(); // bounded: the log throttle may forget, never the tasks
        }
        List<DueTasks.Entry> sent = new ArrayList<>();
        List<CompletableFuture<Void>> confirms = new ArrayList<>();
        for (DueTasks.Entry entry : entries) {
            if (entry.message().isEmpty()) {
                if (now - entry.dueAt() > ORPHAN_AFTER_MS && due.remove(entry)) {
                    LOG.warnf("HOTPOT-SCHEDULER-021 due task %s had no message; removed from the due set", entry.id());
                }
                continue;
            }
            JsonNode message;
            try {
                message = mapper.readTree(entry.message());
            } catch (java.io.IOException e) {
                message = null;
            }
            if (message == null || !message.isObject() || !message.path("id").isTextual()) {
                if (due.remove(entry)) {
                    LOG.errorf("HOTPOT-SCHEDULER-022 due task %s has an unreadable message and was removed: %s",
                            entry.id(), entry.message());
                }
                continue;
            }
            String queue = message.path("queue").isTextual() ? message.get("queue").asText() : Amqp.DEFAULT_QUEUE;
            int priority = Math.max(0, Math.min(Amqp.MAX_PRIORITY, message.path("priority").asInt(0)));
            sent.add(entry);
            confirms.add(publisher.publish(queue, priority, message.get("id").asText(), message.path("type").asText(null),
                    message.path("correlationId").asText(null), null, entry.message().getBytes(StandardCharsets.UTF_8))
                    .toCompletableFuture());
        }
        int published = 0;
        for (int i = 0; i < sent.size(); i++) {
            DueTasks.Entry entry = sent.get(i);
            try {
                confirms.get(i).get();
                due.remove(entry);
                warned.remove(entry.id());
                published++;
            } catch (ExecutionException e) {
                due.postpone(entry, now + RETRY_AFTER_MS);
                Long last = warned.get(entry.id());
                if (last == null || now - last > WARN_EVERY_MS) {
                    warned.put(entry.id(), now);
                    LOG.warnf("HOTPOT-SCHEDULER-020 due task %s was not published (%s); it stays due and is tried again in 5 s",
                            entry.id(), e.getCause().getMessage());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return published;
            }
        }
        return published;
    }
}
