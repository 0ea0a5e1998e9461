package io.hotpot.redis;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where Redis is and how every service talks to it: {@code redis.*}, so the environment variables
 * {@code REDIS_HOST}, {@code REDIS_PORT}, {@code REDIS_USERNAME}, {@code REDIS_PASSWORD},
 * {@code REDIS_MODE}, {@code REDIS_ADDRESSES}, {@code REDIS_MASTER_NAME} and {@code REDIS_TLS_*}
 * set them. {@link RedisConnections} applies them to every Redis client of a service (the default
 * one and the named ones), so each value is given once. The password is used as it is.
 */
@ConfigMapping(prefix = "redis")
public interface RedisConfig {
    /** How Redis is deployed. */
    enum Mode {
        /** One server (host and port). */
        STANDALONE,
        /** A primary with replicas watched by Sentinels ({@link #addresses()} are the Sentinels). */
        SENTINEL,
        /**
         * A Redis Cluster ({@link #addresses()} are some of its nodes). Every key of Hotpot carries
         * one hash tag, so all of them live on one primary: the cluster gives failover to that
         * primary's replica, not sharding (docs/decisions/0034-redis-cluster.md).
         */
        CLUSTER
    }

    /** Host of a standalone Redis. */
    @WithDefault("127.0.0.1")
    String host();

    /** Port of a standalone Redis. */
    @WithDefault("6379")
    int port();

    /** ACL user; {@code default} is Redis's own user, the one a bare password authenticates. */
    @WithDefault("default")
    String username();

    /** Password, as it is (special characters welcome); none when absent. */
    Optional<String> password();

    /** {@code standalone}, {@code sentinel} or {@code cluster}. */
    @WithDefault("standalone")
    Mode mode();

    /** Sentinel: the Sentinels; cluster: some of its nodes (the rest are found from them); {@code host:port} each. */
    Optional<List<String>> addresses();

    /** Sentinel: the name the Sentinels monitor the primary under. */
    @WithDefault("mymaster")
    String masterName();

    /**
     * Replicas that must hold a write Hotpot relies on before it goes on ({@code REDIS_REPLICA_ACKS}):
     * a task's outcome or lease before its delivery is acknowledged, a schedule's fire key before
     * its task is published, a scheduler's leadership before it acts ({@code WAIT}, {@link ReplicaAcks}).
     * 0: none asked for (one server, or replicas lost with the primary accepted). With Sentinel, 1.
     */
    @WithDefault("0")
    int replicaAcks();

    /** How long such a write waits for its replicas; past it Hotpot goes on (HOTPOT-REDIS-012, {@link ReplicaAcks}). */
    @WithDefault("1s")
    java.time.Duration replicaAckTimeout();

    /** TLS to Redis ({@code rediss}). */
    Tls tls();

    /** TLS settings: the CA that signed Redis's certificate, and an optional client certificate. */
    interface Tls {
        /** Whether connections use TLS ({@code REDIS_TLS_ENABLED}). */
        @WithDefault("false")
        boolean enabled();

        /** PEM file of the CA certificate(s); the JVM's trust store when absent. */
        Optional<Path> ca();

        /** PEM file of a client certificate (with {@link #key()}), for a Redis started with {@code tls-auth-clients yes}. */
        Optional<Path> cert();

        /** PEM file of the client certificate's private key (PKCS#8). */
        Optional<Path> key();
    }
}
