package io.hotpot.worker.config;

import io.hotpot.common.ArgSpec;
import io.hotpot.common.TaskError;
import io.hotpot.common.TaskEvent;
import io.hotpot.common.TaskMessage;
import io.hotpot.common.TaskTypeInfo;
import io.hotpot.common.WorkerHeartbeat;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The wire records from {@code common} that Jackson reads and writes, kept for native images. */
@RegisterForReflection(targets = { TaskMessage.class, TaskEvent.class, TaskError.class, WorkerHeartbeat.class,
        TaskTypeInfo.class, ArgSpec.class })
public class ReflectionConfig {
}
