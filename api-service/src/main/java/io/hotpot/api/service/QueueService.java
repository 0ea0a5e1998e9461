package io.hotpot.api.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.hotpot.messaging.QueueInspector;
import io.smallrye.mutiny.Uni;

/**
 * The task queues that matter: every queue in the catalogue ({@code default}, the declared ones
 * and those workers advertised within the retention), so a queue with messages and no consumer
 * shows too.
 */
@ApplicationScoped
public class QueueService {
    private final TaskCatalogue catalogue;
    private final QueueInspector inspector;

    public QueueService(TaskCatalogue catalogue, QueueInspector inspector) {
        this.catalogue = catalogue;
        this.inspector = inspector;
    }

    /** Their depth and consumers, as RabbitMQ reports them now; 503 when it cannot be asked. */
    public Uni<List<QueueInspector.QueueState>> queues() {
        return catalogue.fresh()
                .map(TaskCatalogue.Known::queues)
                .flatMap(inspector::inspect)
                .onFailure().transform(e -> Problem.unavailable("RabbitMQ cannot be asked right now: " + e.getMessage()));
    }
}
