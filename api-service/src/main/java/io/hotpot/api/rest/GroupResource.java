package io.hotpot.api.rest;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.hotpot.api.service.GroupService;
import io.hotpot.api.service.GroupSummary;
import io.hotpot.api.service.GroupView;
import io.hotpot.api.service.TaskService;
import io.hotpot.common.Telemetry;
import io.smallrye.mutiny.Uni;

/** {@code /api/groups}: many tasks submitted as one (Celery's {@code group}), read and revoked together. */
@Path("/api/groups")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "groups")
public class GroupResource {
    private static final String WAIT_DOC = "How long to wait for every task of the group to be final, as an ISO-8601 "
            + "duration (PT30S): from PT0S (no wait) to hotpot.tasks.max-wait (PT5M by default); anything else is 400.";

    private final GroupService groups;
    private final TaskService tasks;

    public GroupResource(GroupService groups, TaskService tasks) {
        this.groups = groups;
        this.tasks = tasks;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a group of tasks",
            description = "Checks every task as POST /api/tasks does (a member's errors name it, e.g. tasks[3].args.x), "
                    + "publishes them all to RabbitMQ and answers 202 only once RabbitMQ has confirmed every one and the "
                    + "group is recorded: all or nothing. If any is not confirmed the answer is 503 and none of them runs. "
                    + "At most hotpot.tasks.max-group-tasks (10,000) tasks; members cannot carry an idempotencyKey. With "
                    + "wait the answer comes once every task is final (200), or at the end of the wait (202).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = GroupService.GroupSubmission.class),
            examples = @ExampleObject(name = "three additions", value = """
                    {"tasks":[{"type":"add","args":{"x":1,"y":2}},{"type":"add","args":{"x":3,"y":4}},
                              {"type":"sleep","args":{"seconds":1},"queue":"default"}]}""")))
    @APIResponse(responseCode = "200", description = "With wait: every task finished within it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GroupView.class)))
    @APIResponse(responseCode = "202", description = "Accepted: RabbitMQ holds every task of the group (with wait: not all "
            + "were final when the wait ended). The group is at Location.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GroupView.class),
                    examples = @ExampleObject(name = "accepted", value = """
                            {"id":"0b9f5a52-8c1e-4c1b-9a55-6f0d9f3b2a10","createdAt":"2026-12-03T05:00:00Z","total":2,
                             "counts":{"PENDING":2},"finished":0,"progress":0,"done":false,
                             "tasks":[{"id":"5f0c2a8e-3d4b-4a57-9a51-2f7c1c0d9e11","type":"add","status":"PENDING"},
                                      {"id":"8d1e5b3c-0f2a-4e6d-8b7a-1c2d3e4f5a6b","type":"add","status":"PENDING"}]}""")))
    @APIResponse(responseCode = "400", ref = ApiDocs.BAD_REQUEST)
    @APIResponse(responseCode = "413", ref = ApiDocs.TOO_LARGE)
    @APIResponse(responseCode = "422", ref = ApiDocs.UNPROCESSABLE)
    @APIResponse(responseCode = "503", ref = ApiDocs.UNAVAILABLE)
    public Uni<Response> submit(GroupService.GroupSubmission submission,
            @Parameter(in = ParameterIn.HEADER, description = "Follows the group's tasks into the workers' logs; made when absent",
                    example = "import-42") @HeaderParam(Telemetry.CORRELATION_HEADER) String correlationId,
            @Parameter(description = WAIT_DOC, example = "PT30S") @QueryParam("wait") String wait) {
        Duration waitFor = tasks.parseWait(wait);
        return groups.submit(submission, correlationId, waitFor).map(group -> Response
                .status(group.done() ? Response.Status.OK : Response.Status.ACCEPTED)
                .entity(group)
                .location(URI.create("/api/groups/" + group.id()))
                .build());
    }

    @GET
    @Operation(summary = "The newest groups with their progress",
            description = "Newest first, each with its counts of finished tasks by status and its callback's status; "
                    + "a group's tasks are in GET /api/groups/{id}. Groups expire with their tasks' records.")
    @APIResponse(responseCode = "200", description = "The groups",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = GroupSummary.class)))
    @APIResponse(responseCode = "400", ref = ApiDocs.BAD_REQUEST)
    public Uni<List<GroupSummary>> recent(@Parameter(description = "How many, 1 to 100") @QueryParam("limit")
            @DefaultValue("20") int limit) {
        return groups.recent(limit);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A group: counts by status, progress, and every task's result in order",
            description = "With wait, answers once every task is final or the wait is over.")
    @APIResponse(responseCode = "200", description = "The group",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GroupView.class)))
    @APIResponse(responseCode = "400", ref = ApiDocs.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ApiDocs.NOT_FOUND)
    public Uni<GroupView> get(@Parameter(description = "The group id from the 202 answer") @PathParam("id") String id,
            @Parameter(description = WAIT_DOC, example = "PT30S") @QueryParam("wait") String wait) {
        return groups.get(id, tasks.parseWait(wait));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke a group",
            description = "Revokes every task of the group not final yet: waiting ones never run, running ones are "
                    + "interrupted. Finished ones keep their results.")
    @APIResponse(responseCode = "200", description = "The group after",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GroupView.class)))
    @APIResponse(responseCode = "404", ref = ApiDocs.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ApiDocs.UNAVAILABLE)
    public Uni<GroupView> revoke(@PathParam("id") String id) {
        return groups.revoke(id);
    }
}
