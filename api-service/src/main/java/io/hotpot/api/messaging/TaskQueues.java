package io.hotpot.api.messaging;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.hotpot.common.Amqp;
import io.hotpot.messaging.QueueTopology;
import io.quarkus.runtime.StartupEvent;

/**
 * Declares, at start-up, the task queues api-service accepts tasks for before any worker has
 * declared them: the default queue, so that early tasks wait in it.
 */
@ApplicationScoped
public class TaskQueues {
    private final QueueTopology topology;

    public TaskQueues(QueueTopology topology) {
        this.topology = topology;
    }

    void declare(@Observes StartupEvent event) {
        topology.declareWhenReachable(List.of(Amqp.DEFAULT_QUEUE));
    }
}
