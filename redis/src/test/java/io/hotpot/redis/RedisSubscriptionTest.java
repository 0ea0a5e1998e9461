package io.hotpot.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;

/**
 * {@link RedisSubscription} against a redis-server of the test's own, through a Vert.x Redis client
 * with a pool as small as the test allows: a connection an attempt kept after it was over would
 * leave none for the next attempt or for commands.
 */
class RedisSubscriptionTest {
    private static final String CHANNEL = "hotpot:test:subscription";
    private OwnRedisServer server;
    private Vertx vertx;
    private Redis redis;
    private RedisSubscription subscription;
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final AtomicInteger subscribed = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        server = OwnRedisServer.start();
        vertx = Vertx.vertx();
    }

    private void client(int poolSize) {
        redis = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + server.port())
                .setMaxPoolSize(poolSize).setMaxPoolWaiting(16));
    }

    @AfterEach
    void stop() throws Exception {
        if (subscription != null) {
            subscription.stop();
        }
        if (redis != null) {
            redis.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        server.close();
    }

    private void subscribe(long confirmMillis) {
        subscription = new RedisSubscription(vertx, redis, CHANNEL, messages::add, subscribed::incrementAndGet, confirmMillis);
        subscription.start();
    }

    /** The ids of the connections Redis holds in pub/sub mode. */
    private List<String> subscribers() throws Exception {
        String list = server.cli("CLIENT", "LIST", "TYPE", "pubsub");
        return list.isEmpty() ? List.of() : list.lines().map(line -> line.split(" ")[0]).toList();
    }

    private String command(Command command, String... args) throws Exception {
        Request request = Request.cmd(command);
        for (String arg : args) {
            request.arg(arg);
        }
        return redis.send(request).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).toString();
    }

    private void publishAndReceive(String message) throws Exception {
        assertEquals("1", server.cli("PUBLISH", CHANNEL, message), "one subscriber");
        await().atMost(Duration.ofSeconds(10)).until(() -> messages.contains(message));
    }

    @Test
    void aSubscriptionRedisDropsIsMadeAgainOnOneConnectionThatCommandsDoNotWaitFor() throws Exception {
        client(2); // one for the subscription, one for commands
        subscribe(RedisSubscription.CONFIRM_MILLIS);
        await().atMost(Duration.ofSeconds(10)).until(subscription::up);
        assertEquals(1, subscribed.get());
        publishAndReceive("first");

        for (int drop = 1; drop <= 3; drop++) {
            String before = subscribers().get(0);
            assertEquals("1", server.cli("CLIENT", "KILL", "ID", before.substring("id=".length())));
            int times = drop + 1;
            await().atMost(Duration.ofSeconds(10)).until(() -> subscribed.get() == times && subscription.up());
            assertFalse(subscribers().contains(before));
        }
        publishAndReceive("after the drops");
        assertEquals(1, subscribers().size(), "one subscribed connection: " + subscribers());
        assertEquals(List.of("first", "after the drops"), messages, "each message once");
        assertEquals("OK", command(Command.SET, "k", "v"), "the dropped connections left the pool: commands still get one");

        subscription.stop();
        assertFalse(subscription.up());
        await().atMost(Duration.ofSeconds(10)).until(() -> subscribers().isEmpty());
    }

    @Test
    void aSubscribeRedisDoesNotConfirmIsGivenUpWithItsConnection() throws Exception {
        client(1); // the next attempt gets a connection only if the unconfirmed one let its own go
        // The pool's one connection, made and idle: the first attempt gets it at once.
        String pooled = command(Command.CLIENT, "ID");
        // Redis answers nothing for 2 s: the first SUBSCRIBE waits there unconfirmed.
        assertEquals("OK", server.cli("CLIENT", "PAUSE", "2000", "ALL"));
        subscribe(300);

        await().atMost(Duration.ofSeconds(15)).until(subscription::up);
        assertEquals(1, subscribed.get());
        List<String> now = subscribers();
        assertEquals(1, now.size(), "only the later attempt's connection is subscribed: " + now);
        assertTrue(!now.get(0).equals("id=" + pooled), "the unconfirmed attempt's connection was closed, not left subscribed");
        assertFalse(server.cli("CLIENT", "LIST").contains("id=" + pooled + " "), "it is gone");
        publishAndReceive("once");
        assertEquals(List.of("once"), messages);
    }
}
