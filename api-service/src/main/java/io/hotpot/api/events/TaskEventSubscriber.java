package io.hotpot.api.events;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.hotpot.api.service.TaskWaiters;
import io.hotpot.common.RedisKeys;
import io.quarkus.redis.client.RedisClientName;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

/**
 * Subscribes to the task events workers, api-service and scheduler-service publish, on the named
 * client {@code events} (a subscribed connection sends no commands), and hands them to
 * {@link TaskWaiters}. When the connection ends (Redis restarted, network cut) it subscribes again
 * every second until it succeeds.
 */
@ApplicationScoped
public class TaskEventSubscriber {
    private static final Logger LOG = Logger.getLogger(TaskEventSubscriber.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final ReactiveRedisDataSource redis;
    private final TaskWaiters waiters;
    private volatile boolean stopping;

    public TaskEventSubscriber(@RedisClientName("events") ReactiveRedisDataSource redis, TaskWaiters waiters) {
        this.redis = redis;
        this.waiters = waiters;
    }

    void start(@Observes StartupEvent event) {
        subscribe();
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    private void subscribe() {
        if (stopping) {
            return;
        }
        redis.pubsub(String.class)
                .subscribe(RedisKeys.TASK_EVENTS_CHANNEL, waiters::onEvent, this::ended, this::failed)
                .subscribe().with(subscribed -> {
                    LOG.infof("HOTPOT-API-060 subscribed to the task events on %s", RedisKeys.TASK_EVENTS_CHANNEL);
                    waiters.onSubscribed();
                }, failure -> {
                    LOG.warnf("HOTPOT-API-062 could not subscribe to the task events (%s); retrying in %d s",
                            failure.getMessage(), RETRY.toSeconds());
                    retryLater();
                });
    }

    private void ended() {
        if (!stopping) {
            LOG.warnf("HOTPOT-API-063 the task event subscription ended; subscribing again");
            retryLater();
        }
    }

    private void failed(Throwable failure) {
        LOG.debugf("task event subscription error: %s", failure.getMessage());
    }

    private void retryLater() {
        Uni.createFrom().voidItem().onItem().delayIt().by(RETRY).subscribe().with(ignored -> subscribe());
    }
}
