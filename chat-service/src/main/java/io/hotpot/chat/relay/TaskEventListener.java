package io.hotpot.chat.relay;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.hotpot.chat.service.TaskStreams;
import io.hotpot.common.RedisKeys;
import io.hotpot.redis.RedisSubscription;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Subscribes (on a connection of its own) to the task events api-service and workers publish,
 * and subscribes again whenever Redis drops the connection ({@link RedisSubscription}).
 */
@ApplicationScoped
public class TaskEventListener {
    private final RedisSubscription subscription;

    public TaskEventListener(Vertx vertx, ReactiveRedisDataSource redis, TaskStreams streams) {
        this.subscription = new RedisSubscription(vertx, redis, RedisKeys.TASK_EVENTS_CHANNEL, streams::onEvent);
    }

    void start(@Observes StartupEvent event) {
        subscription.start();
    }

    void stop(@Observes ShutdownEvent event) {
        subscription.stop();
    }

    public RedisSubscription subscription() {
        return subscription;
    }
}
