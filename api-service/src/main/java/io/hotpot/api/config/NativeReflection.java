package io.hotpot.api.config;

import io.hotpot.messaging.QueueInspector;
import io.hotpot.api.rest.ProblemBody;
import io.hotpot.api.service.CatalogueView;
import io.hotpot.api.service.DeadLetterService;
import io.hotpot.api.service.DeadLetterView;
import io.hotpot.api.service.GroupService;
import io.hotpot.api.service.GroupSummary;
import io.hotpot.api.service.GroupView;
import io.hotpot.api.service.Problem;
import io.hotpot.api.service.RoomService;
import io.hotpot.api.service.ScheduleRequest;
import io.hotpot.api.service.ScheduleView;
import io.hotpot.api.service.TaskSubmission;
import io.hotpot.api.service.TaskView;
import io.hotpot.api.service.TokenService;
import io.hotpot.common.ArgSpec;
import io.hotpot.common.ArgType;
import io.hotpot.common.ChatMessage;
import io.hotpot.common.GroupEvent;
import io.hotpot.common.MissedPolicy;
import io.hotpot.common.ResultShape;
import io.hotpot.common.ScheduleDefinition;
import io.hotpot.common.TaskError;
import io.hotpot.common.TaskEvent;
import io.hotpot.common.TaskMessage;
import io.hotpot.common.TaskProgress;
import io.hotpot.common.TaskStatus;
import io.hotpot.common.TaskTypeInfo;
import io.hotpot.common.WorkerHeartbeat;
import io.hotpot.common.Workload;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Every type Jackson reads or writes in api-service, kept for native images: the wire records
 * from {@code common} (contracts without framework annotations), and the service's own request,
 * view and problem bodies. NativeReflectionTest finds the types in the code and fails when one
 * is missing here.
 */
@RegisterForReflection(targets = {
        // common: messages, records and events written to RabbitMQ and Redis, and read back
        TaskMessage.class, TaskEvent.class, GroupEvent.class, TaskError.class, TaskProgress.class, TaskStatus.class,
        WorkerHeartbeat.class, TaskTypeInfo.class, ResultShape.class, ArgSpec.class, ArgType.class, Workload.class,
        ScheduleDefinition.class, ScheduleDefinition.Task.class, MissedPolicy.class, ChatMessage.class,
        // api-service: REST bodies, answers and problems
        TaskSubmission.class, TaskView.class, GroupService.GroupSubmission.class, GroupView.class, GroupView.Member.class,
        GroupSummary.class,
        CatalogueView.class, CatalogueView.Queue.class, CatalogueView.Type.class, ScheduleRequest.class, ScheduleView.class, DeadLetterView.class,
        DeadLetterService.Requeued.class, RoomService.RoomView.class, QueueInspector.QueueState.class,
        TokenService.TokenRequest.class, TokenService.IssuedToken.class, ProblemBody.class, Problem.FieldError.class })
public class NativeReflection {
}
