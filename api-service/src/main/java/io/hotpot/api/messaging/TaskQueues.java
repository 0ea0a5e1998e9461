package io.hotpot.api.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.hotpot.api.service.TaskCatalogue;
import io.hotpot.messaging.QueueTopology;
import io.quarkus.runtime.StartupEvent;

/**
 * Declares, at start-up, the task queues api-service accepts tasks for before any worker has
 * declared them: those of the catalogue's configuration ({@code default} and
 * {@code hotpot.catalogue.queues}), so that tasks for them wait in RabbitMQ with no worker running.
 */
@ApplicationScoped
public class TaskQueues {
    private final QueueTopology topology;
    private final TaskCatalogue catalogue;

    public TaskQueues(QueueTopology topology, TaskCatalogue catalogue) {
        this.topology = topology;
        this.catalogue = catalogue;
    }

    void declare(@Observes StartupEvent event) {
        topology.declareWhenReachable(catalogue.declaredQueues());
    }
}
