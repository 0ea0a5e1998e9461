package io.hotpot.api.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executor;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hotpot.api.config.ApiConfig;
import io.hotpot.api.metrics.TaskMetrics;
import io.hotpot.common.GroupFields;
import io.hotpot.common.TaskError;
import io.hotpot.common.TaskMessage;
import io.hotpot.common.TaskStatus;
import io.hotpot.messaging.TaskPublisher;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Groups of tasks, Celery's {@code group}: many submissions accepted as one, all or nothing
 * (docs/decisions/0070). Every member is checked as {@code POST /api/tasks} checks a task before
 * anything is published; the members are published and confirmed by RabbitMQ, and only then is
 * the group recorded with all its members in one script. Until then no worker runs a member
 * (they wait for the group, {@code GroupGate}); when a publish is not confirmed, the group is
 * marked abandoned and none ever runs.
 */
@ApplicationScoped
public class GroupService {
    private static final Logger LOG = Logger.getLogger(GroupService.class);
    /** Members published at once; the publisher holds at most 8,192 unconfirmed. */
    static final int PUBLISHING_AT_ONCE = 256;
    /** The callback's argument that holds the members' results. */
    static final String RESULTS = "results";
    /** Members revoked at once. */
    private static final int REVOKING_AT_ONCE = 64;
    /** Most groups {@link #recent} lists at once. */
    static final int MAX_LIST = 100;

    private final TaskService tasks;
    private final TaskCatalogue catalogue;
    private final TaskPublisher publisher;
    private final TaskRecords records;
    private final GroupRecords groups;
    private final TaskWaiters waiters;
    private final TaskMetrics metrics;
    private final ObjectMapper mapper;
    private final int maxTasks;

    public GroupService(TaskService tasks, TaskCatalogue catalogue, TaskPublisher publisher, TaskRecords records,
            GroupRecords groups, TaskWaiters waiters, TaskMetrics metrics, ObjectMapper mapper, ApiConfig config) {
        this.tasks = tasks;
        this.catalogue = catalogue;
        this.publisher = publisher;
        this.records = records;
        this.groups = groups;
        this.waiters = waiters;
        this.metrics = metrics;
        this.mapper = mapper;
        this.maxTasks = config.tasks().maxGroupTasks();
    }

    /**
     * The body of {@code POST /api/groups}.
     *
     * @param tasks      the submissions, each with the fields of {@code POST /api/tasks} (no idempotencyKey)
     * @param then       a chord's callback: a submission (no countdown, eta or idempotencyKey) run once
     *                   every task is final, with their results in order as its argument {@code results}
     * @param chordError with {@code then}: {@code fail} (default: a task that did not succeed keeps the
     *                   callback from running; it ends REVOKED with a ChordError) or {@code continue}
     *                   ({@code null} in {@code results} for such a task)
     */
    public record GroupSubmission(JsonNode tasks, JsonNode then, JsonNode chordError) {
    }

    /** Members and callback checked against the catalogue, ready to publish. */
    private record Prepared(List<GroupRecords.Member> members, GroupRecords.Callback callback) {
    }

    /** A parsed submission: its members and its callback's ({@code null} without one). */
    private record Parsed(List<TaskService.Request> members, TaskService.Request then, String chordError) {
    }

    /**
     * Accepts a group: every member checked, published and confirmed, then the group recorded. The
     * answer is the group as accepted; with {@code wait}, as it is once every member is final or the
     * wait is over.
     */
    public Uni<GroupView> submit(GroupSubmission submission, String correlationId, Duration wait) {
        Instant now = Instant.now();
        String groupId = UUID.randomUUID().toString();
        Executor workers = workers();
        return Uni.createFrom().item(() -> parse(submission, correlationId, now))
                .runSubscriptionOn(workers)
                .flatMap(parsed -> prepare(groupId, parsed, now, workers))
                .flatMap(prepared -> publish(groupId, prepared.members(), workers)
                        .flatMap(ignored -> commit(groupId, now, prepared.members(), prepared.callback()))
                        .emitOn(workers)
                        .map(ignored -> accepted(groupId, now, prepared.members(), prepared.callback())))
                .flatMap(accepted -> wait == null ? Uni.createFrom().item(accepted)
                        : awaitDone(groupId, accepted.then(), System.nanoTime() + wait.toNanos())
                                .flatMap(ignored -> groups.find(groupId))
                                .map(view -> view == null ? accepted : view));
    }

