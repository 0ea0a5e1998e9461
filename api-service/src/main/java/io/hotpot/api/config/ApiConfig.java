package io.hotpot.api.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** api-service's own settings, under {@code hotpot.}. */
@ConfigMapping(prefix = "hotpot")
public interface ApiConfig {

    /** Task submission and records. */
    Tasks tasks();

    /** How the API sees workers. */
    Workers workers();

    /** Schedules kept through {@code /api/schedules}. */
    Schedules schedules();

    interface Schedules {
        /**
         * The scheduler group ({@code hotpot.leader.name} of scheduler-service) whose configured
         * schedules the API lists beside the dynamic ones.
         */
        @WithDefault("scheduler")
        String schedulerGroup();
    }

    interface Tasks {
        /** How long a task record (and its result) is kept after it was last written. */
        @WithDefault("24h")
        Duration resultTtl();

        /** Largest accepted request body, in bytes; larger ones get 413. */
        @WithDefault("1048576")
        long maxBodyBytes();

        /**
         * How much longer than its record a task's tombstone is kept, so a read after the record
         * expired answers "expired" rather than "never submitted".
         */
        @WithDefault("7d")
        Duration tombstoneTtl();

        /** How long an idempotency key returns its first task. */
        @WithDefault("24h")
        Duration idempotencyWindow();

        /** How long a submission waits for RabbitMQ to confirm before answering 503. */
        @WithDefault("5s")
        Duration publishTimeout();
    }

    interface Workers {
        /** A worker whose last heartbeat is older than this is considered gone. */
        @WithDefault("10s")
        Duration liveness();

        /** How long the API reuses its view of the live workers before asking Redis again. */
        @WithDefault("1s")
        Duration cacheFor();
    }
}
