package io.hotpot.api.service;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.hotpot.api.config.ApiConfig;
import io.hotpot.common.TaskTypeInfo;
import io.hotpot.common.WorkerHeartbeat;
import io.smallrye.mutiny.Uni;

/**
 * Shows the {@link TaskCatalogue} with who runs each entry now, and removes entries on purpose:
 * only advertised ones that no live worker advertises any more (a live worker would write them
 * back with its next heartbeat; a declared one comes from the configuration).
 */
@ApplicationScoped
public class CatalogueService {
    private static final Logger LOG = Logger.getLogger(CatalogueService.class);

    private final TaskCatalogue catalogue;
    private final WorkerRegistry workers;
    private final String retention;

    public CatalogueService(TaskCatalogue catalogue, WorkerRegistry workers, ApiConfig config) {
        this.catalogue = catalogue;
        this.workers = workers;
        this.retention = config.catalogue().retention().toString();
    }

    /** The catalogue read now, with the live workers of each entry. */
    public Uni<CatalogueView> view() {
        return Uni.combine().all().unis(catalogue.fresh(), workers.liveWorkers()).asTuple()
                .onFailure().transform(e -> Problem.unavailable("The catalogue could not be read from Redis ("
                        + e.getMessage() + "); try again."))
                .map(both -> {
                    TaskCatalogue.Known known = both.getItem1();
                    List<WorkerHeartbeat> live = both.getItem2();
                    List<CatalogueView.Type> types = new ArrayList<>();
                    for (TaskTypeInfo info : known.types().values()) {
                        int serving = (int) live.stream()
                                .filter(w -> w.types().stream().anyMatch(t -> t.type().equals(info.type()))).count();
                        types.add(new CatalogueView.Type(info.type(), info.workload(), info.args(), info.sensitive(),
                                catalogue.declaredTypes().containsKey(info.type()), known.typesSeen().get(info.type()),
                                serving, info.result()));
                    }
                    List<CatalogueView.Queue> queues = new ArrayList<>();
                    for (String queue : known.queues()) {
                        int consuming = (int) live.stream().filter(w -> w.queues().contains(queue)).count();
                        queues.add(new CatalogueView.Queue(queue, catalogue.declaredQueues().contains(queue),
                                known.queuesSeen().get(queue), consuming));
                    }
                    return new CatalogueView(types, queues, retention);
                });
    }

    /** Removes an advertised task type: 404 unknown, 409 declared or still advertised by a live worker. */
    public Uni<Void> removeType(String type) {
        if (catalogue.declaredTypes().containsKey(type)) {
            throw new Problem(409, "Conflict", "The task type '" + type + "' is declared by the configuration"
                    + " (hotpot.catalogue.types); remove it there.");
        }
        return workers.liveWorkers()
                .flatMap(live -> {
                    List<String> by = live.stream().filter(w -> w.types().stream().anyMatch(t -> t.type().equals(type)))
                            .map(WorkerHeartbeat::id).toList();
                    if (!by.isEmpty()) {
                        throw new Problem(409, "Conflict", "The task type '" + type + "' is advertised by live workers ("
                                + String.join(", ", by) + "): their next heartbeat would add it again. Stop them first.");
                    }
                    return catalogue.removeType(type);
                })
                .map(removed -> {
                    if (!removed) {
                        throw Problem.notFound("The catalogue holds no advertised task type '" + type + "'.");
                    }
                    LOG.infof("HOTPOT-API-051 the task type '%s' was removed from the catalogue", type);
                    return null;
                });
    }

    /** Removes an advertised queue: 404 unknown, 409 declared or still consumed by a live worker. */
    public Uni<Void> removeQueue(String queue) {
        if (catalogue.declaredQueues().contains(queue)) {
            throw new Problem(409, "Conflict", "The queue '" + queue + "' is declared by the configuration"
                    + " (hotpot.catalogue.queues, or it is 'default'); it cannot be removed through the API.");
        }
        return workers.liveWorkers()
                .flatMap(live -> {
                    List<String> by = live.stream().filter(w -> w.queues().contains(queue)).map(WorkerHeartbeat::id).toList();
                    if (!by.isEmpty()) {
                        throw new Problem(409, "Conflict", "The queue '" + queue + "' is consumed by live workers ("
                                + String.join(", ", by) + "): their next heartbeat would add it again. Stop them first.");
                    }
                    return catalogue.removeQueue(queue);
                })
                .map(removed -> {
                    if (!removed) {
                        throw Problem.notFound("The catalogue holds no advertised queue '" + queue + "'.");
                    }
                    LOG.infof("HOTPOT-API-052 the queue '%s' was removed from the catalogue (its RabbitMQ queue and"
                            + " messages stay)", queue);
                    return null;
                });
    }
}
