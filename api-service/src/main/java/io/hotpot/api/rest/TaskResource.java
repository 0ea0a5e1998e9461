package io.hotpot.api.rest;

import java.net.URI;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.hotpot.api.service.TaskService;
import io.hotpot.api.service.TaskSubmission;
import io.hotpot.api.service.TaskView;
import io.smallrye.mutiny.Uni;

/** {@code /api/tasks}: submit a task, read its status and result, revoke it. */
@Path("/api/tasks")
@Produces(MediaType.APPLICATION_JSON)
public class TaskResource {
    static final String CORRELATION_HEADER = "X-Correlation-Id";

    private final TaskService tasks;

    public TaskResource(TaskService tasks) {
        this.tasks = tasks;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> submit(TaskSubmission submission, @HeaderParam(CORRELATION_HEADER) String correlationId) {
        String correlation = correlationId == null || correlationId.isBlank() ? UUID.randomUUID().toString() : correlationId;
        return tasks.submit(submission, correlation).map(submitted -> Response
                .status(submitted.created() ? Response.Status.ACCEPTED : Response.Status.OK)
                .entity(submitted.task())
                .location(URI.create("/api/tasks/" + submitted.task().id()))
                .header(CORRELATION_HEADER, correlation)
                .build());
    }

    /** Revokes a task: 200 with its record, now {@code REVOKED}. */
    @DELETE
    @Path("/{id}")
    public Uni<TaskView> revoke(@PathParam("id") String id) {
        return tasks.revoke(id);
    }

    @GET
    @Path("/{id}")
    public Uni<TaskView> get(@PathParam("id") String id) {
        return tasks.get(id);
    }
}