    /**
     * Where a group is parsed, checked and published: thousands of members are seconds of work on a
     * cold JVM, and on the event loop every other request of that loop would wait for them. Worker
     * threads, within the request's Vert.x context, so the log lines keep its correlation id.
     */
    private static Executor workers() {
        Context request = Vertx.currentContext();
        if (request == null) {
            return Infrastructure.getDefaultWorkerPool();
        }
        return work -> request.executeBlocking(() -> {
            work.run();
            return null;
        }, false);
    }

    /** Every member and the callback checked against the catalogue (each type and queue looked up once), on a worker thread. */
    private Uni<Prepared> prepare(String groupId, Parsed parsed, Instant now, Executor workers) {
        List<TaskService.Request> requests = parsed.members();
        Map<List<String>, Uni<TaskCatalogue.Known>> lookups = new LinkedHashMap<>();
        List<TaskService.Request> all = new ArrayList<>(requests);
        if (parsed.then() != null) {
            all.add(parsed.then());
        }
        all.forEach(r -> lookups.computeIfAbsent(List.of(r.type(), r.queue()), k -> catalogue.lookup(r.type(), r.queue())));
        List<List<String>> pairs = List.copyOf(lookups.keySet());
        return Uni.join().all(List.copyOf(lookups.values())).andFailFast()
                .onFailure().transform(e -> e instanceof Problem ? e : Problem.unavailable("The task catalogue could not be"
                        + " read from Redis (" + TaskService.rootMessage(e) + "). Nothing was queued; try again."))
                .emitOn(workers)
                .map(known -> {
                    Map<List<String>, TaskCatalogue.Known> byPair = new HashMap<>();
                    for (int i = 0; i < pairs.size(); i++) {
                        byPair.put(pairs.get(i), known.get(i));
                    }
                    List<GroupRecords.Member> members = new ArrayList<>(requests.size());
                    for (int i = 0; i < requests.size(); i++) {
                        TaskService.Request request = requests.get(i);
                        try {
                            TaskMessage message = tasks.checkAgainstCatalogue(request,
                                    byPair.get(List.of(request.type(), request.queue())), now);
                            members.add(new GroupRecords.Member(message.inGroup(groupId), request.due()));
                        } catch (Problem problem) {
                            throw prefixed("tasks[" + i + "]", problem);
                        }
                    }
                    GroupRecords.Callback callback = parsed.then() == null ? null
                            : callback(parsed.then(), byPair.get(List.of(parsed.then().type(), parsed.then().queue())),
                                    parsed.chordError(), now);
                    return new Prepared(members, callback);
                });
    }

    /**
     * The callback, checked against the catalogue with {@code results} given (an empty list stands
     * for them), recorded with its own arguments and sent with the results placeholder.
     */
    private GroupRecords.Callback callback(TaskService.Request then, TaskCatalogue.Known known, String chordError,
            Instant now) {
        ObjectNode withResults = ((ObjectNode) then.args()).deepCopy();
        withResults.putArray(RESULTS);
        TaskMessage checked;
        try {
            checked = tasks.checkAgainstCatalogue(new TaskService.Request(then.type(), withResults, then.queue(),
                    then.priority(), then.correlationId(), null, then.expires(), then.maxRetries(), then.timeout(), null),
                    known, now);
        } catch (Problem problem) {
            throw prefixed("then", problem);
        }
        ObjectNode sentArgs = withResults.deepCopy();
        sentArgs.put(RESULTS, GroupFields.resultsPlaceholder(checked.id()));
        TaskMessage recorded = new TaskMessage(checked.id(), checked.type(), then.args(), checked.queue(), checked.priority(),
                checked.createdAt(), checked.correlationId(), checked.maxRetries(), checked.timeout(), checked.expires(),
                null, 0, checked.sensitive());
        TaskMessage sent = new TaskMessage(checked.id(), checked.type(), sentArgs, checked.queue(), checked.priority(),
                checked.createdAt(), checked.correlationId(), checked.maxRetries(), checked.timeout(), checked.expires(),
                null, 0, checked.sensitive());
        return new GroupRecords.Callback(recorded, sent, chordError);
    }

