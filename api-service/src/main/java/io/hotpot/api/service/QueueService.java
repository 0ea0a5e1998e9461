package io.hotpot.api.service;

import java.util.List;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import io.hotpot.messaging.QueueInspector;
import io.hotpot.common.Amqp;
import io.smallrye.mutiny.Uni;

/** The task queues that matter: the default one and every queue a live worker consumes. */
@ApplicationScoped
public class QueueService {
    private final WorkerRegistry workers;
    private final QueueInspector inspector;

    public QueueService(WorkerRegistry workers, QueueInspector inspector) {
        this.workers = workers;
        this.inspector = inspector;
    }

    /** Their depth and consumers, as RabbitMQ reports them now; 503 when it cannot be asked. */
    public Uni<List<QueueInspector.QueueState>> queues() {
        return workers.liveQueues()
                .map(queues -> {
                    TreeSet<String> names = new TreeSet<>(queues);
                    names.add(Amqp.DEFAULT_QUEUE);
                    return List.copyOf(names);
                })
                .flatMap(inspector::inspect)
                .onFailure().transform(e -> Problem.unavailable("RabbitMQ cannot be asked right now: " + e.getMessage()));
    }
}
