package io.hotpot.chat.relay;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;

/**
 * One Redis pub/sub subscription that outlives its connection: when Redis closes it (a restart, a
 * failover, a network cut) or it cannot be made, it is made again every {@link #RETRY_MILLIS}
 * until it holds. {@link #up()} says whether it holds now (readiness, {@code SubscriptionsHealthCheck}).
 * Messages published while it is down are not received: pub/sub keeps nothing.
 */
public final class Subscription {
    private static final Logger LOG = Logger.getLogger(Subscription.class);
    static final long RETRY_MILLIS = 1000;
    /**
     * How long a SUBSCRIBE may wait for its confirmation. Under load the client can lose the
     * confirmation ("No handler waiting for message: [subscribe, …]") and the attempt would then
     * never complete; it is given up and made again, and whatever its connection still receives
     * is dropped (see {@link #subscribe()}).
     */
    static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(5);

    private final ReactiveRedisDataSource redis;
    private final String channel;
    private final Consumer<String> onMessage;
    private final ScheduledExecutorService retries;
    /** Counts connections made; a loss reported by an older one is ignored. */
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean up;
    private volatile boolean everUp;
    private volatile boolean stopped;

    Subscription(ReactiveRedisDataSource redis, String channel, Consumer<String> onMessage) {
        this.redis = redis;
        this.channel = channel;
        this.onMessage = onMessage;
        this.retries = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("hotpot-chat-subscribe-" + channel).daemon().factory());
    }

    public String channel() {
        return channel;
    }

    /** Whether the subscription holds now. */
    public boolean up() {
        return up;
    }

    void start() {
        subscribe();
    }

    void stop() {
        stopped = true;
        retries.shutdownNow();
    }

    private void subscribe() {
        if (stopped) {
            return;
        }
        long mine = generation.incrementAndGet();
        // Only the current attempt's connection delivers: an attempt given up may still be subscribed.
        Consumer<String> deliver = message -> {
            if (generation.get() == mine) {
                onMessage.accept(message);
            }
        };
        redis.pubsub(String.class).subscribe(channel, deliver, () -> lost(mine, null), failure -> lost(mine, failure))
                .ifNoItem().after(CONFIRM_TIMEOUT).fail()
                .subscribe().with(subscriber -> {
                    if (generation.get() != mine) {
                        // Confirmed after it was given up: let its connection go.
                        subscriber.unsubscribe().subscribe().with(ok -> {
                        }, e -> {
                        });
                        return;
                    }
                    up = true;
                    if (everUp) {
                        LOG.infof("HOTPOT-CHAT-033 subscribed to %s again", channel);
                    }
                    everUp = true;
                }, failure -> {
                    LOG.debugf("HOTPOT-CHAT-034 subscribing to %s failed (%s); retrying", channel, failure.getMessage());
                    retry(mine);
                });
    }

    /** The connection of generation {@code which} ended or failed: subscribe again, once. */
    private void lost(long which, Throwable failure) {
        if (generation.get() != which || stopped) {
            return;
        }
        if (up) {
            up = false;
            LOG.warnf("HOTPOT-CHAT-032 lost the subscription to %s (%s); subscribing again every %d ms", channel,
                    failure == null ? "connection closed" : failure.getMessage(), RETRY_MILLIS);
        }
        retry(which);
    }

    private void retry(long which) {
        if (stopped || generation.get() != which) {
            return;
        }
        // A new generation now, so a late report from the lost connection changes nothing.
        generation.incrementAndGet();
        try {
            retries.schedule(this::subscribe, RETRY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Shutting down.
        }
    }
}
