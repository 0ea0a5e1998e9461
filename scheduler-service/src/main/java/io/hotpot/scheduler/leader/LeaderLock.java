package io.hotpot.scheduler.leader;

import java.lang.management.ManagementFactory;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.hotpot.common.RedisKeys;
import io.hotpot.scheduler.config.SchedulerConfig;
import io.hotpot.scheduler.metrics.SchedulerMetrics;
import io.hotpot.redis.ReplicaAcks;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.redis.client.Response;

/**
 * Leadership among the scheduler replicas: a lock in Redis that expires unless its holder renews
 * it (see docs/decisions/0020-timekeeping.md). Every acquisition increments an epoch, and the
 * lock's value is this replica's token with that epoch; every write the leader makes in Redis
 * checks that value in the same script (the fence), so a replica that lost the lock cannot
 * write as leader even before it notices. Locally a replica stops acting as leader as soon as a
 * renewal fails or its last successful renewal is older than the lock's lifetime allows.
 * Taking and renewing is a {@code @Scheduled} job every {@code hotpot.leader.renew-every}, run
 * on a worker thread (the Redis calls block) and never twice at once.
 */
@ApplicationScoped
public class LeaderLock {
    private static final Logger LOG = Logger.getLogger(LeaderLock.class);

    /**
     * KEYS[1] lock, KEYS[2] epoch; ARGV[1] token, ARGV[2] ttl ms, ARGV[3] the value this replica
     * held when it last lost the lock ('' if none): a lock still holding it is this replica's own,
     * left over from a Redis outage or failover, and is taken again (with a new epoch) at once
     * instead of after its ttl. Returns the new epoch, or 0 when held by another.
     */
    private static final String ACQUIRE = """
            local held = redis.call('GET', KEYS[1])
            if held and held ~= ARGV[3] then return 0 end
            local epoch = redis.call('INCR', KEYS[2])
            redis.call('SET', KEYS[1], ARGV[1] .. '#' .. epoch, 'PX', ARGV[2])
            return epoch
            """;
    /** KEYS[1] lock; ARGV[1] value, ARGV[2] ttl ms. 1 when still ours and renewed. */
    private static final String RENEW = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 0
            """;
    /** KEYS[1] lock; ARGV[1] value. Deletes the lock only if it is still ours. */
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """;

    private final RedisDataSource redis;
    private final ReplicaAcks acks;
    private final String lockKey;
    private final String epochKey;
    private final String token;
    private final long ttlMillis;
    /** Local validity: a renewal sent at t keeps us leader until t + ttl - margin (clock drift, pauses). */
    private final long validityNanos;

    private volatile String value;
    /** The value held when leadership was last lost, to take the lock again at once if it still holds it. */
    private volatile String lastHeld;
    private volatile long epoch;
    private volatile long validUntilNanos;
    /** Set on shutdown: no tick takes the lock again after it was released. */
    private boolean stopping;

    private final SchedulerMetrics metrics;

    public LeaderLock(RedisDataSource redis, ReplicaAcks acks, SchedulerConfig config, SchedulerMetrics metrics) {
        this.redis = redis;
        this.acks = acks;
        this.metrics = metrics;
        this.lockKey = RedisKeys.leaderLock(config.leader().name());
        this.epochKey = RedisKeys.leaderEpoch(config.leader().name());
        this.token = config.leader().instanceId().orElseGet(() -> ManagementFactory.getRuntimeMXBean().getName())
                + ":" + UUID.randomUUID().toString().substring(0, 8);
        this.ttlMillis = config.leader().ttl().toMillis();
        long margin = Math.max(config.leader().ttl().toMillis() / 5, 200);
        this.validityNanos = (ttlMillis - margin) * 1_000_000L;
    }

    /** Whether this replica holds the lock right now; checked before every action a leader takes. */
    public boolean isLeader() {
        return value != null && System.nanoTime() - validUntilNanos < 0;
    }

    /**
     * The lock's value while this replica leads ({@code <token>#<epoch>}), for scripts that must
     * write only as leader; {@code null} otherwise.
     */
    public String fence() {
        return isLeader() ? value : null;
    }

    /** The epoch of the current or last leadership of this replica; 0 if it never led. */
    public long epoch() {
        return epoch;
    }

    /** The Redis key of the lock, for fenced scripts. */
    public String lockKey() {
        return lockKey;
    }

    /**
     * Renews the lock while this replica holds it, else tries to take it. Synchronized with
     * {@link #stop}, so a replica shutting down never takes the lock after releasing it.
     */
    @Scheduled(identity = "leader-lock", every = "${hotpot.leader.renew-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void tick() {
        if (stopping) {
            return;
        }
        long sent = System.nanoTime();
        String current = value;
        try {
            if (current != null) {
                Response renewed = redis.execute("EVAL", RENEW, "1", lockKey, current, Long.toString(ttlMillis));
                if (renewed.toLong() == 1) {
                    validUntilNanos = sent + validityNanos;
                } else {
                    lose("the lock is held by another replica now");
                }
                return;
            }
            // The epoch is the fence: a failover must not hand the next leader the same one.
            String lost = lastHeld;
            Response acquired = acks.execute("EVAL", ACQUIRE, "2", lockKey, epochKey, token, Long.toString(ttlMillis),
                    lost == null ? "" : lost);
            long newEpoch = acquired.toLong();
            if (newEpoch > 0) {
                epoch = newEpoch;
                validUntilNanos = sent + validityNanos;
                value = token + "#" + newEpoch;
                LOG.infof("HOTPOT-SCHEDULER-010 this replica (%s) leads, epoch %d", token, newEpoch);
                metrics.becameLeader();
            }
        } catch (RuntimeException e) {
            if (current != null && value != null) {
                lose("the lock could not be renewed (" + e.getMessage() + ")");
            } else {
                LOG.debugf("leader lock not taken: %s", e.getMessage());
            }
        }
    }

    private void lose(String why) {
        if (value != null) {
            lastHeld = value;
            value = null;
            LOG.warnf("HOTPOT-SCHEDULER-011 this replica (%s) stopped leading at epoch %d: %s", token, epoch, why);
            metrics.stoppedLeading();
        }
    }

    /** A replica stopping on purpose hands leadership over at once instead of after the ttl. */
    synchronized void stop(@Observes ShutdownEvent event) {
        stopping = true;
        String current = value;
        value = null;
        if (current != null) {
            try {
                redis.execute("EVAL", RELEASE, "1", lockKey, current);
                LOG.infof("HOTPOT-SCHEDULER-012 released the leader lock (epoch %d)", epoch);
            } catch (RuntimeException e) {
                LOG.debugf("releasing the leader lock: %s", e.getMessage());
            }
        }
    }
}
