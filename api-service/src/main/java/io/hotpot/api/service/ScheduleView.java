package io.hotpot.api.service;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.hotpot.common.MissedPolicy;
import io.hotpot.common.ScheduleDefinition;
import io.hotpot.common.TaskStatus;

/**
 * A schedule as {@code /api/schedules} shows it: its definition and what the scheduler's leader
 * did with it. {@code nextFireTime} is absent while paused or after a one-off fired;
 * {@code lastTaskStatus} is absent once the last task's record expired.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ScheduleView(
        String name,
        String cron,
        String timezone,
        String every,
        Instant at,
        boolean enabled,
        MissedPolicy missed,
        ScheduleDefinition.Task task,
        String source,
        Instant updatedAt,
        Instant nextFireTime,
        Instant lastFireTime,
        String lastTaskId,
        TaskStatus lastTaskStatus) {
}
