package io.hotpot.api.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** api-service's own settings, under {@code hotpot.}. */
@ConfigMapping(prefix = "hotpot")
public interface ApiConfig {

    /** Task submission and records. */
    Tasks tasks();

    /** How the API sees workers. */
    Workers workers();

    /** The catalogue of task types and queues submissions are checked against (see docs/decisions/0060-task-catalogue.md). */
    Catalogue catalogue();

    interface Catalogue {
        /**
         * How long a task type or queue stays in the catalogue after the last worker advertised it
         * (in its heartbeat); within it, submissions are accepted and wait in RabbitMQ even with
         * no worker alive. {@code DELETE /api/catalogue/...} removes an entry at once.
         */
        @WithDefault("7d")
        Duration retention();

        /**
         * Logical queues accepted before any worker advertised them ({@code HOTPOT_CATALOGUE_QUEUES},
         * comma-separated), for a fresh install with no worker yet. {@code default} is always
         * accepted. api-service declares their RabbitMQ queues at start-up
         * ({@code TaskCatalogue#declaredQueues()}).
         */
        Optional<List<String>> queues();

        /**
         * Task types accepted before any worker advertised them ({@code HOTPOT_CATALOGUE_TYPES}): a
         * JSON array in the shape {@code GET /api/catalogue} lists them,
         * {@code [{"type":"add","args":[{"name":"x","type":"INTEGER","required":true}]}]}; a type
         * without {@code args} takes any arguments until a worker advertises it. What workers
         * advertise wins over this.
         */
        Optional<String> types();

        /** How long the API reuses its copy of the catalogue; a type or queue missing from it is looked up again at once. */
        @WithDefault("1s")
        Duration cacheFor();
    }

    /** Chat tokens ({@code POST /api/tokens}) and rooms ({@code /api/rooms}). */
    Tokens tokens();

    /** How the API reads chat rooms. */
    Rooms rooms();

    interface Tokens {
        /** How long an issued token is valid. */
        @WithDefault("1h")
        Duration ttl();

        /** The issuer written into tokens; chat-service checks it ({@code mp.jwt.verify.issuer}). */
        @WithDefault("hotpot")
        String issuer();
    }

    interface Rooms {
        /** Messages {@code GET /api/rooms/{room}/messages} returns unless {@code limit} says otherwise. */
        @WithDefault("50")
        int defaultLimit();

        /** Most messages one request may ask for (chat-service keeps at most hotpot.chat.history-cap per room). */
        @WithDefault("1000")
        int maxLimit();
    }

    /** Who may call the REST API (see io.hotpot.api.security.EndpointPolicy for what each role may do). */
    Auth auth();

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

    /** What api-service measures beyond Micrometer's defaults. */
    Metrics metrics();

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

        /** The longest {@code ?wait=} a caller may ask for on {@code POST /api/tasks} and {@code GET /api/tasks/{id}}. */
        @WithDefault("5m")
        Duration maxWait();

        /** The most tasks one group ({@code POST /api/groups}) may have. */
        @WithDefault("10000")
        int maxGroupTasks();
    }

    interface Workers {
        /** A worker whose last heartbeat is older than this is considered gone. */
        @WithDefault("10s")
        Duration liveness();

        /** How long the API reuses its view of the live workers before asking Redis again. */
        @WithDefault("1s")
        Duration cacheFor();
    }

    interface Auth {
        /**
         * Whether the REST API asks for credentials ({@code HOTPOT_AUTH_ENABLED}). Off, every caller
         * may do everything: for a local run on loopback only.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * The API keys ({@code HOTPOT_AUTH_API_KEYS}): comma-separated entries
         * {@code name:sha256hex:role+role}, roles among {@code submit}, {@code read}, {@code admin}.
         * Only the SHA-256 of a key is configured, never the key; several entries may be valid at
         * once, so a key is rotated by adding the new one before removing the old. No default.
         */
        Optional<List<String>> apiKeys();

        /** Token buckets per credential on task submission and token issuing. */
        RateLimit rateLimit();
    }

    interface RateLimit {
        /** Whether the buckets are enforced (the Helm chart turns them on). */
        @WithDefault("false")
        boolean enabled();

        /** {@code POST /api/tasks}. */
        Bucket tasks();

        /** {@code POST /api/tokens} (slower than tasks in application.properties: a key is worth guessing). */
        Bucket tokens();
    }

    interface Bucket {
        /** Requests per second a credential may keep up. */
        @WithDefault("10")
        double rate();

        /** Requests a credential may make at once after being idle. */
        @WithDefault("20")
        int burst();
    }

    interface Metrics {
        /** How often the depth of each task queue is read from RabbitMQ for the queue gauges. */
        @WithDefault("5s")
        Duration queueDepthInterval();
    }
}
