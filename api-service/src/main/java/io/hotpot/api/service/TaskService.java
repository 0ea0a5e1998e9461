package io.hotpot.api.service;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hotpot.api.config.ApiConfig;
import io.hotpot.messaging.TaskPublisher;
import io.hotpot.api.metrics.TaskMetrics;
import io.hotpot.common.Amqp;
import io.hotpot.common.ResultReferences;
import io.hotpot.common.TaskError;
import io.hotpot.common.TaskMessage;
import io.hotpot.common.TaskStatus;
import io.hotpot.common.TaskTypeInfo;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Accepting, reading and revoking tasks. A submission is checked completely before anything
 * happens, against the {@link TaskCatalogue} (not the workers alive this second: a known type
 * waits in RabbitMQ for a worker, as in Celery); then it is published and confirmed by RabbitMQ,
 * and only then recorded and answered with 202; a delayed one is instead recorded as
 * {@code SCHEDULED} together with its entry in the due set, which scheduler-service's leader
 * publishes when due. A caller may wait for the result ({@code ?wait=}, {@link TaskWaiters}).
 */
@ApplicationScoped
public class TaskService {
    private static final Logger LOG = Logger.getLogger(TaskService.class);
    /** Logical queue names: they become part of RabbitMQ queue names. */
    static final Pattern QUEUE_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    /** Longest countdown, eta or time limit in the future that a submission may ask for. */
    private static final Duration MAX_DELAY = Duration.ofDays(365);
    private static final Duration MAX_TIMEOUT = Duration.ofDays(1);
    private static final int MAX_RETRIES = 100;

    private final TaskCatalogue catalogue;
    private final WorkerRegistry workers;
    private final TaskPublisher publisher;
    private final TaskRecords records;
    private final TaskWaiters waiters;
    private final TaskMetrics metrics;
    private final Duration resultTtl;
    private final Duration maxWait;

    public TaskService(TaskCatalogue catalogue, WorkerRegistry workers, TaskPublisher publisher, TaskRecords records,
            TaskWaiters waiters, TaskMetrics metrics, ApiConfig config) {
        this.catalogue = catalogue;
        this.workers = workers;
        this.publisher = publisher;
        this.records = records;
        this.waiters = waiters;
        this.metrics = metrics;
        this.resultTtl = config.tasks().resultTtl();
        this.maxWait = config.tasks().maxWait();
    }

    /**
     * What a submission led to: the task, and whether it is new (202) or an earlier one with the
     * same idempotency key (200); {@code task.workers()} says how many live workers can run it now.
     */
    public record Submitted(TaskView task, boolean created) {
    }

    /**
     * A {@code ?wait=} query value: an ISO-8601 duration from zero to {@code hotpot.tasks.max-wait};
     * {@code null} (no wait) when absent or blank; 400 otherwise.
     */
    public Duration parseWait(String wait) {
        if (wait == null || wait.isBlank()) {
            return null;
        }
        Duration parsed;
        try {
            parsed = Duration.parse(wait.trim());
        } catch (DateTimeParseException e) {
            throw Problem.badRequest("wait must be an ISO-8601 duration such as PT30S, not '" + wait + "'.",
                    List.of(new Problem.FieldError("wait", "must be an ISO-8601 duration such as PT30S")));
        }
        if (parsed.isNegative() || parsed.compareTo(maxWait) > 0) {
            throw Problem.badRequest("wait must be from PT0S to " + maxWait + " (hotpot.tasks.max-wait), not " + wait + ".",
                    List.of(new Problem.FieldError("wait", "must be from PT0S to " + maxWait)));
        }
        return parsed.isZero() ? null : parsed;
    }