    /** The newest groups, newest first (limit 1–100), with their progress; 400 for another limit. */
    public Uni<List<GroupSummary>> recent(int limit) {
        if (limit < 1 || limit > MAX_LIST) {
            throw Problem.badRequest("limit must be from 1 to " + MAX_LIST + ".",
                    List.of(new Problem.FieldError("limit", "must be from 1 to " + MAX_LIST)));
        }
        return groups.recent(limit).onFailure().transform(e -> Problem.unavailable("The groups could not be read"
                + " from Redis (" + TaskService.rootMessage(e) + "); try again."));
    }

    /** A group with its members; with {@code wait}, once every member is final or the wait is over. 404 when unknown. */
    public Uni<GroupView> get(String groupId, Duration wait) {
        Uni<Void> waited = wait == null ? Uni.createFrom().voidItem()
                : groups.find(groupId).flatMap(view -> view == null ? Uni.createFrom().voidItem()
                        : awaitDone(groupId, view.then(), System.nanoTime() + wait.toNanos()));
        return waited.flatMap(ignored -> groups.find(groupId))
                .onFailure().transform(e -> e instanceof Problem ? e : Problem.unavailable("The group could not be read"
                        + " from Redis (" + TaskService.rootMessage(e) + "); try again."))
                .map(view -> {
                    if (view == null) {
                        throw Problem.notFound("No group with id '" + groupId + "': it was never accepted, or it expired.");
                    }
                    return view;
                });
    }

    /**
     * Revokes every member not final yet, as {@code DELETE /api/tasks/{id}} does one: those waiting
     * never run, running ones are interrupted. The answer is the group after.
     */
    public Uni<GroupView> revoke(String groupId) {
        Instant now = Instant.now();
        TaskError reason = new TaskError("Revoked", "revoked with its group " + groupId + " at " + now);
        return get(groupId, null)
                // The callback first: revoked members must not complete the group and schedule it.
                .flatMap(view -> (view.then() == null || view.then().isFinal() ? Uni.createFrom().voidItem()
                        : records.revoke(view.then().id(), reason, now).replaceWithVoid())
                        .replaceWith(view))
                .flatMap(view -> Multi.createFrom().iterable(view.tasks())
                        .filter(member -> !member.isFinal())
                        .onItem().transformToUni(member -> records.revoke(member.id(), reason, now))
                        .merge(REVOKING_AT_ONCE)
                        .collect().asList()
                        .onFailure().transform(e -> Problem.unavailable("The group's tasks could not all be revoked ("
                                + TaskService.rootMessage(e) + "); those revoked stay so, try again for the rest.")))
                .flatMap(ignored -> get(groupId, null));
    }

