package io.hotpot.api.rest;

import java.util.List;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.hotpot.api.service.DeadLetterService;
import io.hotpot.api.service.DeadLetterView;

/**
 * {@code /api/dead-letters}: tasks that failed for good after their retries and messages a
 * worker rejected, with their errors; re-queue one or all. {@code queue} narrows to one logical
 * queue (default: every queue a live worker consumes, and {@code default}), {@code group} to the
 * tasks of one group ({@code POST /api/groups}); each letter shows its task's group.
 */
@Path("/api/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {
    private final DeadLetterService deadLetters;

    public DeadLetterResource(DeadLetterService deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GET
    public List<DeadLetterView> list(@QueryParam("queue") String queue, @QueryParam("group") String group,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        return deadLetters.list(queue, group, limit);
    }

    @POST
    @Path("/{id}/requeue")
    public DeadLetterService.Requeued requeueOne(@PathParam("id") String id, @QueryParam("queue") String queue) {
        return deadLetters.requeueOne(id, queue);
    }

    @POST
    @Path("/requeue")
    public DeadLetterService.Requeued requeueAll(@QueryParam("queue") String queue, @QueryParam("group") String group) {
        return deadLetters.requeueAll(queue, group);
    }
}