    /**
     * {@link #submit(TaskSubmission, String)}, then waits up to {@code wait} (when not null) for the
     * task to be final; the answer is its record then, with the submission's {@code workers}.
     */
    public Uni<Submitted> submit(TaskSubmission submission, String correlationId, Duration wait) {
        Uni<Submitted> submitted = submit(submission, correlationId);
        if (wait == null) {
            return submitted;
        }
        return submitted.flatMap(first -> first.task().isFinal()
                ? Uni.createFrom().item(first)
                : waiters.await(first.task().id(), wait, () -> records.find(first.task().id())
                        .map(view -> view == null ? first.task() : view))
                        .map(view -> new Submitted(first.task().workers() == null ? view
                                : view.withWorkers(first.task().workers()), first.created())));
    }

    /** {@link #get(String)}, waiting up to {@code wait} (when not null) for the task to be final. */
    public Uni<TaskView> get(String id, Duration wait) {
        return wait == null ? get(id) : waiters.await(id, wait, () -> get(id));
    }

    /**
     * Validates, then publishes (confirmed) and records a task, or, when it has a countdown or
     * eta, records it as {@code SCHEDULED} in the due set; the answer is its first record. With an
     * idempotency key seen within its window, the answer is the first task and nothing is queued.
     */
    public Uni<Submitted> submit(TaskSubmission submission, String correlationId) {
        Instant now = Instant.now();
        Request request = parse(submission, correlationId, now);
        List<Request> chain = request.chain();
        return Multi.createFrom().iterable(chain)
                .onItem().transformToUniAndConcatenate(step -> catalogue.lookup(step.type(), step.queue()))
                .collect().asList()
                .onFailure().transform(e -> e instanceof Problem ? e : Problem.unavailable("The task catalogue could not be"
                        + " read from Redis (" + rootMessage(e) + "). Nothing was queued; try again."))
                .map(known -> {
                    TaskMessage first = checkAgainstCatalogue(request, known.get(0), now);
                    List<TaskMessage> rest = new ArrayList<>();
                    for (int i = 1; i < chain.size(); i++) {
                        String at = submission.then().isArray() ? "then[" + (i - 1) + "]" : "then";
                        try {
                            TaskMessage step = checkAgainstCatalogue(chain.get(i), known.get(i), now);
                            String before = chain.get(i - 1).type();
                            checkReferences(chain.get(i), before, known.get(i - 1).types().get(before));
                            rest.add(step);
                        } catch (Problem problem) {
                            throw new Problem(problem.status(), problem.title(), at + ": " + problem.detail(), problem.errors()
                                    .stream().map(e -> new Problem.FieldError(at + "." + e.field(), e.message())).toList());
                        }
                    }
                    return first.followedBy(rest);
                })
                .flatMap(message -> request.idempotencyKey() == null
                        ? accept(message, request)
                        : records.claimIdempotencyKey(request.idempotencyKey(), message.id())
                                .onFailure().transform(e -> Problem.unavailable("The idempotency key could not be checked ("
                                        + rootMessage(e) + "). Nothing was queued; try again."))
                                .flatMap(first -> first != null
                                        ? get(first).map(task -> new Submitted(task, false))
                                        : accept(message, request).onFailure(NotQueued.class).call(() -> records
                                                .releaseIdempotencyKey(request.idempotencyKey(), message.id())
                                                .onFailure().recoverWithNull())))
                .invoke(submitted -> {
                    if (submitted.created()) {
                        metrics.submitted(submitted.task());
                    }
                })
                .flatMap(submitted -> workers.serving(request.type(), request.queue())
                        .onFailure().recoverWithItem(() -> -1)
                        .map(live -> live < 0 ? submitted
                                : new Submitted(submitted.task().withWorkers(live), submitted.created())));
    }

    private Uni<Submitted> accept(TaskMessage message, Request request) {
        if (message.then().isEmpty()) {
            return acceptOne(message, request);
        }
        // The later tasks of the chain are recorded first, waiting: the first may finish at once.
        List<TaskMessage> later = new ArrayList<>();
        for (TaskMessage step = message.next(); step != null; step = step.next()) {
            later.add(step);
        }
        return records.waiting(later, request.due())
                .onFailure().transform(e -> Problem.unavailable("The chain was not accepted: its later tasks could not be"
                        + " recorded (" + rootMessage(e) + "). Nothing was queued; try again."))
                .flatMap(ignored -> acceptOne(message, request));
    }

