package io.hotpot.api.rest;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.hotpot.api.service.CatalogueService;
import io.hotpot.api.service.CatalogueView;
import io.smallrye.mutiny.Uni;

/** {@code /api/catalogue}: the task types and queues api-service accepts, with or without a live worker. */
@Path("/api/catalogue")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "catalogue")
public class CatalogueResource {
    private final CatalogueService catalogue;

    public CatalogueResource(CatalogueService catalogue) {
        this.catalogue = catalogue;
    }

    @GET
    @Operation(summary = "List the accepted task types and queues",
            description = "What workers advertised within hotpot.catalogue.retention (7 days by default) and what the "
                    + "configuration declares. A submission of a type or queue listed here is accepted even when no "
                    + "worker runs (it waits in RabbitMQ); one not listed is 422.")
    @APIResponse(responseCode = "200", description = "The catalogue",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CatalogueView.class),
                    examples = @ExampleObject(name = "no worker now", value = """
                            {"types":[{"type":"add","workload":"CPU","args":[{"name":"x","type":"INTEGER","required":true},
                                       {"name":"y","type":"INTEGER","required":true}],"sensitive":[],"declared":false,
                                       "lastAdvertisedAt":"2026-11-26T14:00:00Z","workers":0}],
                             "queues":[{"name":"default","declared":true,"lastAdvertisedAt":"2026-11-26T14:00:00Z","workers":0}],
                             "retention":"PT168H"}""")))
    @APIResponse(responseCode = "503", ref = ApiDocs.UNAVAILABLE)
    public Uni<CatalogueView> list() {
        return catalogue.view();
    }

    @DELETE
    @Path("/types/{type}")
    @Operation(summary = "Remove a task type", description = "Submissions of it are 422 from then on. Only a type no live "
            + "worker advertises and the configuration does not declare.")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", ref = ApiDocs.NOT_FOUND)
    @APIResponse(responseCode = "409", description = "Declared by the configuration, or advertised by a live worker",
            content = @Content(mediaType = ProblemBody.MEDIA_TYPE, schema = @Schema(implementation = ProblemBody.class)))
    public Uni<Response> removeType(@PathParam("type") String type) {
        return catalogue.removeType(type).map(ignored -> Response.noContent().build());
    }

    @DELETE
    @Path("/queues/{queue}")
    @Operation(summary = "Remove a queue", description = "Submissions to it are 422 from then on; its RabbitMQ queue and "
            + "the messages in it stay. Only a queue no live worker consumes and the configuration does not declare.")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", ref = ApiDocs.NOT_FOUND)
    @APIResponse(responseCode = "409", description = "Declared by the configuration (or 'default'), or consumed by a live worker",
            content = @Content(mediaType = ProblemBody.MEDIA_TYPE, schema = @Schema(implementation = ProblemBody.class)))
    public Uni<Response> removeQueue(@PathParam("queue") String queue) {
        return catalogue.removeQueue(queue).map(ignored -> Response.noContent().build());
    }
}
