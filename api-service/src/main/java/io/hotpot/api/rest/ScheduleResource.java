package io.hotpot.api.rest;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.hotpot.api.service.ScheduleRequest;
import io.hotpot.api.service.ScheduleService;
import io.hotpot.api.service.ScheduleView;
import io.smallrye.mutiny.Uni;

/** {@code /api/schedules}: periodic and one-off tasks, fired by scheduler-service's leader. */
@Path("/api/schedules")
@Produces(MediaType.APPLICATION_JSON)
public class ScheduleResource {
    private final ScheduleService schedules;

    public ScheduleResource(ScheduleService schedules) {
        this.schedules = schedules;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(ScheduleRequest request) {
        return schedules.create(request).map(view -> Response.created(URI.create("/api/schedules/" + view.name()))
                .entity(view).build());
    }

    @GET
    public Uni<List<ScheduleView>> list() {
        return schedules.list();
    }

    @GET
    @Path("/{name}")
    public Uni<ScheduleView> get(@PathParam("name") String name) {
        return schedules.get(name);
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<ScheduleView> replace(@PathParam("name") String name, ScheduleRequest request) {
        return schedules.replace(name, request);
    }

    @POST
    @Path("/{name}/pause")
    public Uni<ScheduleView> pause(@PathParam("name") String name) {
        return schedules.setEnabled(name, false);
    }

    @POST
    @Path("/{name}/resume")
    public Uni<ScheduleView> resume(@PathParam("name") String name) {
        return schedules.setEnabled(name, true);
    }

    @DELETE
    @Path("/{name}")
    public Uni<Response> delete(@PathParam("name") String name) {
        return schedules.delete(name).map(ignored -> Response.noContent().build());
    }
}