    private Uni<Submitted> acceptOne(TaskMessage message, Request request) {
        if (request.due() != null) {
            return records.schedule(message, request.due())
                    .onFailure().transform(e -> Problem.unavailable("The task was not accepted: its schedule could not be"
                            + " stored (" + rootMessage(e) + "). Nothing was queued; try again."))
                    .map(ignored -> new Submitted(firstView(message, TaskStatus.SCHEDULED), true));
        }
        return Uni.createFrom().completionStage(() -> publisher.publish(message))
                .onFailure().recoverWithUni(e -> withdraw(message, e).replaceWithVoid())
                .flatMap(ignored -> records.create(message)
                        .onFailure().invoke(e -> LOG.warnf(
                                "HOTPOT-API-020 task %s is queued but its first record was not written (%s); the worker will write it",
                                message.id(), e.getMessage()))
                        .onFailure().recoverWithNull())
                .map(ignored -> new Submitted(firstView(message, TaskStatus.PENDING), true));
    }

    /**
     * A publish that was not confirmed: RabbitMQ may hold the message all the same, or the connector
     * may still send it. The task is withdrawn (its record {@code REVOKED}), so a late copy never
     * runs, and the client gets 503; unless a worker has already taken it, in which case it was
     * queued after all and the submission goes on as accepted. When even the withdrawal fails,
     * nothing is known: the 503 says so, and the idempotency key stays with this task.
     */
    private Uni<TaskStatus> withdraw(TaskMessage message, Throwable failure) {
        String why = rootMessage(failure);
        Instant now = Instant.now();
        return records.withdraw(message, new TaskError("NotConfirmed", "withdrawn: RabbitMQ did not confirm the"
                + " submission (" + why + ")"), now)
                .onFailure().transform(e -> {
                    LOG.warnf("HOTPOT-API-021 task %s: RabbitMQ did not confirm it (%s) and it could not be withdrawn (%s)",
                            message.id(), why, e.getMessage());
                    return Problem.unavailable("The task " + message.id() + " was not confirmed by RabbitMQ (" + why
                            + ") and could not be withdrawn (" + rootMessage(e) + "): it may run or not. A retry with the"
                            + " same idempotency key cannot run it twice.");
                })
                .map(status -> {
                    if (status != null) {
                        LOG.infof("HOTPOT-API-022 task %s was not confirmed in time but a worker has it (%s): accepted",
                                message.id(), status);
                        return status;
                    }
                    LOG.warnf("HOTPOT-API-023 task %s withdrawn: RabbitMQ did not confirm it (%s)", message.id(), why);
                    throw new NotQueued("The task " + message.id() + " was not accepted: " + why + ". It was withdrawn"
                            + " (its record is REVOKED) and will not run, even if RabbitMQ queued it; try again.");
                });
    }

    /** A 503 after which the task certainly never runs, so its idempotency key may be used again. */
    static final class NotQueued extends Problem {
        NotQueued(String detail) {
            super(503, "Service Unavailable", detail);
        }
    }

