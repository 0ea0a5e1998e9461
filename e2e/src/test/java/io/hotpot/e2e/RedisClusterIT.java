package io.hotpot.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.Amqp;
import io.hotpot.common.Json;
import io.hotpot.common.RedisKeys;

/**
 * Hotpot on a Redis Cluster (issue 16): three primaries with a replica each, of the test's own;
 * every service connects with {@code redis.mode=cluster} from two of its nodes and waits for one
 * replica on the writes it acts on ({@code redis.replica-acks=1}). Tasks (now, counted down,
 * retried, revoked, idempotent, listed), a schedule firing every second and chat across two
 * chat-service replicas with the live task stream all run as on one Redis; and every script and
 * every {@code WAIT} ran on the one primary that holds Hotpot's hash slot, none elsewhere.
 * RabbitMQ is the shared one; queues are the run's own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterIT {
    private static final String CHAT_2 = "chat-service-2";

    private final ObjectMapper mapper = Json.newMapper();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String queue = "e2e-cluster-" + run;
    private final String workerId = "e2e-cluster-worker-" + run;
    private OwnRedisCluster redis;
    private Suite suite;
    private TaskClient tasks;

    @BeforeAll
    void start() throws Exception {
        redis = new OwnRedisCluster();
        redis.start(); // assigned first: @AfterAll stops what was started even when this fails
        List<String> cluster = List.of("-Dredis.mode=cluster", "-Dredis.addresses=" + redis.addresses(), "-Dredis.replica-acks=1");
        List<String> worker = new ArrayList<>(cluster);
        worker.addAll(List.of("-Dhotpot.worker.id=" + workerId, "-Dhotpot.worker.queue=" + queue, "-Dhotpot.worker.concurrency=25"));
        List<String> scheduler = new ArrayList<>(cluster);
        scheduler.add("-Dhotpot.leader.name=e2e-cluster-" + run);
        suite = new Suite().start(Map.of("api-service", cluster, "worker-service", worker, "chat-service", cluster,
                "scheduler-service", scheduler));
        suite.startReplica("chat-service", CHAT_2, cluster);
        tasks = new TaskClient(suite);
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/api/workers").body().contains(workerId));
    }

    @AfterAll
    void stop() throws Exception {
        if (suite != null) {
            suite.close();
        }
        if (redis != null) {
            redis.close();
        }
        com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (com.rabbitmq.client.Connection connection = factory.newConnection();
                com.rabbitmq.client.Channel channel = connection.createChannel()) {
            channel.queueDelete(Amqp.queueName(queue));
            channel.queueDelete(Amqp.urgentQueueName(queue));
            channel.queueDelete(Amqp.deadQueueName(queue));
        }
        RedisCli.forgetQueue(queue);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return suite.http().send(suite.request("api-service", path).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return suite.http().send(suite.request("api-service", path).header("Content-Type", "application/json")
                .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String submit(String body) throws Exception {
        HttpResponse<String> accepted = send("POST", "/api/tasks", body);
        assertEquals(202, accepted.statusCode(), accepted.body());
        return mapper.readTree(accepted.body()).get("id").asText();
    }

    private JsonNode task(String id) throws Exception {
        return mapper.readTree(get("/api/tasks/" + id).body());
    }

    private JsonNode awaitStatus(String id, String status) throws Exception {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> status.equals((last[0] = task(id)).path("status").asText()));
        return last[0];
    }

    @Test
    @Order(1)
    void tasksRunAreCountedDownRetriedRevokedAndListed() throws Exception {
        List<String> ids = tasks.submit(300, "{\"type\":\"add\",\"args\":{\"x\":20,\"y\":22},\"queue\":\"" + queue + "\"}");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> TaskClient.count(tasks.records(ids), "SUCCESS") == ids.size());
        assertTrue(tasks.records(ids).values().stream().allMatch(record -> record.path("result").asInt() == 42));

        // The due set and the scheduler's leader: a countdown, and a retry's back-off.
        String later = submit("{\"type\":\"add\",\"args\":{\"x\":4,\"y\":4},\"countdown\":1,\"queue\":\"" + queue + "\"}");
        String flaky = submit("{\"type\":\"flaky\",\"args\":{\"failures\":1},\"queue\":\"" + queue + "\"}");
        assertEquals(8, awaitStatus(later, "SUCCESS").path("result").asInt());
        assertEquals(2, awaitStatus(flaky, "SUCCESS").path("attempts").asInt(), "it ran again after its back-off");

        // A revoked countdown task leaves the due set and never runs.
        String revoked = submit("{\"type\":\"add\",\"args\":{\"x\":1,\"y\":1},\"countdown\":600,\"queue\":\"" + queue + "\"}");
        assertFalse(redis.command("ZSCORE", RedisKeys.DUE, revoked).isBlank(), "it waits in the due set");
        HttpResponse<String> revoke = send("DELETE", "/api/tasks/" + revoked, null);
        assertEquals(200, revoke.statusCode(), revoke.body());
        assertEquals("REVOKED", task(revoked).path("status").asText());
        assertTrue(redis.command("ZSCORE", RedisKeys.DUE, revoked).isBlank(), "it left the due set");

        // An idempotency key: the second submission answers the first task.
        String body = "{\"type\":\"add\",\"args\":{\"x\":1,\"y\":2},\"idempotencyKey\":\"cluster-" + run + "\",\"queue\":\"" + queue + "\"}";
        String first = submit(body);
        HttpResponse<String> again = send("POST", "/api/tasks", body);
        assertEquals(200, again.statusCode(), "the earlier task, answered again: " + again.body());
        assertEquals(first, mapper.readTree(again.body()).get("id").asText());

        // Lists and counts: scripts that read many records of the slot.
        JsonNode recent = mapper.readTree(get("/api/tasks?type=flaky&limit=500").body());
        assertTrue(recent.findValuesAsText("id").contains(flaky), recent.toString());
        HttpResponse<String> stats = get("/api/tasks/stats");
        assertEquals(200, stats.statusCode(), stats.body());
        assertTrue(mapper.readTree(stats.body()).toString().contains("SUCCESS"), stats.body());
    }

    @Test
    @Order(2)
    void aScheduleFiresOnceEachSecond() throws Exception {
        String name = "cluster-every-second-" + run;
        String schedule = "{\"name\":\"" + name + "\",\"cron\":\"*/1 * * * * ?\",\"timezone\":\"UTC\","
                + "\"task\":{\"type\":\"add\",\"args\":{\"x\":7,\"y\":" + 7 + "},\"queue\":\"" + queue + "\"}}";
        HttpResponse<String> created = send("POST", "/api/schedules", schedule);
        assertEquals(201, created.statusCode(), created.body());
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> ticks().size() >= 6);
        } finally {
            send("DELETE", "/api/schedules/" + name, null);
        }
        TreeMap<Instant, Integer> ticks = ticks();
        ticks.values().forEach(count -> assertEquals(1, count, "one task a tick: " + ticks));
        long span = Duration.between(ticks.firstKey(), ticks.lastKey()).toSeconds() + 1;
        assertEquals(span, ticks.size(), "a tick without its task: " + ticks.keySet());
    }

    /** The schedule's tasks (x = 7 on this run's queue) per tick, their createdAt. */
    private TreeMap<Instant, Integer> ticks() throws Exception {
        TreeMap<Instant, Integer> ticks = new TreeMap<>();
        for (JsonNode task : mapper.readTree(get("/api/tasks?type=add&limit=500").body())) {
            if (queue.equals(task.path("queue").asText()) && task.path("args").path("x").asInt() == 7) {
                ticks.merge(Instant.parse(task.path("createdAt").asText()), 1, Integer::sum);
            }
        }
        return ticks;
    }

    @Test
    @Order(3)
    void chatCrossesReplicasAndTaskEventsReachTheirWatchers() throws Exception {
        String room = "cluster-" + run;
        try (WsClient alice = suite.chat("chat-service", "/ws/chat/" + room + "/", "alice");
                WsClient bob = suite.chat(CHAT_2, "/ws/chat/" + room + "/", "bob");
                WsClient watcher = suite.chat(CHAT_2, "/ws/tasks?type=add", "watcher", "read")) {
            alice.next("history", Duration.ofSeconds(10));
            bob.next("history", Duration.ofSeconds(10));
            watcher.next("task-subscribed", Duration.ofSeconds(10));
            // Presence crosses replicas through a pub/sub channel; messages through the room's stream.
            assertEquals("bob", alice.next(f -> "presence".equals(f.path("type").asText()) && "bob".equals(f.path("user").asText()),
                    Duration.ofSeconds(10)).path("user").asText());
            alice.say("over the cluster " + run);
            assertEquals("over the cluster " + run, bob.messages(1, Duration.ofSeconds(10)).get(0).path("message").asText());

            String id = submit("{\"type\":\"add\",\"args\":{\"x\":2,\"y\":3},\"queue\":\"" + queue + "\"}");
            JsonNode success = watcher.next(f -> "task-event".equals(f.path("type").asText())
                    && id.equals(f.path("event").path("id").asText()) && "SUCCESS".equals(f.path("event").path("status").asText()),
                    Duration.ofSeconds(20));
            assertEquals("SUCCESS", success.path("event").path("status").asText());
        }
        // The room's history, read again by a newcomer on the other replica.
        try (WsClient carol = suite.chat("chat-service", "/ws/chat/" + room + "/", "carol")) {
            // The history comes first, then its marker with the count.
            assertEquals("over the cluster " + run, carol.messages(1, Duration.ofSeconds(10)).get(0).path("message").asText());
            assertEquals(1, carol.next("history", Duration.ofSeconds(10)).path("count").asInt());
        }
    }

    @Test
    @Order(4)
    void everyScriptAndWaitRanOnThePrimaryOfHotpotsSlot() throws Exception {
        int home = redis.primaryOf(RedisKeys.HASH_TAG);
        List<Integer> others = redis.primaries().stream().filter(port -> port != home).toList();
        assertEquals(2, others.size(), "three primaries: " + redis.primaries());
        long scripts = OwnRedisCluster.calls(home, "eval") + OwnRedisCluster.calls(home, "evalsha");
        long waits = OwnRedisCluster.calls(home, "wait");
        assertTrue(scripts > 300, "Hotpot's scripts ran on the primary of its slot: " + scripts);
        assertTrue(waits > 300, "the writes Hotpot acts on waited for the replica, there: " + waits);
        for (int port : others) {
            assertEquals(0, OwnRedisCluster.calls(port, "eval") + OwnRedisCluster.calls(port, "evalsha"), "scripts on " + port);
            assertEquals(0, OwnRedisCluster.calls(port, "wait"), "WAIT on " + port + ", which holds none of Hotpot's writes");
        }
        assertTrue(Long.parseLong(OwnRedisCluster.cli(home, "dbsize").trim()) > 300, "the primary of the slot holds the keys");
        for (int port : others) {
            assertEquals("0", OwnRedisCluster.cli(port, "dbsize").trim(), "keys on " + port + ", outside Hotpot's slot");
        }
        for (String service : List.of("api-service", "worker-service", "chat-service", "scheduler-service", CHAT_2)) {
            String log = Files.readString(suite.log(service));
            assertFalse(log.contains("CROSSSLOT") || log.contains("MOVED") || log.contains("HOTPOT-REDIS-012"),
                    service + " hit a cluster error or missed its replica:\n" + log);
        }
        System.out.printf("E2E-FIGURE Redis Cluster, 3 primaries + 3 replicas, replica-acks 1: %d scripts and %d WAITs on the"
                + " primary of {hotpot}'s slot (port %d), 0 on the other two%n", scripts, waits, home);
    }

    @Test
    @Order(5)
    void helmTestsBrokerCheckAsksEveryClusterNodeForItsState() throws Exception {
        HelmBrokerCheck.Result check = HelmBrokerCheck.run(Map.of("REDIS_MODE", "cluster", "REDIS_ADDRESSES", redis.addresses()));
        assertEquals(0, check.exitCode(), check.output());
        assertEquals(redis.addresses().split(",").length, check.output().lines().filter(l -> l.startsWith("ok   Redis Cluster node")).count(),
                check.output());
    }
}
