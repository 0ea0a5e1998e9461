package io.hotpot.api.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.hotpot.api.messaging.TaskPublisher;
import io.hotpot.api.metrics.TaskMetrics;
import io.hotpot.common.Amqp;
import io.hotpot.common.TaskMessage;
import io.hotpot.common.TaskStatus;
import io.hotpot.common.TaskTypeInfo;
import io.smallrye.mutiny.Uni;

/**
 * Accepting and reading tasks. A submission is checked completely before anything happens; then
 * it is published and confirmed by RabbitMQ; only then is it recorded and answered with 202.
 */
@ApplicationScoped
public class TaskService {
    private static final Logger LOG = Logger.getLogger(TaskService.class);
    /** Logical queue names: they become part of RabbitMQ queue names. */
    private static final Pattern QUEUE_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    private final WorkerRegistry workers;
    private final TaskPublisher publisher;
    private final TaskRecords records;
    private final TaskMetrics metrics;

    public TaskService(WorkerRegistry workers, TaskPublisher publisher, TaskRecords records, TaskMetrics metrics) {
        this.workers = workers;
        this.publisher = publisher;
        this.records = records;
        this.metrics = metrics;
    }

    /** Validates, publishes (confirmed) and records a task; the answer is its first record. */
    public Uni<TaskView> submit(TaskSubmission submission, String correlationId) {
        Request request = parse(submission, correlationId);
        return Uni.combine().all().unis(workers.liveTypes(), workers.liveQueues()).asTuple()
                .map(live -> checkAgainstWorkers(request, live.getItem1(), live.getItem2()))
                .flatMap(message -> Uni.createFrom().completionStage(() -> publisher.publish(message))
                        .onFailure().transform(e -> Problem.unavailable(
                                "The task was not accepted: " + rootMessage(e) + ". Nothing was queued; try again."))
                        .flatMap(ignored -> records.create(message)
                                .onFailure().invoke(e -> LOG.warnf(
                                        "HOTPOT-API-020 task %s is queued but its first record was not written (%s); the worker will write it",
                                        message.id(), e.getMessage()))
                                .onFailure().recoverWithNull())
                        .map(ignored -> pendingView(message)))
                .invoke(metrics::submitted);
    }

    /** A task's record; 404 when there is none. */
    public Uni<TaskView> get(String id) {
        return records.find(id).map(view -> {
            if (view == null) {
                throw Problem.notFound("No task with id '" + id + "': it was never submitted, or its record expired.");
            }
            return view;
        });
    }

    /** The newest tasks, newest first (limit 1–500), optionally filtered by status and type. */
    public Uni<List<TaskView>> recent(int limit, String status, String type) {
        if (limit < 1 || limit > 500) {
            throw Problem.badRequest("limit must be from 1 to 500.", List.of(new Problem.FieldError("limit", "must be from 1 to 500")));
        }
        TaskStatus wanted = null;
        if (status != null && !status.isBlank()) {
            try {
                wanted = TaskStatus.valueOf(status);
            } catch (IllegalArgumentException e) {
                throw Problem.badRequest("Unknown status '" + status + "'.", List.of(new Problem.FieldError("status",
                        "must be one of " + java.util.Arrays.toString(TaskStatus.values()))));
            }
        }
        return records.recent(limit, wanted, type == null || type.isBlank() ? null : type);
    }

    /** How many of the recent tasks (the last {@value io.hotpot.common.RedisKeys#RECENT_TASKS_CAP}) are in each status. */
    public Uni<Map<TaskStatus, Long>> countByStatus() {
        return records.countByStatus();
    }

    private record Request(String type, JsonNode args, String queue, int priority, String correlationId) {
    }

    private Request parse(TaskSubmission submission, String correlationId) {
        if (submission == null) {
            throw Problem.badRequest("The request needs a JSON body such as {\"type\":\"add\",\"args\":{\"x\":2,\"y\":3}}.",
                    List.of(new Problem.FieldError("type", "is required")));
        }
        JsonNode type = submission.type();
        if (type == null || type.isNull() || (type.isTextual() && type.asText().isBlank())) {
            throw Problem.badRequest("The task type is missing.", List.of(new Problem.FieldError("type", "is required")));
        }
        if (!type.isTextual()) {
            throw Problem.badRequest("The task type must be a string.", List.of(new Problem.FieldError("type", "must be a string")));
        }
        JsonNode args = submission.args();
        if (args == null || args.isNull()) {
            args = JsonNodeFactory.instance.objectNode();
        } else if (!args.isObject()) {
            throw Problem.badRequest("The task arguments must be a JSON object.",
                    List.of(new Problem.FieldError("args", "must be an object")));
        }
        String queue = Amqp.DEFAULT_QUEUE;
        if (submission.queue() != null && !submission.queue().isNull()) {
            if (!submission.queue().isTextual() || !QUEUE_NAME.matcher(submission.queue().asText()).matches()) {
                throw Problem.badRequest("The queue name is not valid.", List.of(new Problem.FieldError("queue",
                        "must be a string of 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit")));
            }
            queue = submission.queue().asText();
        }
        int priority = 0;
        if (submission.priority() != null && !submission.priority().isNull()) {
            JsonNode p = submission.priority();
            if (!p.canConvertToExactIntegral() || p.asInt() < 0 || p.asInt() > Amqp.MAX_PRIORITY) {
                throw Problem.badRequest("The priority is not valid.",
                        List.of(new Problem.FieldError("priority", "must be an integer from 0 to " + Amqp.MAX_PRIORITY)));
            }
            priority = p.asInt();
        }
        return new Request(type.asText(), args, queue, priority, correlationId);
    }

    private TaskMessage checkAgainstWorkers(Request request, Map<String, TaskTypeInfo> types, List<String> queues) {
        TaskTypeInfo info = types.get(request.type());
        if (info == null) {
            throw Problem.unprocessable("No live worker handles the task type '" + request.type() + "'. Known types: "
                    + (types.isEmpty() ? "none (no worker is running)" : String.join(", ", types.keySet())) + ".",
                    List.of(new Problem.FieldError("type", "is not a known task type")));
        }
        if (!queues.contains(request.queue())) {
            throw Problem.unprocessable("No live worker consumes the queue '" + request.queue() + "'. Queues with workers: "
                    + String.join(", ", queues) + ".", List.of(new Problem.FieldError("queue", "has no worker")));
        }
        List<Problem.FieldError> errors = ArgsValidator.check(info, request.args());
        if (!errors.isEmpty()) {
            throw Problem.unprocessable("The arguments do not fit the task type '" + request.type() + "'.", errors);
        }
        return new TaskMessage(UUID.randomUUID().toString(), request.type(), request.args(), request.queue(),
                request.priority(), Instant.now(), request.correlationId());
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }

    private static TaskView pendingView(TaskMessage message) {
        return new TaskView(message.id(), message.type(), TaskStatus.PENDING, message.args(), null, null, 0,
                message.queue(), message.priority(), message.createdAt(), null, null, null);
    }
}
