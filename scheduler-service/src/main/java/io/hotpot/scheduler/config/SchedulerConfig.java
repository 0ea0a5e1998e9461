package io.hotpot.scheduler.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** scheduler-service's own settings, under {@code hotpot.}. */
@ConfigMapping(prefix = "hotpot")
public interface SchedulerConfig {

    /** Leadership among the scheduler replicas (see docs/decisions/0020-timekeeping.md). */
    Leader leader();

    /** Moving tasks that wait for a time (countdown, eta, retry back-off) to RabbitMQ. */
    Due due();

    /** Task records written for fired schedules. */
    Tasks tasks();

    /**
     * Schedules from configuration, {@code hotpot.schedules."<name>".*} (the Helm chart writes
     * them from {@code scheduler.schedules}). Invalid ones stop the service at startup.
     */
    Map<String, Schedule> schedules();

    /** How schedules fire. */
    Firing schedule();

    interface Schedule {
        /** Quartz cron with seconds, e.g. {@code 0 0 7 * * ?}. */
        Optional<String> cron();

        /** Time zone the cron is read in; UTC when absent. */
        Optional<String> timezone();

        /** Fixed interval, an ISO-8601 duration such as {@code PT1S}. */
        Optional<String> every();

        /** One-off time, an ISO-8601 instant. */
        Optional<String> at();

        /** A disabled schedule fires nothing. */
        @WithDefault("true")
        boolean enabled();

        /** {@code skip} or {@code run-once}: what to do with ticks later than the starting deadline. */
        @WithDefault("skip")
        String missed();

        /** The task each tick creates. */
        ScheduleTask task();
    }

    interface ScheduleTask {
        /** Handler type name. */
        String type();

        /** Handler arguments, a JSON object as text. */
        @WithDefault("{}")
        String args();

        /** Logical queue. */
        @WithDefault("default")
        String queue();

        /** Priority 0–9. */
        @WithDefault("0")
        int priority();
    }

    interface Firing {
        /** How often the leader looks for ticks that are due. */
        @WithDefault("0.25s")
        Duration pollEvery();

        /**
         * A tick later than this (no leader, service down) is missed and handled by the schedule's
         * {@code missed} policy; a later tick within it still fires. Keep it above the leader ttl,
         * so a failover loses no tick.
         */
        @WithDefault("10s")
        Duration startingDeadline();

        /** How long the fire key of a tick is kept (it must outlive any duplicate attempt). */
        @WithDefault("24h")
        Duration firedKeyTtl();
    }

    interface Leader {
        /**
         * Name of the group of replicas that elect one leader: the lock is
         * {@code {hotpot}:leader:<name>}. Replicas of one deployment share it.
         */
        @WithDefault("scheduler")
        String name();

        /** This replica's id in the lock and the logs; host name and process id when absent. */
        Optional<String> instanceId();

        /**
         * How long the lock lives without renewal. A dead leader is replaced at most this long
         * (plus one {@link #renewEvery()}) after its last renewal.
         */
        @WithDefault("5s")
        Duration ttl();

        /** How often the leader renews the lock and the others try to take it. */
        @WithDefault("1s")
        Duration renewEvery();
    }

    interface Due {
        /** How often the leader looks for due tasks (at most 200 ms keeps them within a second). */
        @WithDefault("0.2s")
        Duration pollEvery();

        /** Due tasks taken from Redis and published per round trip. */
        @WithDefault("200")
        int batchSize();
    }

    interface Tasks {
        /** How long a task record is kept after it was last written (as api-service and workers keep it). */
        @WithDefault("24h")
        Duration resultTtl();
    }
}
