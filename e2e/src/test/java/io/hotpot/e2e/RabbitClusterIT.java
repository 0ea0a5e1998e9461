package io.hotpot.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.Amqp;
import io.hotpot.common.Json;

/**
 * Hotpot on a 3-node RabbitMQ cluster of the test's own with quorum queues (issue 16,
 * docs/decisions/0032): every service gets the three nodes in {@code rabbitmq.addresses}. The node
 * that leads a task queue is SIGKILLed while two workers run its tasks; a task whose worker dies
 * each time ends among the dead letters at the delivery limit; urgent tasks do not wait behind
 * the queue's backlog. Redis is the shared one; every queue is the run's own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RabbitClusterIT {
    /** The same for every service: they all declare the queues, and RabbitMQ refuses differing arguments. */
    private static final int DELIVERY_LIMIT = 2;
    private final ObjectMapper mapper = Json.newMapper();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private OwnBrokers.Cluster cluster;
    private Suite suite;
    private TaskClient tasks;
    private List<String> brokers;

    @BeforeAll
    void start() throws Exception {
        cluster = new OwnBrokers.Cluster(3).start();
        brokers = List.of("-Drabbitmq.addresses=" + cluster.addresses(), "-Drabbitmq.queue-type=quorum",
                "-Drabbitmq.delivery-limit=" + DELIVERY_LIMIT);
        suite = new Suite().start(Map.of("api-service", brokers, "worker-service", brokers, "scheduler-service", brokers));
        tasks = new TaskClient(suite);
    }

    @AfterAll
    void stop() throws Exception {
        if (suite != null) {
            suite.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private List<String> worker(String id, String queue, int concurrency, int urgentConcurrency) {
        List<String> properties = new ArrayList<>(brokers);
        properties.addAll(List.of("-Dhotpot.worker.id=" + id, "-Dhotpot.worker.queue=" + queue,
                "-Dhotpot.worker.concurrency=" + concurrency, "-Dhotpot.worker.urgent-concurrency=" + urgentConcurrency));
        return properties;
    }

    private Suite.Replica startWorker(String id, String queue, int concurrency, int urgentConcurrency) throws Exception {
        Suite.Replica replica = suite.startReplica("worker-service", id, worker(id, queue, concurrency, urgentConcurrency));
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/api/workers").body().contains(id));
        return replica;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return suite.http().send(suite.request("api-service", path).build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> submit(int count, String json, boolean all) throws Exception {
        return tasks.submit(count, json, !all);
    }

    private Map<String, JsonNode> records(List<String> ids) throws Exception {
        return tasks.records(ids);
    }

    private static long count(Map<String, JsonNode> records, String status) {
        return TaskClient.count(records, status);
    }

    /** The tasks waiting in a queue, as {@code GET /api/queues} reports them. */
    private long depth(String queue) throws Exception {
        for (JsonNode state : mapper.readTree(get("/api/queues").body())) {
            if (queue.equals(state.path("name").asText())) {
                return state.path("depth").asLong();
            }
        }
        throw new IllegalStateException("no queue " + queue + " in /api/queues");
    }

    @Test
    void killingTheQueueLeaderLosesNoAcceptedTask() throws Exception {
        String queue = "e2e-quorum-" + run;
        String queueName = Amqp.queueName(queue);
        startWorker("e2e-quorum-a-" + run, queue, 25, 5);
        String b = "e2e-quorum-b-" + run;
        startWorker(b, queue, 25, 5);
        OwnBrokers.Rabbit first = cluster.nodes.get(0);
        String leader = first.leaderOf(queueName);
        // The kill must also cut a worker's consuming connection, the hardest thing for a worker to come back from.
        // Which node a connection lands on is the client's choice (it shuffles the node list): worker b is started
        // again until one of the two consumes through the leader's node.
        int restarts = 0;
        while (!consumersOn(first, queueName).contains(leader)) {
            assertTrue(++restarts <= 12, "no worker's consumer landed on the leader " + leader + " in 12 starts");
            suite.stop(b);
            b = "e2e-quorum-b" + restarts + "-" + run;
            startWorker(b, queue, 25, 5);
        }
        long began = System.nanoTime();
        // 1,000 tasks of 1 s on 2 × 25 slots: about 20 s of work, long enough to kill the leader halfway.
        String json = "{\"type\":\"sleep\",\"args\":{\"seconds\":1},\"queue\":\"" + queue + "\"}";
        List<String> ids = new ArrayList<>(submit(1000, json, true));
        // Halfway: 500 or fewer still queued (RabbitMQ's count, cheap to ask, unlike 1,000 records).
        long[] queuedAtKill = new long[1];
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> {
            queuedAtKill[0] = depth(queue);
            return queuedAtKill[0] <= 500;
        });
        OwnBrokers.Rabbit killed = cluster.node(leader);
        int cut = killed.connections(); // the services' connections that go with it and move to another node
        killed.kill();
        Instant killedAt = Instant.now();
        // Submissions while the queue elects its new leader: each is 202 only once a quorum holds it.
        List<String> during = submit(100, json, false);
        ids.addAll(during);

        Map<String, JsonNode>[] last = new Map[1];
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).until(() -> {
            last[0] = records(ids);
            return count(last[0], "SUCCESS") == ids.size();
        });
        double seconds = (System.nanoTime() - began) / 1e9;
        OwnBrokers.Rabbit survivor = cluster.nodes.stream().filter(node -> node != killed).findFirst().orElseThrow();
        String newLeader = survivor.leaderOf(queueName);
        long duplicates = last[0].values().stream().filter(r -> r.get("attempts").asInt() > 1).count();
        System.out.printf("E2E-FIGURE 3-node RabbitMQ cluster, quorum queue, SIGKILL of its leader %s (holding %d of the services'"
                + " connections, a worker's consumer among them; %d worker restart(s) to place it) with %d of 1,000 sleep(1 s)"
                + " tasks still queued (2 workers × 25); %d of 100 submitted during the"
                + " failover accepted; %d of %d accepted tasks SUCCESS, %d lost, %d run twice; new leader %s; all done in %.1f s"
                + " (%.1f s after the kill)%n",
                leader, cut, restarts, queuedAtKill[0], during.size(), count(last[0], "SUCCESS"), ids.size(), ids.size() - count(last[0], "SUCCESS"),
                duplicates, newLeader, seconds, Duration.between(killedAt, Instant.now()).toMillis() / 1000.0);
        assertNotEquals(leader, newLeader, "another node leads the queue");
        assertEquals(ids.size(), count(last[0], "SUCCESS"), "every accepted task succeeded");
        // Both workers consume again, through the nodes left: neither lost its consumer with the node. (The queue
        // still lists the consumer it had through the killed node, as suspected down, until that node is back.)
        await().atMost(Duration.ofSeconds(20)).until(() -> survivor.consumerNodes(queueName),
                nodes -> nodes.stream().filter(node -> !node.equals(leader)).count() == 2);
    }

    /** The nodes the task queue's consumers are connected through, once both workers consume it. */
    private static List<String> consumersOn(OwnBrokers.Rabbit node, String queueName) throws Exception {
        return await().atMost(Duration.ofSeconds(20)).until(() -> node.consumerNodes(queueName), nodes -> nodes.size() == 2);
    }

    @Test
    void aTaskWhoseWorkerDiesEachTimeEndsInTheDeadLettersAtTheDeliveryLimit() throws Exception {
        String queue = "e2e-poison-" + run;
        String id = null;
        for (int attempt = 1; attempt <= DELIVERY_LIMIT; attempt++) {
            Suite.Replica worker = startWorker("e2e-poison-" + attempt + "-" + run, queue, 5, 1);
            if (id == null) { // the queue is known once its first worker consumes it
                id = submit(1, "{\"type\":\"sleep\",\"args\":{\"seconds\":120},\"queue\":\"" + queue + "\"}", true).get(0);
            }
            String task = id;
            int expected = attempt;
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                JsonNode record = records(List.of(task)).get(task);
                return "STARTED".equals(record.path("status").asText()) && record.path("attempts").asInt() == expected;
            });
            worker.kill(); // as an out-of-memory kill the task causes each time
        }
        startWorker("e2e-poison-last-" + run, queue, 5, 1);
        String task = id;
        JsonNode[] record = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            record[0] = records(List.of(task)).get(task);
            return "FAILURE".equals(record[0].path("status").asText());
        });
        assertEquals("DeliveryLimitExceeded", record[0].path("error").path("type").asText(), record[0].toString());
        assertEquals(DELIVERY_LIMIT, record[0].path("attempts").asInt(), "not run a third time");
        JsonNode[] letters = new JsonNode[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            letters[0] = mapper.readTree(get("/api/dead-letters?queue=" + queue).body());
            return letters[0].size() == 1;
        });
        assertEquals(task, letters[0].get(0).path("id").asText(), letters[0].toString());
        assertEquals("FAILURE", letters[0].get(0).path("status").asText());
        System.out.printf("E2E-FIGURE a task whose worker was SIGKILLed %d times: FAILURE (%s), kept among the dead letters (%s)%n",
                DELIVERY_LIMIT, record[0].path("error").path("message").asText(), letters[0].get(0).path("reason").asText());
    }

    @Test
    void urgentTasksDoNotWaitBehindTheBacklog() throws Exception {
        String queue = "e2e-urgent-" + run;
        startWorker("e2e-urgent-" + run, queue, 1, 1);
        // A backlog that cannot drain during the test: one runs (concurrency 1), five wait.
        List<String> backlog = submit(6, "{\"type\":\"sleep\",\"args\":{\"seconds\":600},\"queue\":\"" + queue + "\"}", true);
        await().atMost(Duration.ofSeconds(20)).until(() -> count(records(backlog), "STARTED") == 1);
        String urgent = submit(1, "{\"type\":\"add\",\"args\":{\"x\":1,\"y\":2},\"queue\":\"" + queue + "\",\"priority\":9}", true)
                .get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCESS".equals(records(List.of(urgent)).get(urgent).path("status").asText()));
        Map<String, JsonNode> waiting = records(backlog);
        assertEquals(5, count(waiting, "PENDING"), "the urgent task ran while the backlog still waited: " + waiting.values());
        assertEquals(1, count(waiting, "STARTED"), waiting.values().toString());
        assertEquals(3, records(List.of(urgent)).get(urgent).path("result").asInt());
        for (String id : backlog) {
            HttpResponse<String> revoked = suite.http().send(suite.request("api-service", "/api/tasks/" + id).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, revoked.statusCode(), revoked.body());
        }
    }

    @Test
    void helmTestsBrokerCheckLogsInThroughTheNodesOfTheCluster() throws Exception {
        HelmBrokerCheck.Result check = HelmBrokerCheck.run(Map.of("RABBITMQ_ADDRESSES", cluster.addresses(),
                "RABBITMQ_USERNAME", "guest", "RABBITMQ_PASSWORD", "guest"));
        assertEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().contains("ok   RabbitMQ node"), check.output());
        HelmBrokerCheck.Result refused = HelmBrokerCheck.run(Map.of("RABBITMQ_ADDRESSES", cluster.addresses(),
                "RABBITMQ_USERNAME", "guest", "RABBITMQ_PASSWORD", "not-the-password"));
        assertEquals(1, refused.exitCode(), refused.output());
        assertTrue(refused.output().contains("FAIL RabbitMQ: no node answered"), refused.output());
    }
}
