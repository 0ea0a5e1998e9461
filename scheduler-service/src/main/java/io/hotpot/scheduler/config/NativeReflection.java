package io.hotpot.scheduler.config;

import io.hotpot.common.MissedPolicy;
import io.hotpot.common.ScheduleDefinition;
import io.hotpot.common.TaskError;
import io.hotpot.common.TaskEvent;
import io.hotpot.common.TaskMessage;
import io.hotpot.common.TaskStatus;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Every type Jackson reads or writes in scheduler-service, kept for native images: the wire
 * records from {@code common} (contracts without framework annotations). NativeReflectionTest
 * finds the types in the code and fails when one is missing here.
 */
@RegisterForReflection(targets = { ScheduleDefinition.class, ScheduleDefinition.Task.class, MissedPolicy.class,
        TaskMessage.class, TaskEvent.class, TaskError.class, TaskStatus.class })
public class NativeReflection {
}
