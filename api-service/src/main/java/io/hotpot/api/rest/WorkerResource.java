package io.hotpot.api.rest;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.hotpot.api.service.WorkerRegistry;
import io.hotpot.common.WorkerHeartbeat;
import io.smallrye.mutiny.Uni;

/** {@code /api/workers}: the live workers, their task types and load, from their heartbeats. */
@Path("/api/workers")
@Produces(MediaType.APPLICATION_JSON)
public class WorkerResource {
    private final WorkerRegistry workers;

    public WorkerResource(WorkerRegistry workers) {
        this.workers = workers;
    }

    @GET
    public Uni<List<WorkerHeartbeat>> list() {
        return workers.liveWorkers();
    }
}
