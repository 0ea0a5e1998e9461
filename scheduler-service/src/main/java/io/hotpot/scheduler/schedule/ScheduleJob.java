package io.hotpot.scheduler.schedule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.hotpot.common.MissedPolicy;
import io.hotpot.common.ScheduleDefinition;
import io.hotpot.common.ScheduleFields;
import io.hotpot.common.TaskMessage;
import io.hotpot.scheduler.config.SchedulerConfig;
import io.hotpot.scheduler.metrics.SchedulerMetrics;
import io.hotpot.scheduler.leader.LeaderLock;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * On the leader only: fires the ticks of every enabled schedule (this group's configuration and
 * those written through the API, re-read every round, so a change applies within a second).
 * A tick within the starting deadline fires, late or not; an older one is missed and the
 * schedule's policy decides: {@code skip} moves on, {@code run-once} fires once for all of them.
 * Each fire is one fenced script keyed by (schedule, tick) — see {@link ScheduleStore}.
 * A {@code @Scheduled} job every {@code hotpot.schedule.poll-every}, on a worker thread (Redis
 * calls block), never twice at once: the schedules themselves are data, evaluated each round,
 * so one created through the API needs no job of its own.
 */
@ApplicationScoped
public class ScheduleJob {
    private static final Logger LOG = Logger.getLogger(ScheduleJob.class);
    /** Ticks handled per schedule per round at most (a schedule far behind catches up over rounds). */
    private static final int MAX_TICKS_PER_ROUND = 100;

    private final LeaderLock leader;
    private final ScheduleStore store;
    private final ConfigSchedules config;
    private final String group;
    private final long deadlineMillis;
    private final Map<String, Timing> timings = new ConcurrentHashMap<>();
    private volatile long configPublishedForEpoch;

    private final SchedulerMetrics metrics;

    public ScheduleJob(LeaderLock leader, ScheduleStore store, ConfigSchedules config, SchedulerConfig settings,
            SchedulerMetrics metrics) {
        this.leader = leader;
        this.metrics = metrics;
        this.store = store;
        this.config = config;
        this.group = settings.leader().name();
        this.deadlineMillis = settings.schedule().startingDeadline().toMillis();
    }

    void start(@Observes StartupEvent event) {
        LOG.infof("HOTPOT-SCHEDULER-032 %d schedule(s) from configuration: %s", config.all().size(),
                config.all().stream().map(s -> s.name() + (s.enabled() ? "" : " (disabled)")).toList());
    }

    @Scheduled(identity = "schedule-evaluation", every = "${hotpot.schedule.poll-every}",
            delayed = "${hotpot.schedule.poll-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            round(System.currentTimeMillis());
        } catch (RuntimeException e) { // logged with its id here rather than as the scheduler's generic failure
            LOG.warnf("HOTPOT-SCHEDULER-033 firing schedules failed (%s); next round retries", e.getMessage());
        }
    }

    /** One round at {@code now}: every enabled schedule fires what is due. */
    void round(long now) {
        String fence = leader.fence();
        if (fence == null) {
            return;
        }
        if (configPublishedForEpoch != leader.epoch()
                && store.publishConfig(leader.lockKey(), fence, group, config.all())) {
            configPublishedForEpoch = leader.epoch();
        }
        List<ScheduleDefinition> schedules = new ArrayList<>(config.all());
        Set<String> names = new HashSet<>();
        config.all().forEach(s -> names.add(s.name()));
        for (ScheduleDefinition dynamic : store.dynamic()) {
            if (names.add(dynamic.name())) {
                schedules.add(dynamic);
            }
        }
        for (ScheduleDefinition schedule : schedules) {
            if (!schedule.enabled()) {
                continue;
            }
            try {
                if (!fireDue(schedule, fence, now)) {
                    return; // no longer leader
                }
            } catch (IllegalArgumentException e) {
                LOG.warnf("HOTPOT-SCHEDULER-034 schedule '%s' cannot fire: %s", schedule.name(), e.getMessage());
            }
        }
    }

    /** Fires the due ticks of one schedule; false when this replica turned out not to lead. */
    private boolean fireDue(ScheduleDefinition schedule, String fence, long now) {
        Timing timing = timing(schedule);
        String lockKey = leader.lockKey();
        Map<String, String> state = store.state(schedule.name());
        String next = state.get(ScheduleFields.NEXT_FIRE_TIME);
        if (next == null || !timing.spec().equals(state.get(ScheduleFields.SPEC))) {
            // A new or changed schedule starts with its next tick; a one-off with its time, even if past.
            long first = timing.oneOff() ? timing.at() : timing.firstAfter(now);
            String computed = first == Timing.NONE ? ScheduleFields.DONE : Long.toString(first);
            if (store.init(lockKey, fence, schedule.name(), timing.spec(), computed) < 0) {
                return false;
            }
            next = store.state(schedule.name()).get(ScheduleFields.NEXT_FIRE_TIME);
        }
        for (int i = 0; i < MAX_TICKS_PER_ROUND && next != null && !ScheduleFields.DONE.equals(next); i++) {
            long tick = Long.parseLong(next);
            if (tick > now) {
                return true;
            }
            long result;
            String following;
            if (now - tick > deadlineMillis) {
                long resume = timing.firstAtOrAfter(now - deadlineMillis);
                following = resume == Timing.NONE ? ScheduleFields.DONE : Long.toString(resume);
                if (schedule.missed() == MissedPolicy.RUN_ONCE) {
                    result = store.fire(lockKey, fence, schedule, next, following, tick, task(schedule, tick));
                    LOG.infof("HOTPOT-SCHEDULER-035 schedule '%s' missed ticks from %s; runs once for them",
                            schedule.name(), Instant.ofEpochMilli(tick));
                } else {
                    result = store.advance(lockKey, fence, schedule.name(), next, following, tick);
                    LOG.infof("HOTPOT-SCHEDULER-036 schedule '%s' missed ticks from %s to before %s; skipped",
                            schedule.name(), Instant.ofEpochMilli(tick), Instant.ofEpochMilli(now - deadlineMillis));
                }
            } else {
                long after = timing.firstAfter(tick);
                following = after == Timing.NONE ? ScheduleFields.DONE : Long.toString(after);
                result = store.fire(lockKey, fence, schedule, next, following, tick, task(schedule, tick));
                if (result == ScheduleStore.ALREADY_FIRED) {
                    LOG.infof("HOTPOT-SCHEDULER-037 schedule '%s' tick %s had already fired; not again",
                            schedule.name(), Instant.ofEpochMilli(tick));
                }
            }
            if (result == ScheduleStore.NOT_LEADER) {
                return false;
            }
            if (result == ScheduleStore.FIRED) {
                metrics.fired(schedule.name());
            }
            if (result == ScheduleStore.STALE) {
                return true; // changed meanwhile (an update, another leader): read again next round
            }
            next = following;
        }
        return true;
    }

    private Timing timing(ScheduleDefinition schedule) {
        String key = schedule.cron() + "|" + schedule.timezone() + "|" + schedule.every() + "|" + schedule.at();
        return timings.computeIfAbsent(key, k -> Timing.of(schedule));
    }

    /** The task of one tick: created at the tick's time, carrying the schedule in its correlation id. */
    private static TaskMessage task(ScheduleDefinition schedule, long tick) {
        Instant at = Instant.ofEpochMilli(tick);
        ScheduleDefinition.Task task = schedule.task();
        return new TaskMessage(UUID.randomUUID().toString(), task.type(), task.args(), task.queue(), task.priority(), at,
                "schedule:" + schedule.name() + "@" + at);
    }
}
