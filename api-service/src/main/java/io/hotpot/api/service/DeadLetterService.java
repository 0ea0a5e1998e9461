package io.hotpot.api.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.Amqp;
import io.hotpot.common.GroupFields;
import io.hotpot.common.TaskError;
import io.hotpot.common.TaskMessage;
import io.hotpot.common.TaskStatus;
import io.hotpot.messaging.BrokerException;
import io.hotpot.messaging.DeadLetter;
import io.hotpot.messaging.DeadLetterQueues;

/**
 * The dead letters: listing them with their errors and re-queueing one or all. Blocking (it
 * talks to RabbitMQ one message at a time), so it runs on worker threads. Re-queueing a task
 * first reopens its record ({@code FAILURE} → {@code PENDING}, retries afresh), then publishes
 * it, confirmed, then removes the letter; a task whose record says anything but {@code FAILURE}
 * (revoked meanwhile, already re-queued) is left where it is.
 */
@ApplicationScoped
public class DeadLetterService {
    private static final Logger LOG = Logger.getLogger(DeadLetterService.class);
    /** Most letters looked at per queue and call; more stay for the next call. */
    static final int SCAN_LIMIT = 10_000;
    static final int MAX_LIST = 1000;

    private final DeadLetterQueues queues;
    private final TaskRecords records;
    private final TaskCatalogue catalogue;
    private final ObjectMapper mapper;

    public DeadLetterService(DeadLetterQueues queues, TaskRecords records, TaskCatalogue catalogue, ObjectMapper mapper) {
        this.queues = queues;
        this.records = records;
        this.catalogue = catalogue;
        this.mapper = mapper;
    }

    /** What a re-queue did. */
    public record Requeued(List<String> requeued, int count) {
    }

    /**
     * Dead letters of one queue, or of every queue a live worker consumes (and {@code default});
     * with {@code group}, only those of that group's tasks (of the first {@link #SCAN_LIMIT} letters
     * of each queue).
     */
    public List<DeadLetterView> list(String queue, String group, int limit) {
        if (limit < 1 || limit > MAX_LIST) {
            throw Problem.badRequest("The limit is not valid.",
                    List.of(new Problem.FieldError("limit", "must be from 1 to " + MAX_LIST)));
        }
        Predicate<DeadLetter> which = ofGroup(group);
        List<DeadLetterView> views = new ArrayList<>();
        for (String q : queues(queue)) {
            try {
                for (DeadLetter letter : queues.peek(q, which, limit - views.size(), group == null ? limit : SCAN_LIMIT)) {
                    views.add(view(q, letter));
                }
            } catch (IOException | java.util.concurrent.TimeoutException | BrokerException e) {
                throw Problem.unavailable("The dead letters could not be read from RabbitMQ (" + e.getMessage() + ").");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Problem.unavailable("Interrupted while reading dead letters.");
            }
            if (views.size() >= limit) {
                break;
            }
        }
        return views;
    }

    /** Re-queues the dead letter of one task; 404 when no dead-letter queue holds it. */
    public Requeued requeueOne(String id, String queue) {
        Requeued done = requeue(queue, id);
        if (done.count() == 0) {
            throw Problem.notFound("No dead letter with the task id '" + id + "'"
                    + (queue == null ? "" : " in the queue '" + queue + "'") + " that can be re-queued: it was never"
                    + " dead-lettered, was re-queued already, or its task is no longer FAILURE.");
        }
        return done;
    }

    /** Re-queues every dead letter of one queue, or of every known queue; with {@code group}, of that group's tasks. */
    public Requeued requeueAll(String queue, String group) {
        return requeue(queue, ofGroup(group));
    }

    private Requeued requeue(String queue, String onlyId) {
        return requeue(queue, letter -> onlyId.equals(letter.messageId()));
    }

    private Requeued requeue(String queue, Predicate<DeadLetter> which) {
        List<String> done = new ArrayList<>();
        for (String q : queues(queue)) {
            try {
                for (DeadLetter letter : queues.requeue(q, which, new Reopen(), SCAN_LIMIT)) {
                    done.add(letter.messageId());
                }
            } catch (IOException | java.util.concurrent.TimeoutException | BrokerException e) {
                throw Problem.unavailable("The dead letters could not be re-queued (" + e.getMessage() + "); those"
                        + " re-queued so far: " + done.size() + ".");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Problem.unavailable("Interrupted while re-queueing dead letters.");
            }
        }
        LOG.infof("HOTPOT-API-030 re-queued %d dead letter(s)", done.size());
        return new Requeued(done, done.size());
    }

    /** Reopens the task's record, then hands back the message with its retries afresh. */
    private final class Reopen implements DeadLetterQueues.Requeuer {
        @Override
        public byte[] bodyToRequeue(DeadLetter letter) throws IOException {
            TaskMessage task = read(letter.body());
            if (task == null || task.id() == null) {
                return letter.body(); // undecodable: as it is, for a worker that may read it now
            }
            if (!records.requeue(task.id(), Instant.now()).await().indefinitely()) {
                return null;
            }
            return mapper.writeValueAsBytes(task.retriesAfresh());
        }

        @Override
        public void notRequeued(DeadLetter letter) {
            TaskMessage task = read(letter.body());
            if (task != null && task.id() != null) {
                records.unrequeue(task.id()).await().indefinitely();
            }
        }
    }

    private List<String> queues(String queue) {
        if (queue != null) {
            if (!TaskService.QUEUE_NAME.matcher(queue).matches()) {
                throw Problem.badRequest("The queue name is not valid.", List.of(new Problem.FieldError("queue",
                        "must be 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit")));
            }
            return List.of(queue);
        }
        return catalogue.fresh().await().indefinitely().queues();
    }

    /** Every letter, or with {@code group} (a group id) those of that group's tasks; 400 for a malformed id. */
    private Predicate<DeadLetter> ofGroup(String group) {
        if (group == null) {
            return letter -> true;
        }
        if (!GroupFields.ID_PATTERN.matcher(group).matches()) {
            throw Problem.badRequest("The group id is not valid.",
                    List.of(new Problem.FieldError("group", "must be a group id as POST /api/groups answered it (a UUID)")));
        }
        return letter -> {
            TaskMessage task = read(letter.body());
            return task != null && group.equals(task.group());
        };
    }

    private DeadLetterView view(String queue, DeadLetter letter) {
        TaskMessage task = read(letter.body());
        if (task == null || task.id() == null) {
            String body = new String(letter.body(), StandardCharsets.UTF_8);
            return new DeadLetterView(letter.messageId(), letter.type(), null, queue, letter.reason(), letter.deadAt(), null, null,
                    new TaskError("UndecodableMessage", "the message is not a Hotpot task"),
                    body.length() > 500 ? body.substring(0, 500) + "…" : body);
        }
        TaskView record = records.find(task.id()).await().indefinitely();
        return new DeadLetterView(task.id(), task.type(), task.group(), queue, letter.reason(), letter.deadAt(),
                record == null ? null : record.status(), record == null ? null : record.attempts(),
                record == null ? new TaskError("RecordExpired", "the task's record expired; its error went with it")
                        : record.error(),
                null);
    }

    private TaskMessage read(byte[] body) {
        try {
            return mapper.readValue(body, TaskMessage.class);
        } catch (IOException e) {
            return null;
        }
    }
}