    /** A task's record; 404 when there is none, saying whether it expired. */
    public Uni<TaskView> get(String id) {
        return records.find(id)
                .onFailure().transform(e -> Problem.unavailable("The task's record could not be read from Redis ("
                        + rootMessage(e) + "); try again."))
                .flatMap(view -> view != null
                ? Uni.createFrom().item(view)
                : records.existed(id).map(existed -> {
                    throw existed
                            ? Problem.notFound("The task '" + id + "' existed but its record expired: records and results"
                                    + " are kept for " + resultTtl.toString().substring(2).toLowerCase() + " after their last change (hotpot.tasks.result-ttl).")
                            : Problem.notFound("No task with id '" + id + "': it was never submitted, or its record"
                                    + " expired long ago.");
                }));
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

    /**
     * Revokes a task: one not started never runs, a running one is interrupted by its worker
     * (where its handler allows); either way its record is {@code REVOKED} at once. 404 when
     * unknown, 409 when it already finished.
     */
    public Uni<TaskView> revoke(String id) {
        Instant now = Instant.now();
        return records.revoke(id, new TaskError("Revoked", "revoked by request at " + now), now)
                .onFailure().transform(e -> Problem.unavailable("The task could not be revoked (" + rootMessage(e)
                        + "); nothing changed, try again."))
                .flatMap(before -> {
                    if (before == null) {
                        return get(id); // 404, saying whether it expired
                    }
                    if (before.isFinal()) {
                        throw new Problem(409, "Conflict", "The task '" + id + "' is already " + before
                                + "; a finished task cannot be revoked.");
                    }
                    return get(id);
                });
    }

    /**
     * A checked submission. {@code then}: the rest of its chain (empty: none); {@code laterStep}: it is
     * itself a later task of a chain, whose {@code "$result"} arguments are filled in when it runs.
     */
    record Request(String type, JsonNode args, String queue, int priority, String correlationId, Instant due,
            Instant expires, Integer maxRetries, Double timeout, String idempotencyKey, List<Request> then,
            boolean laterStep) {

        Request(String type, JsonNode args, String queue, int priority, String correlationId, Instant due,
                Instant expires, Integer maxRetries, Double timeout, String idempotencyKey) {
            this(type, args, queue, priority, correlationId, due, expires, maxRetries, timeout, idempotencyKey, List.of(),
                    false);
        }

        /** Every submission of the chain: this one, then the rest. */
        List<Request> chain() {
            List<Request> all = new ArrayList<>(List.of(this));
            all.addAll(then);
            return all;
        }
    }

    /** The most tasks that may follow a task in its chain. */
    static final int MAX_CHAIN = 100;

    Request parse(TaskSubmission submission, String correlationId, Instant now) {
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
        List<Problem.FieldError> errors = new ArrayList<>();
        Instant due = null;
        if (present(submission.countdown()) && present(submission.eta())) {
            errors.add(new Problem.FieldError("countdown", "give either countdown or eta, not both"));
        } else if (present(submission.countdown())) {
            JsonNode c = submission.countdown();
            if (!c.isNumber() || c.asDouble() < 0 || c.asDouble() > MAX_DELAY.toSeconds()) {
                errors.add(new Problem.FieldError("countdown", "must be a number of seconds from 0 to " + MAX_DELAY.toSeconds()));
            } else if (c.asDouble() > 0) {
                due = now.plusMillis(Math.round(c.asDouble() * 1000));
            }
        } else if (present(submission.eta())) {
            Instant eta = time(submission.eta(), "eta", errors);
            if (eta != null && eta.isAfter(now.plus(MAX_DELAY))) {
                errors.add(new Problem.FieldError("eta", "must be within " + MAX_DELAY.toDays() + " days"));
            } else if (eta != null && eta.isAfter(now)) {
                due = eta;
            }
        }
        Instant expires = null;
        if (present(submission.expires())) {
            JsonNode e = submission.expires();
            if (e.isNumber()) {
                if (e.asDouble() <= 0) {
                    errors.add(new Problem.FieldError("expires", "must be a positive number of seconds or an ISO-8601 time"));
                } else {
                    expires = now.plusMillis(Math.round(e.asDouble() * 1000));
                }
            } else {
                expires = time(e, "expires", errors);
            }
            if (expires != null && !expires.isAfter(due == null ? now : due)) {
                errors.add(new Problem.FieldError("expires", due == null ? "is in the past" : "is before the task is due"));
            }
        }
        Integer maxRetries = null;
        if (present(submission.maxRetries())) {
            JsonNode m = submission.maxRetries();
            if (!m.canConvertToExactIntegral() || m.asInt() < 0 || m.asInt() > MAX_RETRIES) {
                errors.add(new Problem.FieldError("maxRetries", "must be an integer from 0 to " + MAX_RETRIES));
            } else {
                maxRetries = m.asInt();
            }
        }
        Double timeout = null;
        if (present(submission.timeout())) {
            JsonNode t = submission.timeout();
            if (!t.isNumber() || t.asDouble() <= 0 || t.asDouble() > MAX_TIMEOUT.toSeconds()) {
                errors.add(new Problem.FieldError("timeout", "must be a number of seconds above 0, at most "
                        + MAX_TIMEOUT.toSeconds()));
            } else {
                timeout = t.asDouble();
            }
        }
        String idempotencyKey = null;
        if (present(submission.idempotencyKey())) {
            JsonNode k = submission.idempotencyKey();
            if (!k.isTextual() || k.asText().isBlank() || k.asText().length() > 200) {
                errors.add(new Problem.FieldError("idempotencyKey", "must be a non-blank string of at most 200 characters"));
            } else {
                idempotencyKey = k.asText();
            }
        }
        try {
            java.util.Set<String> references = ResultReferences.find(args).keySet();
            if (!references.isEmpty()) {
                errors.add(new Problem.FieldError(references.iterator().next(),
                        "is a $result reference, which only a later task of a chain (then) can have"));
            }
        } catch (IllegalArgumentException malformed) {
            errors.add(new Problem.FieldError("args", malformed.getMessage()));
        }
        List<Request> then = chain(submission.then(), correlationId, now, errors);
        if (!errors.isEmpty()) {
            throw Problem.badRequest("The submission's options are not valid.", errors);
        }
        return new Request(type.asText(), args, queue, priority, correlationId, due, expires, maxRetries, timeout,
                idempotencyKey, then, false);
    }

    /**
     * The tasks of {@code then}, a submission or a list of them, each parsed as a task is, without
     * a countdown, eta, idempotency key or {@code then} of its own; {@code "$result"} references in
     * their arguments are checked for form. Problems go to {@code errors}, named {@code then[i].…}.
     */
    private List<Request> chain(JsonNode then, String correlationId, Instant now, List<Problem.FieldError> errors) {
        if (then == null || then.isNull()) {
            return List.of();
        }
        List<JsonNode> items = new ArrayList<>();
        if (then.isArray()) {
            then.forEach(items::add);
        } else {
            items.add(then);
        }
        if (items.isEmpty() || items.size() > MAX_CHAIN) {
            errors.add(new Problem.FieldError("then", "must be a task submission or a list of 1 to " + MAX_CHAIN));
            return List.of();
        }
        List<Request> steps = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String at = then.isArray() ? "then[" + i + "]" : "then";
            JsonNode item = items.get(i);
            if (!item.isObject()) {
                errors.add(new Problem.FieldError(at, "must be a task submission"));
                continue;
            }
            if (item.hasNonNull("then")) {
                errors.add(new Problem.FieldError(at + ".then", "list every later task in the first task's then instead"));
                continue;
            }
            ObjectNode plain = ((ObjectNode) item).deepCopy();
            JsonNode stepArgs = plain.remove("args");
            Request step;
            try {
                step = parse(new TaskSubmission(plain.get("type"), null, plain.get("queue"), plain.get("priority"),
                        plain.get("countdown"), plain.get("eta"), plain.get("expires"), plain.get("maxRetries"),
                        plain.get("timeout"), plain.get("idempotencyKey"), null), correlationId, now);
            } catch (Problem problem) {
                problem.errors().forEach(e -> errors.add(new Problem.FieldError(at + "." + e.field(), e.message())));
                continue;
            }
            if (step.idempotencyKey() != null) {
                errors.add(new Problem.FieldError(at + ".idempotencyKey", "is not taken for a later task of a chain"));
            }
            if (step.due() != null) {
                errors.add(new Problem.FieldError(at + (item.hasNonNull("eta") ? ".eta" : ".countdown"),
                        "is not taken for a later task of a chain: it runs when the one before succeeded"));
            }
            JsonNode args = stepArgs == null || stepArgs.isNull() ? JsonNodeFactory.instance.objectNode() : stepArgs;
            if (!args.isObject()) {
                errors.add(new Problem.FieldError(at + ".args", "must be an object"));
                continue;
            }
            try {
                ResultReferences.find(args);
            } catch (IllegalArgumentException malformed) {
                errors.add(new Problem.FieldError(at + ".args", malformed.getMessage()));
                continue;
            }
            steps.add(new Request(step.type(), args, step.queue(), step.priority(), correlationId, null, step.expires(),
                    step.maxRetries(), step.timeout(), null, List.of(), true));
        }
        return steps;
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isNull();
    }

