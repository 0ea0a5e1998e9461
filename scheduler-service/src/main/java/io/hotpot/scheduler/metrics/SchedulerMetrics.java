package io.hotpot.scheduler.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.hotpot.common.Telemetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** What scheduler-service counts, for {@code /q/metrics}: fires per schedule and leadership changes. */
@ApplicationScoped
public class SchedulerMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> fires = new ConcurrentHashMap<>();
    private final AtomicInteger leading = new AtomicInteger();
    private final Counter acquired;
    private final Counter lost;

    public SchedulerMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(Telemetry.SCHEDULER_LEADER, leading, AtomicInteger::get)
                .description("1 while this replica leads the scheduler group, else 0")
                .register(registry);
        acquired = leadership(registry, "acquired");
        lost = leadership(registry, "lost");
    }

    private static Counter leadership(MeterRegistry registry, String event) {
        return Counter.builder(Telemetry.SCHEDULER_LEADERSHIP)
                .description("Times this replica became leader or stopped being it")
                .tag(Telemetry.TAG_EVENT, event)
                .register(registry);
    }

    /** A schedule's tick created its task. */
    public void fired(String schedule) {
        fires.computeIfAbsent(schedule, name -> Counter.builder(Telemetry.SCHEDULER_FIRES)
                .description("Schedule ticks that created their task")
                .tag(Telemetry.TAG_SCHEDULE, name)
                .register(registry)).increment();
    }

    public void becameLeader() {
        leading.set(1);
        acquired.increment();
    }

    public void stoppedLeading() {
        leading.set(0);
        lost.increment();
    }
}