    private Parsed parse(GroupSubmission submission, String correlationId, Instant now) {
        JsonNode list = submission == null ? null : submission.tasks();
        if (list == null || !list.isArray()) {
            throw Problem.badRequest("A group needs a list of tasks: {\"tasks\":[{\"type\":\"add\",\"args\":{\"x\":1,\"y\":2}}, …]}.",
                    List.of(new Problem.FieldError("tasks", "must be a list of task submissions")));
        }
        if (list.isEmpty() || list.size() > maxTasks) {
            throw Problem.badRequest("A group has from 1 to " + maxTasks + " tasks (hotpot.tasks.max-group-tasks), not "
                    + list.size() + ".", List.of(new Problem.FieldError("tasks", "must list 1 to " + maxTasks + " tasks")));
        }
        List<TaskService.Request> requests = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            TaskService.Request request = submission("tasks[" + i + "]", list.get(i), correlationId, now);
            if (!request.then().isEmpty()) {
                throw Problem.badRequest("tasks[" + i + "] has then, which a member of a group cannot have: give the group"
                        + " a then (a chord's callback) instead.",
                        List.of(new Problem.FieldError("tasks[" + i + "].then", "is not taken inside a group")));
            }
            if (request.idempotencyKey() != null) {
                throw Problem.badRequest("tasks[" + i + "] has an idempotencyKey, which a member of a group cannot have.",
                        List.of(new Problem.FieldError("tasks[" + i + "].idempotencyKey", "is not taken inside a group")));
            }
            requests.add(request);
        }
        JsonNode thenNode = submission.then();
        if (thenNode == null || thenNode.isNull()) {
            if (submission.chordError() != null && !submission.chordError().isNull()) {
                throw Problem.badRequest("chordError is for a group with a callback (then).",
                        List.of(new Problem.FieldError("chordError", "needs then")));
            }
            return new Parsed(requests, null, null);
        }
        TaskService.Request then = submission("then", thenNode, correlationId, now);
        List<Problem.FieldError> errors = new ArrayList<>();
        if (then.idempotencyKey() != null) {
            errors.add(new Problem.FieldError("then.idempotencyKey", "is not taken for a callback"));
        }
        if (!then.then().isEmpty()) {
            errors.add(new Problem.FieldError("then.then", "is not taken for a callback"));
        }
        if (then.due() != null) {
            errors.add(new Problem.FieldError(thenNode.has("eta") ? "then.eta" : "then.countdown",
                    "is not taken for a callback: it runs when every task of the group is final"));
        }
        if (then.args().has(RESULTS)) {
            errors.add(new Problem.FieldError("then.args." + RESULTS, "is given by the group: its tasks' results, in order"));
        }
        String chordError = GroupFields.CHORD_ERROR_FAIL;
        JsonNode policy = submission.chordError();
        if (policy != null && !policy.isNull()) {
            if (policy.isTextual() && (policy.asText().equals(GroupFields.CHORD_ERROR_FAIL)
                    || policy.asText().equals(GroupFields.CHORD_ERROR_CONTINUE))) {
                chordError = policy.asText();
            } else {
                errors.add(new Problem.FieldError("chordError", "must be fail or continue"));
            }
        }
        if (!errors.isEmpty()) {
            throw Problem.badRequest("The group's callback (then) is not valid.", errors);
        }
        return new Parsed(requests, then, chordError);
    }

    /** One submission of the body, at {@code at}: parsed as {@code POST /api/tasks} parses one. */
    private TaskService.Request submission(String at, JsonNode item, String correlationId, Instant now) {
        if (!item.isObject()) {
            throw Problem.badRequest(at + " is not a task submission.", List.of(new Problem.FieldError(at, "must be an object")));
        }
        try {
            return tasks.parse(mapper.convertValue(item, TaskSubmission.class), correlationId, now);
        } catch (Problem problem) {
            throw prefixed(at, problem);
        } catch (IllegalArgumentException unreadable) {
            throw Problem.badRequest(at + " is not a task submission: " + unreadable.getMessage(),
                    List.of(new Problem.FieldError(at, "must be an object with the fields of POST /api/tasks")));
        }
    }

    /** A member's or the callback's problem, its fields named from the group's body. */
    private static Problem prefixed(String at, Problem problem) {
        return new Problem(problem.status(), problem.title(), at + ": " + problem.detail(), problem.errors().stream()
                .map(e -> new Problem.FieldError(at + "." + e.field(), e.message())).toList());
    }

    /** Publishes the members queued now, all confirmed; else the group is abandoned and the answer is 503. */
    private Uni<Void> publish(String groupId, List<GroupRecords.Member> members, Executor workers) {
        return Multi.createFrom().iterable(members)
                .filter(member -> member.due() == null)
                .onItem().transformToUni(member -> Uni.createFrom().completionStage(() -> publisher.publish(member.message()))
                        .map(ignored -> (Throwable) null)
                        .onFailure().recoverWithItem(e -> e)
                        // A confirm arrives on the connector's event loop; the next member is serialised and sent from here.
                        .emitOn(workers))
                .merge(PUBLISHING_AT_ONCE)
                .filter(Objects::nonNull)
                .collect().asList()
                .flatMap(failures -> {
                    if (failures.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    String why = TaskService.rootMessage(failures.get(0));
                    LOG.warnf("HOTPOT-API-070 group %s not accepted: RabbitMQ did not confirm %d of its tasks (%s); abandoning it",
                            groupId, failures.size(), why);
                    return groups.abandon(groupId)
                            .onFailure().invoke(e -> LOG.warnf("HOTPOT-API-071 group %s could not be marked abandoned (%s); "
                                    + "workers give it up after hotpot.worker.group-gate", groupId, e.getMessage()))
                            .onFailure().recoverWithNull()
                            .map(ignored -> {
                                throw Problem.unavailable("The group " + groupId + " was not accepted: RabbitMQ did not confirm " + failures.size()
                                        + " of its tasks (" + why + "). None of its tasks will run; try again.");
                            });
                });
    }

    /** Records the group and its members; 503 when Redis does not, or a worker gave the group up first. */
    private Uni<Void> commit(String groupId, Instant createdAt, List<GroupRecords.Member> members,
            GroupRecords.Callback callback) {
        return groups.commit(groupId, createdAt, members, callback)
                .onFailure().transform(e -> {
                    LOG.warnf("HOTPOT-API-072 group %s: its tasks are queued but the group could not be recorded (%s); "
                            + "workers give it up after hotpot.worker.group-gate", groupId, e.getMessage());
                    return Problem.unavailable("The group " + groupId + " was not accepted: it could not be recorded in Redis ("
                            + TaskService.rootMessage(e) + "). None of its tasks will run; try again.");
                })
                .map(state -> {
                    if (!GroupFields.COMMITTED.equals(state)) {
                        throw Problem.unavailable("The group " + groupId + " was not accepted: its tasks were not all confirmed within"
                                + " hotpot.worker.group-gate, and the workers gave it up. None of its tasks will run; try again.");
                    }
                    return null;
                });
    }

    private GroupView accepted(String groupId, Instant createdAt, List<GroupRecords.Member> members,
            GroupRecords.Callback callback) {
        Map<TaskStatus, Long> counts = new LinkedHashMap<>();
        List<GroupView.Member> views = new ArrayList<>(members.size());
        for (GroupRecords.Member member : members) {
            TaskStatus status = member.due() == null ? TaskStatus.PENDING : TaskStatus.SCHEDULED;
            counts.merge(status, 1L, Long::sum);
            views.add(new GroupView.Member(member.message().id(), member.message().type(), status, null, null));
            metrics.submitted(member.message().type(), member.message().queue());
        }
        GroupView.Member then = null;
        if (callback != null) {
            then = new GroupView.Member(callback.recorded().id(), callback.recorded().type(), TaskStatus.SCHEDULED, null, null);
            metrics.submitted(callback.recorded().type(), callback.recorded().queue());
        }
        LOG.infof("HOTPOT-API-073 group %s accepted with %d tasks%s", groupId, members.size(),
                callback == null ? "" : " and the callback " + callback.recorded().id());
        return GroupView.of(groupId, createdAt, members.size(), counts, views, then,
                callback == null ? null : callback.chordError());
    }

    /**
     * Waits until every member is final (one waiter, released by the group event that counts the
     * last one), then for the callback, if there is one, or until the deadline.
     */
    private Uni<Void> awaitDone(String groupId, GroupView.Member then, long deadline) {
        long wait = deadline - System.nanoTime();
        Uni<Void> members = wait <= 0 ? Uni.createFrom().voidItem()
                : waiters.awaitGroup(groupId, Duration.ofNanos(wait), () -> groups.allFinished(groupId));
        return members.flatMap(ignored -> {
                    long left = deadline - System.nanoTime();
                    if (then == null || left <= 0) {
                        return Uni.createFrom().voidItem();
                    }
                    return waiters.await(then.id(), Duration.ofNanos(left), () -> tasks.get(then.id()))
                            .onFailure(Problem.class).recoverWithNull()
                            .replaceWithVoid();
                });
    }
}
