package io.hotpot.api.service;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.hotpot.common.Amqp;
import io.hotpot.common.MissedPolicy;
import io.hotpot.common.ScheduleDefinition;
import io.hotpot.common.ScheduleFields;
import io.hotpot.common.TaskStatus;
import io.hotpot.common.TaskTypeInfo;
import io.smallrye.mutiny.Uni;

/**
 * Schedules through the API: checked completely before anything is stored (timing, then the
 * task against the live workers, as a task submission is), then written in one script. The
 * scheduler's leader picks a change up on its next round (every 250 ms) without a restart.
 * Configured schedules (from scheduler-service's properties) are shown but not changed here.
 */
@ApplicationScoped
public class ScheduleService {
    /** Schedule names become parts of Redis keys and URLs (as scheduler-service checks them). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
    private static final Pattern QUEUE_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
    /** The parser scheduler-service's {@code Timing} computes the ticks with (cron-utils, Quartz definition). */
    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    private final ScheduleStore store;
    private final TaskCatalogue catalogue;

    public ScheduleService(ScheduleStore store, TaskCatalogue catalogue) {
        this.store = store;
        this.catalogue = catalogue;
    }

    public Uni<ScheduleView> create(ScheduleRequest request) {
        String name = text(request == null ? null : request.name(), "name");
        if (name == null) {
            throw Problem.badRequest("The schedule needs a name.", List.of(new Problem.FieldError("name", "is required")));
        }
        checkName(name);
        return checked(name, request, true, Instant.now()).flatMap(definition -> store.create(definition).map(result -> {
            if (result == ScheduleStore.CONFIGURED) {
                throw configured(name);
            }
            if (result == ScheduleStore.CONFLICT) {
                throw new Problem(409, "Conflict", "A schedule named '" + name + "' exists; update it with PUT /api/schedules/"
                        + name + " or choose another name.", List.of(new Problem.FieldError("name", "is taken")));
            }
            return definition;
        })).flatMap(this::view);
    }

    public Uni<ScheduleView> replace(String name, ScheduleRequest request) {
        if (request == null) {
            throw Problem.badRequest("The request needs a JSON body: the schedule's timing and its task.", List.of());
        }
        String inBody = text(request.name(), "name");
        if (inBody != null && !inBody.equals(name)) {
            throw Problem.badRequest("The name in the body differs from the one in the path; a schedule cannot be renamed.",
                    List.of(new Problem.FieldError("name", "must be '" + name + "' or absent")));
        }
        return dynamic(name).flatMap(before -> checked(name, request, before.definition().enabled(), Instant.now())
                .flatMap(after -> store.replace(before, after, true).map(result -> {
                    if (result != ScheduleStore.DONE) {
                        throw changedMeanwhile(name);
                    }
                    return after;
                }))).flatMap(this::view);
    }

    public Uni<ScheduleView> setEnabled(String name, boolean enabled) {
        return dynamic(name).flatMap(before -> {
            ScheduleDefinition d = before.definition();
            if (d.enabled() == enabled) {
                return Uni.createFrom().item(d);
            }
            ScheduleDefinition after = new ScheduleDefinition(d.name(), d.cron(), d.timezone(), d.every(), d.at(), enabled,
                    d.missed(), d.task(), d.source(), Instant.now());
            // Resuming starts from the next tick: ticks while paused are not missed ones.
            return store.replace(before, after, enabled).map(result -> {
                if (result != ScheduleStore.DONE) {
                    throw changedMeanwhile(name);
                }
                return after;
            });
        }).flatMap(this::view);
    }

    public Uni<Void> delete(String name) {
        return store.delete(name).flatMap(deleted -> deleted ? Uni.createFrom().voidItem()
                : store.findConfigured(name).map(configured -> ScheduleService.<Void>absent(name, configured)));
    }

    public Uni<ScheduleView> get(String name) {
        return store.findDynamic(name).flatMap(stored -> stored != null ? Uni.createFrom().item(stored.definition())
                : store.findConfigured(name)).flatMap(definition -> {
                    if (definition == null) {
                        throw notFound(name);
                    }
                    return view(definition);
                });
    }

