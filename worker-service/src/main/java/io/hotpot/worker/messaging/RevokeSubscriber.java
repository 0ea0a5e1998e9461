package io.hotpot.worker.messaging;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.hotpot.common.RedisKeys;
import io.hotpot.worker.task.TaskRunner;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * Listens for revoked running tasks ({@link RedisKeys#REVOKES_CHANNEL}, on a subscriber
 * connection of its own) and interrupts the one this worker runs. The record is already
 * {@code REVOKED}: api-service wrote it before publishing the id, so a worker that misses the
 * message still never records another outcome.
 */
@ApplicationScoped
public class RevokeSubscriber {
    private static final Logger LOG = Logger.getLogger(RevokeSubscriber.class);

    private final ReactiveRedisDataSource redis;
    private final TaskRunner runner;
    private volatile Cancellable subscription;

    public RevokeSubscriber(ReactiveRedisDataSource redis, TaskRunner runner) {
        this.redis = redis;
        this.runner = runner;
    }

    void start(@Observes StartupEvent event) {
        subscription = redis.pubsub(String.class).subscribe(RedisKeys.REVOKES_CHANNEL)
                .onFailure().invoke(e -> LOG.warnf("HOTPOT-WORKER-050 revoke subscription lost (%s); subscribing again",
                        e.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(5)).indefinitely()
                .subscribe().with(id -> {
                    if (runner.revoke(id)) {
                        LOG.infof("HOTPOT-WORKER-051 task %s revoked; interrupting its handler", id);
                    }
                });
    }

    void stop(@Observes ShutdownEvent event) {
        Cancellable current = subscription;
        if (current != null) {
            current.cancel();
        }
    }
}
