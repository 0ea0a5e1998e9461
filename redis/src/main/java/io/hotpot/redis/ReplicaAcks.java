package io.hotpot.redis;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;

/**
 * Writes that must outlive the loss of the Redis primary. Redis replicates asynchronously: a
 * write the primary confirmed can be missing on the replica that a failover promotes. Where Hotpot
 * acts on a write (acknowledges a delivery after recording its outcome, publishes a schedule's task
 * after taking its fire key, leads after taking the lock), it runs the write and then {@code WAIT}
 * for {@code redis.replica-acks} replicas on the same connection ({@code WAIT} covers only the
 * writes of its own connection). When the replicas do not answer within
 * {@code redis.replica-ack-timeout} (none left after a failover, say), Hotpot goes on, says so once,
 * and does not wait for {@link #PAUSE} before asking again: a primary without replicas would
 * otherwise add the timeout to every such write. In a Redis Cluster the write and its {@code WAIT}
 * go to the primary of Hotpot's hash slot ({@link SlotPrimary}). Blocking: call from a worker thread.
 */
@ApplicationScoped
public class ReplicaAcks {
    private static final Logger LOG = Logger.getLogger(ReplicaAcks.class);

    /** How long writes go on without waiting after the replicas did not acknowledge one in time. */
    static final Duration PAUSE = Duration.ofSeconds(5);

    private final RedisDataSource redis;
    private final String replicas;
    private final String timeoutMs;
    private final RedisConfig config;
    private final boolean asked;
    private final AtomicBoolean missing = new AtomicBoolean();
    private volatile long waitAgainAt = System.nanoTime();

    public ReplicaAcks(RedisDataSource redis, RedisConfig config) {
        this.redis = redis;
        this.asked = config.replicaAcks() > 0;
        this.config = config;
        this.replicas = Integer.toString(config.replicaAcks());
        this.timeoutMs = Long.toString(config.replicaAckTimeout().toMillis());
    }

    /**
     * Runs one command (a Lua script, usually) and, when replicas are asked for, waits until they
     * hold it or the timeout passes; its reply.
     */
    public Response execute(String command, String... args) {
        if (!asked || System.nanoTime() - waitAgainAt < 0) {
            return redis.execute(command, args);
        }
        return SlotPrimary.call(redis, config, connection -> {
            Response reply = connection.execute(command, args);
            int acked = connection.execute("WAIT", replicas, timeoutMs).toInteger();
            if (acked < Integer.parseInt(replicas)) {
                waitAgainAt = System.nanoTime() + PAUSE.toNanos();
                if (missing.compareAndSet(false, true)) {
                    LOG.warnf("HOTPOT-REDIS-012 only %d of %s Redis replica(s) acknowledged a write within %s ms: going on, and "
                            + "writing without waiting for replicas (asking again every %s s) until they do; such writes are "
                            + "lost if the primary fails before replicating them", acked, replicas, timeoutMs, PAUSE.toSeconds());
                }
            } else if (missing.compareAndSet(true, false)) {
                LOG.infof("HOTPOT-REDIS-013 %s Redis replica(s) acknowledge writes again", replicas);
            }
            return reply;
        });
    }
}
