package io.hotpot.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.hotpot.common.Amqp;
import io.hotpot.common.TaskMessage;

/**
 * Hotpot on a Redis with failover (issue 16): a primary, a replica and three Sentinels of the
 * test's own; every service finds the primary through the Sentinels ({@code redis.mode=sentinel})
 * and waits for the replica on the writes it acts on ({@code redis.replica-acks=1}). The primary
 * is SIGKILLed while two workers run 1,000 tasks, a schedule fires every second and a chat room is
 * in use: every accepted task reaches a final status, the room (its messages and presence) works
 * after the failover, and no tick of the schedule makes two tasks. RabbitMQ is the shared one; queues are the run's own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisSentinelIT {
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String queue = "e2e-sentinel-" + run;
    private final String scheduleQueue = "e2e-sentinel-tick-" + run;
    private QueueTap ticks;
    private OwnSentinels redis;
    private Suite suite;
    private TaskClient tasks;
    private List<String> brokers;
    private Connection amqp;

    @BeforeAll
    void start() throws Exception {
        redis = new OwnSentinels();
        redis.start(); // assigned first: @AfterAll stops what was started even when this fails
        brokers = List.of("-Dredis.mode=sentinel", "-Dredis.addresses=" + redis.addresses(),
                "-Dredis.master-name=" + OwnSentinels.MASTER, "-Dredis.replica-acks=1");
        // The schedule's tasks are counted by this test, per tick: no worker takes them.
        ticks = new QueueTap(scheduleQueue);
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        amqp = factory.newConnection();
        String p = "-Dhotpot.schedules.\"tick-" + run + "\".";
        List<String> scheduler = new ArrayList<>(brokers);
        scheduler.addAll(List.of("-Dhotpot.leader.name=sentinel-" + run, p + "every=PT1S", p + "task.type=add",
                p + "task.args={\"x\":1,\"y\":1}", p + "task.queue=" + scheduleQueue));
        suite = new Suite().start(Map.of("api-service", brokers, "worker-service", brokers, "chat-service", brokers,
                "scheduler-service", scheduler));
        tasks = new TaskClient(suite);
    }

    @AfterAll
    void stop() throws Exception {
        if (suite != null) {
            suite.close();
        }
        if (ticks != null) {
            ticks.close();
        }
        if (amqp != null) {
            try (Channel channel = amqp.createChannel()) {
                for (String q : List.of(queue, scheduleQueue)) {
                    channel.queueDelete(Amqp.queueName(q));
                    channel.queueDelete(Amqp.urgentQueueName(q));
                    channel.queueDelete(Amqp.deadQueueName(q));
                }
            }
            amqp.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private void startWorker(String id) throws Exception {
        List<String> properties = new ArrayList<>(brokers);
        properties.addAll(List.of("-Dhotpot.worker.id=" + id, "-Dhotpot.worker.queue=" + queue, "-Dhotpot.worker.concurrency=25"));
        suite.startReplica("worker-service", id, properties);
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/api/workers").body().contains(id));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return suite.http().send(suite.request("api-service", path).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, String> statuses(List<String> ids) throws Exception {
        Map<String, String> statuses = new HashMap<>();
        tasks.records(ids).forEach((id, record) -> statuses.put(id, record.path("status").asText("no record: " + record)));
        return statuses;
    }

    private static long count(Map<String, String> statuses, String status) {
        return statuses.values().stream().filter(status::equals).count();
    }

    @Test
    void aPrimaryKilledMidRunLeavesEveryTaskFinalTheRoomWorkingAndEachTickOnce() throws Exception {
        startWorker("e2e-sentinel-a-" + run);
        startWorker("e2e-sentinel-b-" + run);
        String room = "sentinel-" + run;
        try (WsClient alice = suite.chat("chat-service", "/ws/chat/" + room + "/", "alice");
                WsClient bob = suite.chat("chat-service", "/ws/chat/" + room + "/", "bob")) {
            bob.next("history", Duration.ofSeconds(10));
            alice.say("before-" + run);
            assertEquals("before-" + run, bob.messages(1, Duration.ofSeconds(10)).get(0).path("message").asText());

            long began = System.currentTimeMillis();
            List<String> ids = tasks.submit(1000, "{\"type\":\"sleep\",\"args\":{\"seconds\":1},\"queue\":\"" + queue + "\"}",
                    true);
            long[] doneAtKill = new long[1];
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
                doneAtKill[0] = count(statuses(ids), "SUCCESS");
                return doneAtKill[0] >= 500;
            });
            int oldPrimary = redis.primaryPort();
            long killedAt = System.currentTimeMillis();
            redis.primary.kill();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> redis.primaryPort() != oldPrimary);
            long promotedAfter = System.currentTimeMillis() - killedAt;
            assertEquals(redis.replica.port(), redis.primaryPort(), "the Sentinels promoted the replica");

            Map<String, String>[] last = new Map[1];
            await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                last[0] = statuses(ids);
                return last[0].values().stream().allMatch(s -> Set.of("SUCCESS", "FAILURE", "REVOKED").contains(s));
            });
            long doneAfter = System.currentTimeMillis() - killedAt;

            alice.say("after-" + run);
            assertEquals("after-" + run, bob.messages(1, Duration.ofSeconds(30)).get(0).path("message").asText(),
                    "the room works on the new primary");
            // Both of chat-service's subscriptions hold again (readiness), and the presence one
            // delivers: bob hears of a member who joins after the failover.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> "UP".equals(suite.readiness("chat-service", "redis-subscriptions")));
            try (WsClient carol = suite.chat("chat-service", "/ws/chat/" + room + "/", "carol")) {
                carol.next("history", Duration.ofSeconds(10));
                bob.next(f -> "presence".equals(f.path("type").asText()) && "carol".equals(f.path("user").asText()),
                        Duration.ofSeconds(10));
            }

            Thread.sleep(3000); // the last ticks' tasks on their way
            long firstTick = (began / 1000 + 1) * 1000;
            long lastTick = (System.currentTimeMillis() - 3000) / 1000 * 1000;
            TreeMap<Long, Integer> perTick = new TreeMap<>();
            for (long tick = firstTick; tick <= lastTick; tick += 1000) {
                perTick.put(tick, 0);
            }
            Set<String> seen = new HashSet<>();
            for (TaskMessage task : ticks.tasks()) {
                long tick = task.createdAt().toEpochMilli();
                if (seen.add(task.id()) && perTick.containsKey(tick)) {
                    perTick.merge(tick, 1, Integer::sum);
                }
            }
            long doubled = perTick.values().stream().filter(c -> c > 1).count();
            List<Long> missed = perTick.entrySet().stream().filter(e -> e.getValue() == 0)
                    .map(e -> (e.getKey() - killedAt) / 1000).toList();
            System.out.printf("E2E-FIGURE Redis primary + replica + 3 Sentinels, replica-acks 1: primary SIGKILLed after %d of %d"
                    + " accepted sleep(1 s) tasks succeeded (2 workers × 25); replica promoted after %d ms; all %d final %d ms"
                    + " after the kill: %d SUCCESS, %d FAILURE, %d REVOKED; chat room works after it; every-second schedule:"
                    + " %d ticks, %d fired twice, %d not fired (seconds from the kill: %s)%n", doneAtKill[0], ids.size(),
                    promotedAfter, ids.size(), doneAfter, count(last[0], "SUCCESS"), count(last[0], "FAILURE"),
                    count(last[0], "REVOKED"), perTick.size(), doubled, missed.size(), missed);
            assertEquals(0, doubled, "a tick fired twice: " + perTick);
            for (String worker : List.of("e2e-sentinel-a-" + run, "e2e-sentinel-b-" + run)) {
                // After the failover no replica is left: the workers go on without waiting for one, and say so
                // once (a replica slow under load before the kill may add a line), not once a task.
                long missing = java.nio.file.Files.readAllLines(suite.log(worker)).stream()
                        .filter(line -> line.contains("HOTPOT-REDIS-012")).count();
                assertTrue(missing >= 1 && missing <= 5, worker + " said " + missing + " times that replicas are missing");
            }
            assertTrue(perTick.values().stream().anyMatch(c -> c == 1), "the schedule fired");
            assertEquals(ids.size(), count(last[0], "SUCCESS"), "every accepted task succeeded: " + last[0].values()
                    .stream().filter(s -> !"SUCCESS".equals(s)).toList());
        }
    }

    @Test
    void helmTestsBrokerCheckFindsThePrimaryThroughTheSentinels() throws Exception {
        HelmBrokerCheck.Result check = HelmBrokerCheck.run(Map.of("REDIS_MODE", "sentinel", "REDIS_ADDRESSES", redis.addresses(),
                "REDIS_MASTER_NAME", OwnSentinels.MASTER));
        assertEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().contains("its primary of '" + OwnSentinels.MASTER + "' at"), check.output());
        HelmBrokerCheck.Result unknown = HelmBrokerCheck.run(Map.of("REDIS_MODE", "sentinel", "REDIS_ADDRESSES",
                redis.addresses(), "REDIS_MASTER_NAME", "no-such-master"));
        assertEquals(1, unknown.exitCode(), unknown.output());
        assertTrue(unknown.output().contains("no master set named 'no-such-master'"), unknown.output());
    }
}
