package io.hotpot.worker.config;

import io.hotpot.common.ArgSpec;
import io.hotpot.common.ArgType;
import io.hotpot.common.ResultShape;
import io.hotpot.common.TaskError;
import io.hotpot.common.TaskMessage;
import io.hotpot.common.TaskProgress;
import io.hotpot.common.TaskStatus;
import io.hotpot.common.TaskTypeInfo;
import io.hotpot.common.WorkerHeartbeat;
import io.hotpot.common.Workload;
import io.hotpot.worker.task.AddHandler;
import io.hotpot.worker.task.EmailHandler;
import io.hotpot.worker.task.FlakyHandler;
import io.hotpot.worker.task.ReportHandler;
import io.hotpot.worker.task.SleepHandler;
import io.hotpot.worker.task.SumHandler;
import io.hotpot.worker.task.TaskSummary;
import io.hotpot.worker.task.WebhookHandler;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Every type Jackson reads or writes in worker-service, or that the worker reflects on, kept for
 * native images: the wire records from {@code common} (contracts without framework
 * annotations), each handler's {@code Args} record (read from the task's JSON, and its
 * components listed by HandlerRegistry) and the report's result. NativeReflectionTest finds
 * the types in the code and HandlerReflectionTest through the handler beans; both fail when one
 * is missing here.
 */
@RegisterForReflection(targets = {
        // common: the message consumed, the record fields, progress and heartbeat written to Redis
        TaskMessage.class, TaskError.class, TaskProgress.class, TaskStatus.class, WorkerHeartbeat.class,
        TaskTypeInfo.class, ResultShape.class, ArgSpec.class, ArgType.class, Workload.class,
        // handler arguments
        AddHandler.Args.class, SleepHandler.Args.class, FlakyHandler.Args.class, EmailHandler.Args.class,
        ReportHandler.Args.class, WebhookHandler.Args.class, SumHandler.Args.class,
        // handler results
        TaskSummary.Summary.class, TaskSummary.Failure.class, TaskSummary.Slowness.class,
        WebhookHandler.Outcome.class, WebhookHandler.Result.class, SumHandler.Result.class })
public class NativeReflection {
}
