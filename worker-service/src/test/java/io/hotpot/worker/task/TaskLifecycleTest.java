package io.hotpot.worker.task;

import static io.hotpot.common.TaskStatus.FAILURE;
import static io.hotpot.common.TaskStatus.PENDING;
import static io.hotpot.common.TaskStatus.RETRY;
import static io.hotpot.common.TaskStatus.REVOKED;
import static io.hotpot.common.TaskStatus.SCHEDULED;
import static io.hotpot.common.TaskStatus.STARTED;
import static io.hotpot.common.TaskStatus.SUCCESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.hotpot.common.TaskStatus;

/** The whole table of legal status changes, spelled out: a change to the lifecycle changes this test. */
class TaskLifecycleTest {

    @Test
    void everyLegalChangeAndNoOther() {
        Map<TaskStatus, Set<TaskStatus>> legal = new EnumMap<>(TaskStatus.class);
        legal.put(PENDING, EnumSet.of(STARTED, REVOKED));
        legal.put(SCHEDULED, EnumSet.of(STARTED, REVOKED));
        legal.put(RETRY, EnumSet.of(STARTED, REVOKED));
        legal.put(STARTED, EnumSet.of(STARTED, SUCCESS, FAILURE, RETRY, REVOKED));
        legal.put(SUCCESS, EnumSet.noneOf(TaskStatus.class));
        legal.put(FAILURE, EnumSet.of(PENDING));
        legal.put(REVOKED, EnumSet.noneOf(TaskStatus.class));
        for (TaskStatus from : TaskStatus.values()) {
            for (TaskStatus to : TaskStatus.values()) {
                assertEquals(legal.get(from).contains(to), TaskLifecycle.isLegal(from, to), from + " -> " + to);
            }
        }
    }

    @Test
    void onlyAnOperatorsRequeueLeavesAFinalStatus() {
        for (TaskLifecycle change : TaskLifecycle.values()) {
            for (TaskStatus from : change.from()) {
                if (change != TaskLifecycle.REQUEUE) {
                    assertFalse(from.isFinal(), change + " starts from the final " + from);
                }
            }
        }
        assertEquals(EnumSet.of(FAILURE), TaskLifecycle.REQUEUE.from());
    }

    @Test
    void theScriptsReadTheSameList() {
        assertEquals(",STARTED,", TaskLifecycle.SUCCEED.fromForLua());
        assertEquals(EnumSet.of(PENDING, SCHEDULED, RETRY), TaskLifecycle.EXPIRE.from());
    }
}
