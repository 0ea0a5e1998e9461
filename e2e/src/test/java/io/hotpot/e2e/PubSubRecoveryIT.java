package io.hotpot.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.hotpot.common.RedisKeys;

/**
 * chat-service's task-event and presence subscriptions survive a Redis restart: while Redis is
 * gone readiness is DOWN, and once it is back the same open WebSockets receive events again.
 * Runs against a Redis of its own (killed with SIGKILL, started again on the same port).
 */
class PubSubRecoveryIT {
    private static final String CHAT = "pubsub-chat";

    private void awaitSubscriptions(Suite suite, String status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!status.equals(suite.readiness(CHAT, "redis-subscriptions"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the subscriptions' readiness never became " + status);
            }
            Thread.sleep(100);
        }
    }

    private static void publish(OwnRedis redis, String channel, String json) throws Exception {
        try (RedisCli cli = new RedisCli(redis.port())) {
            cli.command("PUBLISH", channel, json);
        }
    }

    @Test
    void eventsFlowAgainAfterARedisRestart() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String room = "pubsub-" + run;
        try (OwnRedis redis = new OwnRedis().start();
                Suite suite = new Suite().withEnvironment(Map.of("REDIS_PORT", Integer.toString(redis.port())))) {
            // api-service issues the tokens, as in production.
            suite.startReplica("api-service", "api-service", List.of());
            suite.startReplica("chat-service", CHAT, List.of());
            try (WsClient tasks = suite.chat(CHAT, "/ws/tasks?type=pubsub-" + run, "watcher", "read");
                    WsClient member = suite.chat(CHAT, "/ws/chat/" + room + "/", "member")) {
                tasks.next("task-subscribed", Duration.ofSeconds(10));
                member.next("history", Duration.ofSeconds(10));
                // Its own join is the last step of its admission: done before Redis goes away.
                member.next("presence", Duration.ofSeconds(10));
                String event = "{\"id\":\"t-" + run + "\",\"type\":\"pubsub-" + run + "\",\"status\":\"STARTED\",\"attempts\":1,"
                        + "\"at\":\"2026-12-02T06:00:00Z\"}";
                publish(redis, RedisKeys.TASK_EVENTS_CHANNEL, event);
                assertEquals("STARTED", tasks.next("task-event", Duration.ofSeconds(10)).get("event").get("status").asText());

                redis.kill();
                // Readiness says the subscriptions are gone (the whole check is DOWN: Redis is too).
                awaitSubscriptions(suite, "DOWN");
                redis.start();
                awaitSubscriptions(suite, "UP");

                publish(redis, RedisKeys.TASK_EVENTS_CHANNEL, event.replace("STARTED", "SUCCESS"));
                assertEquals("SUCCESS", tasks.next("task-event", Duration.ofSeconds(10)).get("event").get("status").asText());
                publish(redis, RedisKeys.CHAT_PRESENCE_CHANNEL, "{\"room\":\"" + room + "\",\"event\":\"join\",\"user\":\"back-"
                        + run + "\",\"at\":\"2026-12-02T06:00:01Z\"}");
                assertEquals("back-" + run, member.next(f -> "presence".equals(f.path("type").asText())
                        && ("back-" + run).equals(f.path("user").asText()), Duration.ofSeconds(10)).get("user").asText());
            }
        }
    }
}
