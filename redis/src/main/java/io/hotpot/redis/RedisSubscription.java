package io.hotpot.redis;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * One Redis pub/sub subscription that outlives its connection: when Redis closes it (a restart, a
 * Sentinel failover, a network cut), when it cannot be made, or when Redis does not confirm the
 * subscription within {@link #CONFIRM_MILLIS} of the attempt, its connection is closed and it is made again
 * {@link #RETRY_MILLIS} later, until it holds. {@link #up()} says whether it holds now (readiness).
 * Messages published while it is down are not received: pub/sub keeps nothing, so
 * {@code onSubscribed} is told each time it holds (again) and can read what it may have missed.
 *
 * <p>Each attempt owns its pooled connection from the moment the pool hands it over: the message
 * handler is set before {@code SUBSCRIBE} is sent, and an attempt given up closes its connection.
 * The data source's {@code pubsub().subscribe} sets its handler only after the command is written,
 * so under load the confirmation can arrive first and is lost ("No handler waiting for message:
 * [subscribe, …]"); an attempt then given up left its connection subscribed and out of the pool
 * for good, and a few of them left no connection for commands (docs/decisions/0033).
 */
public final class RedisSubscription {
    private static final Logger LOG = Logger.getLogger(RedisSubscription.class);
    static final long RETRY_MILLIS = 1000;
    static final long CONFIRM_MILLIS = 5000;

    private final Vertx vertx;
    private final Redis redis;
    private final String channel;
    private final Consumer<String> onMessage;
    private final Runnable onSubscribed;
    private final long confirmMillis;
    /** Counts attempts; whatever an older attempt's connection reports or delivers is ignored. */
    private final AtomicLong generation = new AtomicLong();
    /** The connection of the current attempt, closed when it is given up or the subscription stops. */
    private final AtomicReference<RedisConnection> connection = new AtomicReference<>();
    private volatile boolean up;
    private volatile boolean everUp;
    private volatile boolean stopped;

    /**
     * Subscribes {@code channel} on a connection of {@code redis}'s client; {@code onMessage} gets
     * each message (on that connection's event loop, in order), {@code onSubscribed} runs each time
     * the subscription holds, the first time included. Nothing happens before {@link #start()}.
     */
    public RedisSubscription(Vertx vertx, ReactiveRedisDataSource redis, String channel, Consumer<String> onMessage,
            Runnable onSubscribed) {
        this(vertx, redis.getRedis().getDelegate(), channel, onMessage, onSubscribed, CONFIRM_MILLIS);
    }

    /** As above, for a subscriber that needs no word of each (re)subscription. */
    public RedisSubscription(Vertx vertx, ReactiveRedisDataSource redis, String channel, Consumer<String> onMessage) {
        this(vertx, redis, channel, onMessage, () -> {
        });
    }

    RedisSubscription(Vertx vertx, Redis redis, String channel, Consumer<String> onMessage, Runnable onSubscribed,
            long confirmMillis) {
        this.vertx = vertx;
        this.redis = redis;
        this.channel = channel;
        this.onMessage = onMessage;
        this.onSubscribed = onSubscribed;
        this.confirmMillis = confirmMillis;
    }

    public String channel() {
        return channel;
    }

    /** Whether the subscription holds now. */
    public boolean up() {
        return up;
    }

    public void start() {
        subscribe();
    }

    /** Stops making it again and lets its connection go. */
    public void stop() {
        stopped = true;
        up = false;
        generation.incrementAndGet();
        close(connection.getAndSet(null));
    }

    private void subscribe() {
        if (stopped) {
            return;
        }
        long mine = generation.incrementAndGet();
        // However the attempt stalls (no connection from the pool, no confirmation), it ends in time.
        vertx.setTimer(confirmMillis, timer -> {
            if (current(mine) && !up) {
                LOG.warnf("HOTPOT-REDIS-018 the subscription to %s was not confirmed within %d ms; closing its connection "
                        + "and subscribing again", channel, confirmMillis);
                giveUp(mine);
            }
        });
        redis.connect().onComplete(connected -> {
            if (connected.failed()) {
                LOG.debugf("HOTPOT-REDIS-018 subscribing to %s failed (%s); retrying in %d ms", channel,
                        connected.cause().getMessage(), RETRY_MILLIS);
                retry(mine);
                return;
            }
            RedisConnection conn = connected.result();
            if (!current(mine)) {
                close(conn);
                return;
            }
            close(connection.getAndSet(conn));
            conn.handler(reply -> received(mine, reply));
            conn.endHandler(ended -> lost(mine, null));
            conn.exceptionHandler(failure -> lost(mine, failure));
            conn.send(Request.cmd(Command.SUBSCRIBE).arg(channel)).onFailure(failure -> {
                LOG.debugf("HOTPOT-REDIS-018 subscribing to %s failed (%s); retrying in %d ms", channel,
                        failure.getMessage(), RETRY_MILLIS);
                giveUp(mine);
            });
        });
    }

    /** A push on the connection of attempt {@code which}: the confirmation, or a message. */
    private void received(long which, Response reply) {
        if (reply == null || reply.size() < 3 || !current(which)) {
            return;
        }
        String kind = reply.get(0).toString();
        if ("message".equalsIgnoreCase(kind)) {
            try {
                onMessage.accept(reply.get(2).toString());
            } catch (RuntimeException e) {
                LOG.errorf(e, "HOTPOT-REDIS-019 a message on %s was not handled", channel);
            }
        } else if ("subscribe".equalsIgnoreCase(kind) && !up) {
            up = true;
            LOG.infof(everUp ? "HOTPOT-REDIS-016 subscribed to %s again" : "HOTPOT-REDIS-016 subscribed to %s", channel);
            everUp = true;
            onSubscribed.run();
        }
    }

    /** The connection of attempt {@code which} ended or failed: subscribe again, once. */
    private void lost(long which, Throwable failure) {
        if (!current(which)) {
            return;
        }
        if (up) {
            LOG.warnf("HOTPOT-REDIS-017 lost the subscription to %s (%s); subscribing again every %d ms", channel,
                    failure == null ? "connection closed" : failure.getMessage(), RETRY_MILLIS);
        }
        giveUp(which);
    }

    /** Attempt {@code which} is over: its connection is closed, and the next one comes later. */
    private void giveUp(long which) {
        RedisConnection conn = connection.get();
        if (current(which) && connection.compareAndSet(conn, null)) {
            close(conn);
        }
        retry(which);
    }

    private void retry(long which) {
        // A new generation now, so a late report from the given-up connection changes nothing.
        if (stopped || !generation.compareAndSet(which, which + 1)) {
            return;
        }
        up = false;
        vertx.setTimer(RETRY_MILLIS, timer -> subscribe());
    }

    private boolean current(long which) {
        return !stopped && generation.get() == which;
    }

    private static void close(RedisConnection conn) {
        if (conn != null) {
            // A subscribed connection is closed, not recycled, by the pool.
            conn.close().onFailure(failure -> LOG.debugf("closing a subscription's connection: %s", failure.getMessage()));
        }
    }
}
