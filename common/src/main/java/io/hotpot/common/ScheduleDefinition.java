package io.hotpot.common;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A schedule as stored in Redis: dynamic ones (written by api-service) in
 * {@link RedisKeys#SCHEDULES}, those from a scheduler group's configuration in
 * {@link RedisKeys#configSchedules(String)}, each under its name as JSON. Exactly one of
 * {@code cron}, {@code every}, {@code at} is set.
 *
 * @param name      the schedule's name, also its key
 * @param cron      Quartz cron with seconds, e.g. {@code 0 0 7 * * ?}
 * @param timezone  IANA zone the cron is read in (UTC when absent)
 * @param every     fixed interval, an ISO-8601 duration such as {@code PT1S}; ticks are whole
 *                  multiples of it since the Unix epoch, so every replica computes the same ticks
 * @param at        one-off fire time
 * @param enabled   false while paused
 * @param missed    what to do with ticks later than the starting deadline
 * @param task      the task each tick creates
 * @param source    {@code api} or {@code config}
 * @param updatedAt when the definition last changed
 */
public record ScheduleDefinition(
        String name,
        String cron,
        String timezone,
        String every,
        Instant at,
        boolean enabled,
        MissedPolicy missed,
        Task task,
        String source,
        Instant updatedAt) {

    /** Source of a schedule written through the REST API. */
    public static final String SOURCE_API = "api";
    /** Source of a schedule from a scheduler's configuration (read-only through the API). */
    public static final String SOURCE_CONFIG = "config";

    /**
     * The task a tick creates.
     *
     * @param type     handler type name
     * @param args     handler arguments, a JSON object
     * @param queue    logical queue
     * @param priority 0–9
     */
    public record Task(String type, JsonNode args, String queue, int priority) {
    }
}
