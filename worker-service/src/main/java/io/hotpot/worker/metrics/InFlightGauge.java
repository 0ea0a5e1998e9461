package io.hotpot.worker.metrics;

import jakarta.enterprise.context.ApplicationScoped;

import io.hotpot.common.Telemetry;
import io.hotpot.worker.task.TaskRunner;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/** The worker's in-flight gauge, read from the {@link TaskRunner} whenever Prometheus scrapes. */
@Startup
@ApplicationScoped
public class InFlightGauge {
    public InFlightGauge(MeterRegistry registry, TaskRunner runner) {
        Gauge.builder(Telemetry.WORKER_IN_FLIGHT, runner, TaskRunner::inFlight)
                .description("Tasks running or waiting for a CPU thread on this worker")
                .strongReference(true)
                .register(registry);
    }
}
