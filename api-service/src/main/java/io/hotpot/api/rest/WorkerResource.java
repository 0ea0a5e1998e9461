package io.hotpot.api.rest;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.hotpot.api.service.WorkerRegistry;
import io.hotpot.common.WorkerHeartbeat;
import io.smallrye.mutiny.Uni;

/** {@code /api/workers}: the live workers, their task types and load, from their heartbeats. */
@Path("/api/workers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "workers")
public class WorkerResource {
    private final WorkerRegistry workers;

    public WorkerResource(WorkerRegistry workers) {
        this.workers = workers;
    }

    @GET
    @Operation(summary = "List the live workers",
            description = "Every worker whose heartbeat is recent: its queues, the task types it runs with their arguments, and its load.")
    @APIResponse(responseCode = "200", description = "The live workers (empty when none runs)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "one worker", value = """
                    [{"id":"worker-7c9d-1","queues":["default"],
                      "types":[{"type":"add","workload":"CPU","args":[{"name":"x","type":"INTEGER","required":true},
                                                                      {"name":"y","type":"INTEGER","required":true}]},
                               {"type":"sleep","workload":"IO","args":[{"name":"seconds","type":"NUMBER","required":true}]}],
                      "concurrency":500,"cpuThreads":2,"inFlight":0,
                      "startedAt":"2026-11-26T13:59:00Z","at":"2026-11-26T14:00:00Z"}]""")))
    public Uni<List<WorkerHeartbeat>> list() {
        return workers.liveWorkers();
    }
}
