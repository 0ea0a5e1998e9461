package io.hotpot.scheduler.schedule;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.Amqp;
import io.hotpot.common.MissedPolicy;
import io.hotpot.common.ScheduleDefinition;
import io.hotpot.scheduler.config.SchedulerConfig;

/**
 * The schedules of this replica's configuration ({@code hotpot.schedules."<name>".*}), checked
 * once at startup: an invalid one stops the service with a message naming the key, rather than
 * firing wrongly or never.
 */
@ApplicationScoped
public class ConfigSchedules {
    /** Schedule names become parts of Redis keys and URLs. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
    private static final Pattern QUEUE_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    private final List<ScheduleDefinition> schedules;

    public ConfigSchedules(SchedulerConfig config, ObjectMapper mapper) {
        Instant loaded = Instant.now();
        List<ScheduleDefinition> list = new ArrayList<>();
        for (Map.Entry<String, SchedulerConfig.Schedule> entry : config.schedules().entrySet()) {
            String key = "hotpot.schedules.\"" + entry.getKey() + "\"";
            try {
                list.add(definition(entry.getKey(), entry.getValue(), mapper, loaded));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("HOTPOT-SCHEDULER-030 " + key + " is invalid: " + e.getMessage(), e);
            }
        }
        this.schedules = List.copyOf(list);
    }

    /** Every configured schedule, enabled or not. */
    public List<ScheduleDefinition> all() {
        return schedules;
    }

    private static ScheduleDefinition definition(String name, SchedulerConfig.Schedule s, ObjectMapper mapper, Instant loaded) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("the name must be 1-100 letters, digits, '.', '_' or '-'");
        }
        Instant at;
        try {
            at = s.at().map(Instant::parse).orElse(null);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("at '" + s.at().get() + "' is not an ISO-8601 instant (e.g. 2026-12-01T07:00:00Z)");
        }
        Timing.of(s.cron().orElse(null), s.timezone().orElse(null), s.every().orElse(null), at);
        MissedPolicy missed = MissedPolicy.fromWireName(s.missed());
        if (missed == null) {
            throw new IllegalArgumentException("missed must be 'skip' or 'run-once', got '" + s.missed() + "'");
        }
        if (s.task().type().isBlank()) {
            throw new IllegalArgumentException("task.type is required");
        }
        JsonNode args;
        try {
            args = mapper.readTree(s.task().args());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("task.args is not valid JSON: " + e.getOriginalMessage());
        }
        if (args == null || !args.isObject()) {
            throw new IllegalArgumentException("task.args must be a JSON object");
        }
        if (!QUEUE_NAME.matcher(s.task().queue()).matches()) {
            throw new IllegalArgumentException("task.queue must be 1-64 lower-case letters, digits, '.', '_' or '-'");
        }
        if (s.task().priority() < 0 || s.task().priority() > Amqp.MAX_PRIORITY) {
            throw new IllegalArgumentException("task.priority must be from 0 to " + Amqp.MAX_PRIORITY);
        }
        return new ScheduleDefinition(name, s.cron().orElse(null), s.timezone().orElse(null), s.every().orElse(null), at,
                s.enabled(), missed, new ScheduleDefinition.Task(s.task().type(), args, s.task().queue(), s.task().priority()),
                ScheduleDefinition.SOURCE_CONFIG, loaded);
    }
}
