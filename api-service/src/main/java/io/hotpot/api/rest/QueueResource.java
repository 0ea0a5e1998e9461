package io.hotpot.api.rest;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.hotpot.messaging.QueueInspector;
import io.hotpot.api.service.QueueService;
import io.smallrye.mutiny.Uni;

/** {@code /api/queues}: the task queues, their depth and consumers, straight from RabbitMQ. */
@Path("/api/queues")
@Produces(MediaType.APPLICATION_JSON)
public class QueueResource {
    private final QueueService queues;

    public QueueResource(QueueService queues) {
        this.queues = queues;
    }

    @GET
    public Uni<List<QueueInspector.QueueState>> list() {
        return queues.queues();
    }
}
