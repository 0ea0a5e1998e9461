package io.hotpot.scheduler.config;

import java.time.Duration;
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

    interface Leader {
        /**
         * Name of the group of replicas that elect one leader: the lock is
         * {@code hotpot:leader:<name>}. Replicas of one deployment share it.
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

        /** How long a publish waits for RabbitMQ's confirm before the task is left for the next round. */
        @WithDefault("5s")
        Duration publishTimeout();
    }

    interface Tasks {
        /** How long a task record is kept after it was last written (as api-service and workers keep it). */
        @WithDefault("24h")
        Duration resultTtl();
    }
}