    public Uni<List<ScheduleView>> list() {
        return store.all().flatMap(all -> all.isEmpty() ? Uni.createFrom().item(List.of())
                : Uni.join().all(all.stream().map(this::view).toList()).andFailFast());
    }

    private Uni<ScheduleStore.Stored> dynamic(String name) {
        return store.findDynamic(name).flatMap(stored -> stored != null ? Uni.createFrom().item(stored)
                : store.findConfigured(name).map(configured -> absent(name, configured)));
    }

    /** Fails: a dynamic schedule of that name is absent, either because it is a configured one or none at all. */
    private static <T> T absent(String name, ScheduleDefinition configured) {
        throw configured != null ? configured(name) : notFound(name);
    }

    private Uni<ScheduleView> view(ScheduleDefinition d) {
        return store.state(d.name()).flatMap(state -> {
            String lastTask = state.get(ScheduleFields.LAST_TASK_ID);
            Uni<String> status = lastTask == null ? Uni.createFrom().nullItem() : store.taskStatus(lastTask);
            return status.map(s -> new ScheduleView(d.name(), d.cron(), d.timezone(), d.every(), d.at(), d.enabled(),
                    d.missed(), d.task(), d.source(), d.updatedAt(),
                    d.enabled() ? millis(state.get(ScheduleFields.NEXT_FIRE_TIME)) : null,
                    millis(state.get(ScheduleFields.LAST_FIRE_TIME)), lastTask, s == null ? null : TaskStatus.valueOf(s)));
        });
    }

    private static Instant millis(String value) {
        return value == null || ScheduleFields.DONE.equals(value) ? null : Instant.ofEpochMilli(Long.parseLong(value));
    }

