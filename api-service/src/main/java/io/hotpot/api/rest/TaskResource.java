package io.hotpot.api.rest;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.DELETE;
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
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.hotpot.api.service.TaskService;
import io.hotpot.api.service.TaskSubmission;
import io.hotpot.api.service.TaskView;
import io.hotpot.common.TaskStatus;
import io.hotpot.common.Telemetry;
import io.smallrye.mutiny.Uni;

/** {@code /api/tasks}: submit a task, read its status and result (waiting for it if asked), revoke it. */
@Path("/api/tasks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tasks")
public class TaskResource {
    /** The header that says a submission has no live worker now (RFC 9111 warn-code 199, "miscellaneous"). */
    static final String WARNING = "Warning";
    private static final String WAIT_DOC = "How long to wait for the task to be final, as an ISO-8601 duration (PT30S): "
            + "from PT0S (no wait) to hotpot.tasks.max-wait (PT5M by default); anything else is 400. The wait is "
            + "driven by the task's events, not by polling.";

    private final TaskService tasks;

    public TaskResource(TaskService tasks) {
        this.tasks = tasks;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a task",
            description = "Validates the task against the catalogue (GET /api/catalogue: the types and queues workers "
                    + "advertised, or the configuration declares), publishes it to RabbitMQ and answers 202 only once "
                    + "RabbitMQ has confirmed it: a 202 means the task will reach a final status. A known type with no "
                    + "live worker is accepted too and waits in RabbitMQ: then workers is 0 and a Warning header says "
                    + "so. With wait (an ISO-8601 duration such as PT30S, at most hotpot.tasks.max-wait) the answer "
                    + "comes as soon as the task is final (200 with its record and result), or at the end of the wait "
                    + "with its current state (202): Celery's delay().get(timeout) in one call, without polling.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = TaskSubmission.class),
            examples = {
                    @ExampleObject(name = "add", summary = "A CPU-bound task", value = "{\"type\":\"add\",\"args\":{\"x\":2,\"y\":3}}"),
                    @ExampleObject(name = "sleep", summary = "An I/O-bound task on a named queue, high priority",
                            value = "{\"type\":\"sleep\",\"args\":{\"seconds\":2},\"queue\":\"default\",\"priority\":9}")
            }))
    @APIResponse(responseCode = "200", description = "With wait: the task finished within it; its final record. "
            + "(Also, without wait, an earlier task with the same idempotencyKey.)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskView.class),
                    examples = @ExampleObject(name = "done within the wait", value = """
                            {"id":"5f0c2a8e-3d4b-4a57-9a51-2f7c1c0d9e11","type":"add","status":"SUCCESS","args":{"x":2,"y":3},
                             "result":5,"error":null,"attempts":1,"queue":"default","priority":0,
                             "createdAt":"2026-11-26T14:00:00.000Z","startedAt":"2026-11-26T14:00:00.002Z",
                             "finishedAt":"2026-11-26T14:00:00.003Z","worker":"worker-7c9d-1","workers":1}""")))
    @APIResponse(responseCode = "202", description = "Accepted: RabbitMQ holds the task (with wait: it was not final "
            + "when the wait ended; repeat with GET /api/tasks/{id}?wait=). Its record is at Location.",
            headers = {
                    @Header(name = "Location", description = "/api/tasks/{id}", schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = Telemetry.CORRELATION_HEADER, description = "The request's correlation id",
                            schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = TaskResource.WARNING, description = "Present when no live worker consumes the task's "
                            + "queue and handles its type (workers is 0): the task waits in RabbitMQ until one starts. "
                            + "For example 199 hotpot \"no live worker consumes the queue 'default' with the task type "
                            + "'add' now; the task waits in RabbitMQ\"", schema = @Schema(type = SchemaType.STRING))
            },
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskView.class),
                    examples = @ExampleObject(name = "pending", value = """
                            {"id":"5f0c2a8e-3d4b-4a57-9a51-2f7c1c0d9e11","type":"add","status":"PENDING","args":{"x":2,"y":3},
                             "result":null,"error":null,"attempts":0,"queue":"default","priority":0,
                             "createdAt":"2026-11-26T14:00:00.000Z","startedAt":null,"finishedAt":null,"worker":null,
                             "workers":0}""")))
    @APIResponse(responseCode = "400", ref = ApiDocs.BAD_REQUEST)
    @APIResponse(responseCode = "413", ref = ApiDocs.TOO_LARGE)
    @APIResponse(responseCode = "422", ref = ApiDocs.UNPROCESSABLE)
    @APIResponse(responseCode = "503", ref = ApiDocs.UNAVAILABLE)
    public Uni<Response> submit(TaskSubmission submission,
            @Parameter(in = ParameterIn.HEADER, description = "Follows the task into the worker's logs; made when absent",
                    example = "checkout-42") @HeaderParam(Telemetry.CORRELATION_HEADER) String correlationId,
            @Parameter(description = WAIT_DOC, example = "PT30S") @QueryParam("wait") String wait) {
        Duration waitFor = tasks.parseWait(wait);
        // CorrelationFilter has made sure the header is there, and echoes it on the response.
        return tasks.submit(submission, correlationId, waitFor).map(submitted -> {
            TaskView task = submitted.task();
            Response.ResponseBuilder response = Response
                    .status(submitted.created() && !task.isFinal() ? Response.Status.ACCEPTED : Response.Status.OK)
                    .entity(task)
                    .location(URI.create("/api/tasks/" + task.id()));
            if (task.workers() != null && task.workers() == 0 && !task.isFinal()) {
                response.header(WARNING, "199 hotpot \"no live worker consumes the queue '" + task.queue()
                        + "' with the task type '" + task.type() + "' now; the task waits in RabbitMQ\"");
            }
            return response.build();
        });
    }

    /** Revokes a task: 200 with its record, now {@code REVOKED}. */
    @DELETE
    @Path("/{id}")
    public Uni<TaskView> revoke(@PathParam("id") String id) {
        return tasks.revoke(id);
    }

    @GET
    public Uni<List<TaskView>> recent(@QueryParam("limit") @DefaultValue("50") int limit,
            @QueryParam("status") String status, @QueryParam("type") String type) {
        return tasks.recent(limit, status, type);
    }

    @GET
    @Path("/stats")
    public Uni<Map<TaskStatus, Long>> stats() {
        return tasks.countByStatus();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Read a task", description = "The task's record: status, result or error, attempts and times. "
            + "With wait, the answer comes as soon as the task is final, or at the end of the wait with its state then.")
    @APIResponse(responseCode = "200", description = "The task's record (with wait: final, or as it was when the wait ended)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskView.class),
                    examples = @ExampleObject(name = "succeeded", value = """
                            {"id":"5f0c2a8e-3d4b-4a57-9a51-2f7c1c0d9e11","type":"add","status":"SUCCESS","args":{"x":2,"y":3},
                             "result":5,"error":null,"attempts":1,"queue":"default","priority":0,
                             "createdAt":"2026-11-26T14:00:00.000Z","startedAt":"2026-11-26T14:00:00.002Z",
                             "finishedAt":"2026-11-26T14:00:00.003Z","worker":"worker-7c9d-1"}""")))
    @APIResponse(responseCode = "400", ref = ApiDocs.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ApiDocs.NOT_FOUND)
    public Uni<TaskView> get(@Parameter(description = "The task id from the 202 answer") @PathParam("id") String id,
            @Parameter(description = WAIT_DOC, example = "PT30S") @QueryParam("wait") String wait) {
        return tasks.get(id, tasks.parseWait(wait));
    }
}
