package io.hotpot.chat.relay;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.hotpot.chat.service.TaskStreams;
import io.hotpot.common.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;

/** Subscribes (on a connection of its own) to the task events api-service and workers publish. */
@ApplicationScoped
public class TaskEventListener {
    private static final Logger LOG = Logger.getLogger(TaskEventListener.class);

    private final ReactiveRedisDataSource redis;
    private final TaskStreams streams;

    public TaskEventListener(ReactiveRedisDataSource redis, TaskStreams streams) {
        this.redis = redis;
        this.streams = streams;
    }

    void start(@Observes StartupEvent event) {
        redis.pubsub(String.class).subscribe(RedisKeys.TASK_EVENTS_CHANNEL)
                .subscribe().with(streams::onEvent, failure -> LOG.errorf(failure,
                        "HOTPOT-CHAT-031 task event subscription failed"));
    }
}
