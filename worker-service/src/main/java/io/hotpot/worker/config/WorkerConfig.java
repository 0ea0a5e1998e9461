package io.hotpot.worker.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** worker-service's own settings, under {@code hotpot.}. */
@ConfigMapping(prefix = "hotpot")
public interface WorkerConfig {

    Worker worker();

    Tasks tasks();

    /** The built-in {@code report} task. */
    Report report();

    interface Report {
        /** Who receives the report by e-mail ({@code HOTPOT_REPORT_TO}, comma-separated); the task fails without. */
        Optional<List<String>> to();

        /** The span a report summarises, up to now. */
        @WithDefault("24h")
        Duration window();

        /** Failures listed one by one in the report, newest first. */
        @WithDefault("10")
        int failuresListed();

        /**
         * The chat room the report is also posted to ({@code HOTPOT_REPORT_ROOM}), where its
         * members see it live and later joiners in the history; none: it is only mailed.
         */
        Optional<String> room();

        /**
         * How long the report room's history lives after its last message unless someone uses the
         * room; keep it equal to chat-service's {@code hotpot.chat.room-ttl}.
         */
        @WithDefault("30d")
        Duration roomTtl();
    }

    interface Worker {
        /** This replica's id in records and heartbeats; host name and process id when absent. */
        Optional<String> id();

        /**
         * Tasks this replica runs at once, and its RabbitMQ prefetch. I/O-bound handlers each get a
         * virtual thread, so this can be high.
         */
        @WithDefault("500")
        int concurrency();

        /**
         * Urgent tasks this replica runs at once beside {@link #concurrency()}, and the prefetch of
         * its urgent queue ({@code urgent-in}; with quorum queues, tasks of priority 5 and more wait
         * there instead of behind the queue's backlog, docs/decisions/0032).
         */
        @WithDefault("50")
        int urgentConcurrency();

        /**
         * How long the worker keeps trying to write a task's record (its start or its outcome) while
         * Redis does not answer, holding the delivery, before it gives the delivery back to RabbitMQ:
         * a Redis failover neither reruns finished tasks nor counts against the delivery limit.
         */
        @WithDefault("2m")
        Duration recordRetry();

        /** Threads for CPU-bound handlers; the number of cores when absent. */
        Optional<Integer> cpuThreads();

        /**
         * The logical queue this replica consumes, on the incoming channel {@code tasks-in}. One per
         * replica: a worker for several queues is several Deployments (the chart makes one per entry
         * of {@code worker.queues}), each scaled on its own queue's depth, as Celery's {@code -Q} groups.
         */
        @WithDefault("default")
        String queue();

        /** How often the heartbeat is written. */
        @WithDefault("2s")
        Duration heartbeatInterval();

        /** How long a heartbeat stays in Redis; a worker silent this long is gone. */
        @WithDefault("10s")
        Duration heartbeatTtl();

        /** How often the records of running tasks are checked for a revoke. */
        @WithDefault("1s")
        Duration revokeCheckInterval();

        /**
         * How long an attempt runs with its delivery unacknowledged before the worker converts it to a
         * lease (docs/decisions/0031): well under RabbitMQ's {@code consumer_timeout} (30 min by default).
         */
        @WithDefault("10m")
        Duration leaseAfter();

        /**
         * How long a lease lasts unless renewed (every third of it while the attempt runs): how long a
         * leased task of a dead worker waits before the scheduler's leader publishes it again.
         */
        @WithDefault("2m")
        Duration lease();

        /**
         * How long a member of a group waits for its group to be committed (api-service records it once
         * RabbitMQ confirmed every member) before the worker marks the group abandoned and drops the member.
         */
        @WithDefault("60s")
        Duration groupGate();

        /** On shutdown, how long running tasks may take to finish after consuming stops. */
        @WithDefault("30s")
        Duration shutdownGrace();
    }

    interface Tasks {
        /** How long a task record (and its result) is kept after it was last written. */
        @WithDefault("24h")
        Duration resultTtl();

        /**
         * How long one attempt may run before its handler is interrupted, for handlers that set
         * no limit of their own and submissions that give no {@code timeout}.
         */
        @WithDefault("2h")
        Duration timeLimit();

        /** Back-off delay before the first retry; each further retry doubles it (with jitter). */
        @WithDefault("1s")
        Duration retryBase();

        /** Longest back-off delay between two attempts. */
        @WithDefault("10m")
        Duration retryCap();

        /** Many calls of one task at once ({@code TaskContext.fanOut}). */
        FanOut fanOut();
    }

    interface FanOut {
        /** Calls one task runs at once unless its handler asks for another number. */
        @WithDefault("50")
        int parallelism();

        /** The most calls at once a handler (or a {@code webhook} submission's {@code parallelism}) may ask for. */
        @WithDefault("1000")
        int maxParallelism();
    }
}
