package io.hotpot.api.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.hotpot.api.service.TaskWaiters;
import io.hotpot.common.RedisKeys;
import io.hotpot.redis.RedisSubscription;
import io.quarkus.redis.client.RedisClientName;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Subscribes to the task events workers, api-service and scheduler-service publish, on the named
 * client {@code events} (a subscribed connection sends no commands), and hands them to
 * {@link TaskWaiters}. When the connection ends (Redis restarted, a failover, a network cut) it
 * subscribes again every second until it holds ({@link RedisSubscription}); each time it holds,
 * the waiters read what they may have missed meanwhile.
 */
@ApplicationScoped
public class TaskEventSubscriber {
    private final RedisSubscription subscription;

    public TaskEventSubscriber(Vertx vertx, @RedisClientName("events") ReactiveRedisDataSource redis, TaskWaiters waiters) {
        this.subscription = new RedisSubscription(vertx, redis, RedisKeys.TASK_EVENTS_CHANNEL, waiters::onEvent,
                waiters::onSubscribed);
    }

    void start(@Observes StartupEvent event) {
        subscription.start();
    }

    void stop(@Observes ShutdownEvent event) {
        subscription.stop();
    }
}