    /** An ISO-8601 time with an offset ({@code 2026-11-26T10:00:00Z}, {@code …+01:00}). */
    private static Instant time(JsonNode node, String field, List<Problem.FieldError> errors) {
        if (node.isTextual()) {
            try {
                return OffsetDateTime.parse(node.asText()).toInstant();
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        errors.add(new Problem.FieldError(field, "must be an ISO-8601 time with an offset, such as 2026-11-26T10:00:00Z"));
        return null;
    }

    TaskMessage checkAgainstCatalogue(Request request, TaskCatalogue.Known known, Instant now) {
        TaskTypeInfo info = known.types().get(request.type());
        if (info == null) {
            throw Problem.unprocessable("The task type '" + request.type() + "' is unknown: no worker has advertised it"
                    + " and the configuration does not declare it (hotpot.catalogue.types). Known types: "
                    + (known.types().isEmpty() ? "none" : String.join(", ", known.types().keySet())) + ".",
                    List.of(new Problem.FieldError("type", "is not a known task type")));
        }
        if (!known.queues().contains(request.queue())) {
            throw Problem.unprocessable("The queue '" + request.queue() + "' is unknown: no worker has consumed it and the"
                    + " configuration does not declare it (hotpot.catalogue.queues). Known queues: "
                    + String.join(", ", known.queues()) + ".", List.of(new Problem.FieldError("queue", "is not a known queue")));
        }
        List<Problem.FieldError> errors = new ArrayList<>(ArgsValidator.check(info, request.args()));
        if (request.laterStep()) {
            // "$result" stands for a value known only when the task runs: its type is checked then.
            java.util.Set<String> references = ResultReferences.find(request.args()).keySet();
            errors.removeIf(error -> references.contains(error.field()) && !error.message().startsWith("is not an argument"));
        }
        if (!errors.isEmpty()) {
            throw Problem.unprocessable("The arguments do not fit the task type '" + request.type() + "'.", errors);
        }
        return new TaskMessage(UUID.randomUUID().toString(), request.type(), request.args(), request.queue(),
                request.priority(), now, request.correlationId(), request.maxRetries(), request.timeout(),
                request.expires(), request.due(), 0, info.sensitive());
    }

    /**
     * 422 when a {@code "$result/…"} argument of a later task names a part the result of the task
     * before cannot have, as that type's workers advertise its shape; a type whose result shape is
     * not known passes (the reference is checked when the task runs).
     */
    private static void checkReferences(Request request, String typeBefore, TaskTypeInfo before) {
        if (before == null || before.result() == null) {
            return;
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        ResultReferences.find(request.args()).forEach((at, reference) -> {
            String missing = before.result().missing(reference);
            if (missing != null) {
                errors.add(new Problem.FieldError(at, "is " + reference + ", but " + missing + ": a result of '"
                        + typeBefore + "'"));
            }
        });
        if (!errors.isEmpty()) {
            throw Problem.unprocessable("An argument refers to a part of the result of the task before ('" + typeBefore
                    + "') that such a result does not have.", errors);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }

    static TaskView firstView(TaskMessage message, TaskStatus status) {
        return new TaskView(message.id(), message.type(), status, message.recordedArgs(), null, null, 0,
                message.queue(), message.priority(), message.createdAt(), null, null, null, 0, message.maxRetries(),
                message.timeout(), message.eta(), message.expires(), null, null, null, message.group(),
                message.then().isEmpty() ? null : message.then().stream().map(TaskMessage::id).toList());
    }
}