    /** Checks everything but the task against the workers, then that; the definition to store. */
    private Uni<ScheduleDefinition> checked(String name, ScheduleRequest r, boolean enabledByDefault, Instant now) {
        List<Problem.FieldError> errors = new ArrayList<>();
        String cron = text(r.cron(), "cron");
        String timezone = text(r.timezone(), "timezone");
        String every = text(r.every(), "every");
        String atText = text(r.at(), "at");
        int kinds = (cron != null ? 1 : 0) + (every != null ? 1 : 0) + (atText != null ? 1 : 0);
        if (kinds != 1) {
            errors.add(new Problem.FieldError(kinds == 0 ? "cron" : "every",
                    "exactly one of cron, every and at is required"));
        }
        if (cron != null) {
            try {
                QUARTZ.parse(cron);
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError("cron", "is not a valid Quartz cron expression with seconds (e.g. '0 0 7 * * ?'): "
                        + e.getMessage()));
            }
        }
        if (timezone != null) {
            if (cron == null) {
                errors.add(new Problem.FieldError("timezone", "applies only to cron"));
            }
            try {
                ZoneId.of(timezone);
            } catch (DateTimeException e) {
                errors.add(new Problem.FieldError("timezone", "is not a known time zone (e.g. Europe/Paris, UTC)"));
            }
        }
        if (every != null) {
            try {
                Duration interval = Duration.parse(every);
                if (interval.isNegative() || interval.toMillis() < 1) {
                    errors.add(new Problem.FieldError("every", "must be longer than zero"));
                }
            } catch (DateTimeParseException e) {
                errors.add(new Problem.FieldError("every", "is not an ISO-8601 duration (e.g. PT1S, PT5M, P1D)"));
            }
        }
        Instant at = null;
        if (atText != null) {
            try {
                at = Instant.parse(atText);
                if (!at.isAfter(now)) {
                    errors.add(new Problem.FieldError("at", "is in the past; a one-off needs a future time"));
                }
            } catch (DateTimeParseException e) {
                errors.add(new Problem.FieldError("at", "is not an ISO-8601 instant (e.g. 2026-12-01T07:00:00Z)"));
            }
        }
        boolean enabled = enabledByDefault;
        if (r.enabled() != null && !r.enabled().isNull()) {
            if (!r.enabled().isBoolean()) {
                errors.add(new Problem.FieldError("enabled", "must be true or false"));
            } else {
                enabled = r.enabled().asBoolean();
            }
        }
        MissedPolicy missed = MissedPolicy.SKIP;
        String missedText = text(r.missed(), "missed");
        if (missedText != null) {
            missed = MissedPolicy.fromWireName(missedText);
            if (missed == null) {
                errors.add(new Problem.FieldError("missed", "must be 'skip' or 'run-once'"));
            }
        }
        TaskSubmission t = r.task();
        String type = t == null ? null : text(t.type(), "task.type");
        if (type == null) {
            errors.add(new Problem.FieldError("task.type", "is required"));
        }
        JsonNode args = t == null || t.args() == null || t.args().isNull() ? JsonNodeFactory.instance.objectNode() : t.args();
        if (!args.isObject()) {
            errors.add(new Problem.FieldError("task.args", "must be an object"));
        }
        String queue = t == null ? null : text(t.queue(), "task.queue");
        if (queue == null) {
            queue = Amqp.DEFAULT_QUEUE;
        } else if (!QUEUE_NAME.matcher(queue).matches()) {
            errors.add(new Problem.FieldError("task.queue",
                    "must be a string of 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit"));
        }
        int priority = 0;
        if (t != null && t.priority() != null && !t.priority().isNull()) {
            if (!t.priority().canConvertToExactIntegral() || t.priority().asInt() < 0 || t.priority().asInt() > Amqp.MAX_PRIORITY) {
                errors.add(new Problem.FieldError("task.priority", "must be an integer from 0 to " + Amqp.MAX_PRIORITY));
            } else {
                priority = t.priority().asInt();
            }
        }
        if (!errors.isEmpty()) {
            throw Problem.badRequest("The schedule is not valid: " + errors.get(0).field() + " " + errors.get(0).message()
                    + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "") + ". Nothing was stored.", errors);
        }
        ScheduleDefinition definition = new ScheduleDefinition(name, cron, cron == null ? null : timezone, every, at, enabled,
                missed, new ScheduleDefinition.Task(type, args, queue, priority), ScheduleDefinition.SOURCE_API, now);
        return catalogue.lookup(type, queue)
                .map(known -> checkAgainstCatalogue(definition, known.types(), known.queues()));
    }

    private static ScheduleDefinition checkAgainstCatalogue(ScheduleDefinition d, Map<String, TaskTypeInfo> types,
            List<String> queues) {
        TaskTypeInfo info = types.get(d.task().type());
        if (info == null) {
            throw Problem.unprocessable("The task type '" + d.task().type() + "' is unknown: no worker has advertised it and the"
                    + " configuration does not declare it. Known types: "
                    + (types.isEmpty() ? "none" : String.join(", ", types.keySet()))
                    + ". Nothing was stored.", List.of(new Problem.FieldError("task.type", "is not a known task type")));
        }
        if (!queues.contains(d.task().queue())) {
            throw Problem.unprocessable("The queue '" + d.task().queue() + "' is unknown: no worker has consumed it and the configuration"
                    + " does not declare it. Known queues: "
                    + String.join(", ", queues) + ". Nothing was stored.",
                    List.of(new Problem.FieldError("task.queue", "is not a known queue")));
        }
        List<Problem.FieldError> errors = ArgsValidator.check(info, d.task().args()).stream()
                .map(e -> new Problem.FieldError("task." + e.field(), e.message())).toList();
        if (!errors.isEmpty()) {
            throw Problem.unprocessable("The arguments do not fit the task type '" + d.task().type() + "'. Nothing was stored.",
                    errors);
        }
        return d;
    }

    private static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw Problem.badRequest("The schedule name is not valid.", List.of(new Problem.FieldError("name",
                    "must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit")));
        }
    }

    /** A string field's text, {@code null} when absent; 400 when it is not a string. */
    private static String text(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw Problem.badRequest("The field " + field + " must be a string.",
                    List.of(new Problem.FieldError(field, "must be a string")));
        }
        return node.asText().isBlank() ? null : node.asText();
    }

    private static Problem notFound(String name) {
        return Problem.notFound("No schedule named '" + name + "'.");
    }

    private static Problem configured(String name) {
        return new Problem(409, "Conflict", "The schedule '" + name + "' comes from scheduler-service's configuration"
                + " (hotpot.schedules.\"" + name + "\".*); change it there, not through the API.");
    }

    private static Problem changedMeanwhile(String name) {
        return new Problem(409, "Conflict", "The schedule '" + name + "' changed while this request was handled; read it and try again.");
    }
}
