package io.hotpot.common;

/**
 * Field names of a schedule's state, a Redis hash at {@link RedisKeys#scheduleState(String)}
 * written by the scheduler's leader. Times are epoch milliseconds as text.
 */
public final class ScheduleFields {
    /** The next tick; {@link #DONE} after a one-off fired. Absent until the leader computed it. */
    public static final String NEXT_FIRE_TIME = "nextFireTime";
    /** The tick of the last task created. */
    public static final String LAST_FIRE_TIME = "lastFireTime";
    /** The id of the last task created. */
    public static final String LAST_TASK_ID = "lastTaskId";
    /** The last tick given up as missed (policy {@code skip}). */
    public static final String LAST_MISSED_TIME = "lastMissedTime";
    /** The timing the next fire time was computed from (cron, zone, every, at); a change recomputes it. */
    public static final String SPEC = "spec";
    /** Value of {@link #NEXT_FIRE_TIME} when a one-off schedule has nothing left to fire. */
    public static final String DONE = "done";
    /** Task record field naming the schedule that created the task. */
    public static final String TASK_SCHEDULE = "schedule";

    private ScheduleFields() {
    }
}
