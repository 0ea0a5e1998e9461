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

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.api.config.ApiConfig;
import io.hotpot.api.metrics.TaskMetrics;
import io.hotpot.common.GroupFields;
import io.hotpot.common.TaskError;
import io.hotpot.common.TaskMessage;
import io.hotpot.common.TaskStatus;
import io.hotpot.messaging.TaskPublisher;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

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
    /** Members revoked at once. */
    private static final int REVOKING_AT_ONCE = 64;

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
     * @param tasks the submissions, each with the fields of {@code POST /api/tasks} (no idempotencyKey)
     */
    public record GroupSubmission(JsonNode tasks) {
    }

    /**
     * Accepts a group: every member checked, published and confirmed, then the group recorded. The
     * answer is the group as accepted; with {@code wait}, as it is once every member is final or the
     * wait is over.
     */
    public Uni<GroupView> submit(GroupSubmission submission, String correlationId, Duration wait) {
        Instant now = Instant.now();
        List<TaskService.Request> requests = parse(submission, correlationId, now);
        Map<List<String>, Uni<TaskCatalogue.Known>> lookups = new LinkedHashMap<>();
        requests.forEach(r -> lookups.computeIfAbsent(List.of(r.type(), r.queue()), k -> catalogue.lookup(r.type(), r.queue())));
        List<List<String>> pairs = List.copyOf(lookups.keySet());
        String groupId = UUID.randomUUID().toString();
        return Uni.join().all(List.copyOf(lookups.values())).andFailFast()
                .onFailure().transform(e -> e instanceof Problem ? e : Problem.unavailable("The task catalogue could not be"
                        + " read from Redis (" + TaskService.rootMessage(e) + "). Nothing was queued; try again."))
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
                            throw member(i, problem);
                        }
                    }
                    return members;
                })
                .flatMap(members -> publish(groupId, members)
                        .flatMap(ignored -> commit(groupId, now, members))
                        .map(ignored -> accepted(groupId, now, members)))
                .flatMap(accepted -> wait == null ? Uni.createFrom().item(accepted)
                        : awaitFrom(groupId, 0, System.nanoTime() + wait.toNanos())
                                .flatMap(ignored -> groups.find(groupId))
                                .map(view -> view == null ? accepted : view));
    }

    /** A group with its members; with {@code wait}, once every member is final or the wait is over. 404 when unknown. */
    public Uni<GroupView> get(String groupId, Duration wait) {
        Uni<Void> waited = wait == null ? Uni.createFrom().voidItem()
                : awaitFrom(groupId, 0, System.nanoTime() + wait.toNanos());
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
                .flatMap(view -> Multi.createFrom().iterable(view.tasks())
                        .filter(member -> !member.isFinal())
                        .onItem().transformToUni(member -> records.revoke(member.id(), reason, now))
                        .merge(REVOKING_AT_ONCE)
                        .collect().asList()
                        .onFailure().transform(e -> Problem.unavailable("The group's tasks could not all be revoked ("
                                + TaskService.rootMessage(e) + "); those revoked stay so, try again for the rest.")))
                .flatMap(ignored -> get(groupId, null));
    }

    private List<TaskService.Request> parse(GroupSubmission submission, String correlationId, Instant now) {
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
            JsonNode item = list.get(i);
            if (!item.isObject()) {
                throw Problem.badRequest("tasks[" + i + "] is not a task submission.",
                        List.of(new Problem.FieldError("tasks[" + i + "]", "must be an object")));
            }
            TaskService.Request request;
            try {
                request = tasks.parse(mapper.convertValue(item, TaskSubmission.class), correlationId, now);
            } catch (Problem problem) {
                throw member(i, problem);
            } catch (IllegalArgumentException unreadable) {
                throw Problem.badRequest("tasks[" + i + "] is not a task submission: " + unreadable.getMessage(),
                        List.of(new Problem.FieldError("tasks[" + i + "]", "must be an object with the fields of POST /api/tasks")));
            }
            if (request.idempotencyKey() != null) {
                throw Problem.badRequest("tasks[" + i + "] has an idempotencyKey, which a member of a group cannot have.",
                        List.of(new Problem.FieldError("tasks[" + i + "].idempotencyKey", "is not taken inside a group")));
            }
            requests.add(request);
        }
        return requests;
    }

    /** A member's problem, its fields named from the group's body. */
    private static Problem member(int index, Problem problem) {
        String at = "tasks[" + index + "]";
        return new Problem(problem.status(), problem.title(), at + ": " + problem.detail(), problem.errors().stream()
                .map(e -> new Problem.FieldError(at + "." + e.field(), e.message())).toList());
    }

    /** Publishes the members queued now, all confirmed; else the group is abandoned and the answer is 503. */
    private Uni<Void> publish(String groupId, List<GroupRecords.Member> members) {
        return Multi.createFrom().iterable(members)
                .filter(member -> member.due() == null)
                .onItem().transformToUni(member -> Uni.createFrom().completionStage(() -> publisher.publish(member.message()))
                        .map(ignored -> (Throwable) null)
                        .onFailure().recoverWithItem(e -> e))
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
    private Uni<Void> commit(String groupId, Instant createdAt, List<GroupRecords.Member> members) {
        return groups.commit(groupId, createdAt, members)
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

    private GroupView accepted(String groupId, Instant createdAt, List<GroupRecords.Member> members) {
        Map<TaskStatus, Long> counts = new LinkedHashMap<>();
        List<GroupView.Member> views = new ArrayList<>(members.size());
        for (GroupRecords.Member member : members) {
            TaskStatus status = member.due() == null ? TaskStatus.PENDING : TaskStatus.SCHEDULED;
            counts.merge(status, 1L, Long::sum);
            views.add(new GroupView.Member(member.message().id(), member.message().type(), status, null, null));
            metrics.submitted(member.message().type(), member.message().queue());
        }
        LOG.infof("HOTPOT-API-073 group %s accepted with %d tasks", groupId, members.size());
        return GroupView.of(groupId, createdAt, members.size(), counts, views);
    }

    /**
     * Waits, member after member from {@code from}, until every one is final or the deadline
     * ({@link System#nanoTime()}) passes: each wait is for the first member still open, so the
     * whole wait reads each record about once.
     */
    private Uni<Void> awaitFrom(String groupId, int from, long deadline) {
        return groups.nextOpen(groupId, from).flatMap(open -> {
            long left = deadline - System.nanoTime();
            if (open == null || left <= 0) {
                return Uni.createFrom().voidItem();
            }
            String id = open.getValue();
            return waiters.await(id, Duration.ofNanos(left), () -> tasks.get(id))
                    .onFailure(Problem.class).recoverWithNull() // its record expired meanwhile: nothing to wait for
                    .flatMap(ignored -> awaitFrom(groupId, open.getKey(), deadline));
        });
    }
}
