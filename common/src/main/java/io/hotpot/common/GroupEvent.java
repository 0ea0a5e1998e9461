package io.hotpot.common;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A change of a group ({@code POST /api/groups}), published on {@link RedisKeys#TASK_EVENTS_CHANNEL}
 * beside the task events (chat-service relays it to {@code /ws/tasks} as a {@code group-event}
 * frame): once when the group is recorded, then each time one of its tasks becomes final, from the
 * same script that records that outcome ({@link WorkflowScripts}), so {@code finished} counts each
 * task once.
 *
 * @param kind     always {@value #KIND}: what tells it from a {@link TaskEvent}
 * @param group    the group's id
 * @param event    {@value #CREATED} or {@value #FINISHED} (one of its tasks became final)
 * @param task     with {@value #FINISHED}: the task that became final
 * @param status   with {@value #FINISHED}: that task's status ({@code SUCCESS}, {@code FAILURE} or {@code REVOKED})
 * @param total    how many tasks the group has
 * @param finished how many are final now
 * @param counts   how many ended in each final status
 * @param then     with {@value #CREATED}: the chord's callback id, when the group has one
 * @param at       when it happened
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GroupEvent(String kind, String group, String event, String task, TaskStatus status, int total,
        int finished, Map<TaskStatus, Integer> counts, String then, Instant at) {
    public static final String KIND = "group";
    public static final String CREATED = "created";
    public static final String FINISHED = "finished";

    /** The event of a group just recorded. */
    public static GroupEvent created(String group, int total, String then, Instant at) {
        return new GroupEvent(KIND, group, CREATED, null, null, total, 0,
                Map.of(TaskStatus.SUCCESS, 0, TaskStatus.FAILURE, 0, TaskStatus.REVOKED, 0), then, at);
    }
}
