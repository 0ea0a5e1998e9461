package io.hotpot.api.service;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The body of {@code POST /api/schedules} and {@code PUT /api/schedules/{name}}. Fields are kept
 * loose ({@link JsonNode}) so a wrong JSON type is reported as a field error.
 *
 * @param name     the schedule's name (on PUT, optional and equal to the path's)
 * @param cron     Quartz cron with seconds, e.g. {@code 0 0 7 * * ?}
 * @param timezone IANA time zone of the cron, UTC when absent
 * @param every    fixed interval, ISO-8601 duration such as {@code PT1S}
 * @param at       one-off time, ISO-8601 instant in the future
 * @param enabled  false creates it paused; true when absent
 * @param missed   {@code skip} (default) or {@code run-once}
 * @param task     {@code {"type", "args", "queue", "priority"}} as for {@code POST /api/tasks}
 */
public record ScheduleRequest(JsonNode name, JsonNode cron, JsonNode timezone, JsonNode every, JsonNode at,
        JsonNode enabled, JsonNode missed, TaskSubmission task) {
}
