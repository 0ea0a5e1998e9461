package io.hotpot.api.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.hotpot.api.service.TaskView;
import io.hotpot.common.Telemetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** api-service's task counters, tagged by type and queue (see {@link Telemetry}). */
@ApplicationScoped
public class TaskMetrics {
    private final MeterRegistry registry;
    /** One counter per type and queue, looked up without building tags on every submission. */
    private final Map<String, Counter> submitted = new ConcurrentHashMap<>();

    public TaskMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A task was accepted (RabbitMQ confirmed it, the client gets 202). */
    public void submitted(TaskView task) {
        submitted(task.type(), task.queue());
    }

    public void submitted(String type, String queue) {
        submitted.computeIfAbsent(type + '\n' + queue, key -> Counter.builder(Telemetry.TASKS_SUBMITTED)
                .description("Tasks accepted with 202 after RabbitMQ confirmed them")
                .tag(Telemetry.TAG_TYPE, type)
                .tag(Telemetry.TAG_QUEUE, queue)
                .register(registry)).increment();
    }
}
