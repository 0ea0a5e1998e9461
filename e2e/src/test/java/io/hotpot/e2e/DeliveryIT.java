package io.hotpot.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.hotpot.common.Amqp;

/**
 * What happens to tasks when workers die or stop, with real worker processes: SIGKILL of one
 * of two workers mid-run (at-least-once, redelivery, duplicates counted), SIGTERM with and
 * without enough grace (graceful shutdown), and routing and priority on a worker of
 * concurrency 1. Every test uses queues of its own run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeliveryIT {
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    /** Consumed by the suite's own worker, of concurrency 1: for priority. */
    private final String priorityQueue = "e2e-prio-" + run;
    private final String priorityWorker = "e2e-prio-worker-" + run;
    private final List<String> queues = new ArrayList<>(List.of(priorityQueue));
    private Suite suite;
    private TaskClient tasks;

    @BeforeAll
    void startSuite() throws Exception {
        suite = new Suite().start(Map.of("worker-service", worker(priorityWorker, priorityQueue, 1, "30s")));
        tasks = new TaskClient(suite);
        awaitWorker(priorityWorker);
    }

    @AfterAll
    void stopSuite() throws Exception {
        if (suite != null) {
            suite.close();
        }
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
            for (String queue : queues) {
                channel.queueDelete(Amqp.queueName(queue));
                RedisCli.forgetQueue(queue);
                channel.queueDelete(Amqp.deadQueueName(queue));
            }
        }
    }

    private static List<String> worker(String id, String queue, int concurrency, String grace) {
        return List.of("-Dhotpot.worker.id=" + id, "-Dhotpot.worker.queue=" + queue,
                "-Dhotpot.worker.concurrency=" + concurrency, "-Dhotpot.worker.shutdown-grace=" + grace);
    }

    private void awaitWorker(String id) {
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/api/workers").body().contains(id));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return suite.http().send(suite.request("api-service", path).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private List<String> submit(int count, String bodyJson) throws Exception {
        return tasks.submit(count, bodyJson);
    }

    private Map<String, JsonNode> records(List<String> ids) throws Exception {
        return tasks.records(ids);
    }

    private static long count(Map<String, JsonNode> records, String status) {
        return TaskClient.count(records, status);
    }

    @Test
    void aWorkerKilledMidRunLosesNothing() throws Exception {
        String queue = "e2e-kill-" + run;
        queues.add(queue);
        String first = "e2e-kill-a-" + run;
        String second = "e2e-kill-b-" + run;
        // Concurrency 25 each and 2 s sleeps: 500 tasks take about 20 s, long enough to kill one halfway.
        Suite.Replica victim = suite.startReplica("worker-service", first, worker(first, queue, 25, "30s"));
        suite.startReplica("worker-service", second, worker(second, queue, 25, "30s"));
        awaitWorker(first);
        awaitWorker(second);

        long start = System.nanoTime();
        List<String> ids = submit(500, "{\"type\":\"sleep\",\"args\":{\"seconds\":2},\"queue\":\"" + queue + "\"}");
        long[] killedAt = new long[1];
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            killedAt[0] = count(records(ids), "SUCCESS");
            return killedAt[0] >= 250;
        });
        victim.kill();
        assertFalse(victim.process().isAlive());

        Map<String, JsonNode>[] last = new Map[1];
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() -> {
            last[0] = records(ids);
            return count(last[0], "SUCCESS") == ids.size();
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, JsonNode> done = last[0];
        long duplicates = done.values().stream().filter(r -> r.get("attempts").asInt() > 1).count();
        long onVictim = done.values().stream().filter(r -> first.equals(r.get("worker").asText())).count();
        long onSurvivor = done.values().stream().filter(r -> second.equals(r.get("worker").asText())).count();
        System.out.printf("E2E-FIGURE SIGKILL of one of two workers (concurrency 25 each) after %d of 500 sleep(2 s) tasks"
                + " succeeded: %d SUCCESS, %d lost, %d run twice (attempts > 1), finished on killed/survivor %d/%d,"
                + " all done in %.1f s%n", killedAt[0], count(done, "SUCCESS"), ids.size() - count(done, "SUCCESS"),
                duplicates, onVictim, onSurvivor, seconds);
        assertEquals(500, count(done, "SUCCESS"));
        assertEquals(500, onVictim + onSurvivor, "routing: only the queue's two workers ran its tasks");
        assertTrue(duplicates > 0, "the killed worker was running tasks; they ran again");
        for (JsonNode record : done.values()) {
            if (record.get("attempts").asInt() > 1) {
                assertEquals(second, record.get("worker").asText(), "a redelivered task finished on the survivor");
            }
        }
    }

    @Test
    void sigtermLetsRunningTasksFinish() throws Exception {
        String queue = "e2e-term-" + run;
        queues.add(queue);
        String id = "e2e-term-" + run;
        Suite.Replica worker = suite.startReplica("worker-service", id, worker(id, queue, 10, "30s"));
        awaitWorker(id);
        List<String> ids = submit(10, "{\"type\":\"sleep\",\"args\":{\"seconds\":3},\"queue\":\"" + queue + "\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> count(records(ids), "STARTED") == 10);
        worker.terminate();
        assertTrue(worker.process().waitFor(40, TimeUnit.SECONDS), "the worker exits after its tasks");
        Map<String, JsonNode> done = records(ids);
        assertEquals(10, count(done, "SUCCESS"), done.toString());
        for (JsonNode record : done.values()) {
            assertEquals(1, record.get("attempts").asInt());
            assertEquals(id, record.get("worker").asText());
        }
    }

    @Test
    void whatDidNotFinishWithinTheGraceIsRedelivered() throws Exception {
        String queue = "e2e-grace-" + run;
        queues.add(queue);
        String leaving = "e2e-grace-a-" + run;
        String staying = "e2e-grace-b-" + run;
        Suite.Replica worker = suite.startReplica("worker-service", leaving, worker(leaving, queue, 10, "1s"));
        awaitWorker(leaving);
        // The tasks must outlive the start of the second worker, which takes up to 15 s on a loaded
        // 2-core machine (8 s tasks once finished on the leaving worker before it was asked to stop).
        List<String> ids = submit(5, "{\"type\":\"sleep\",\"args\":{\"seconds\":30},\"queue\":\"" + queue + "\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> count(records(ids), "STARTED") == 5);
        suite.startReplica("worker-service", staying, worker(staying, queue, 10, "30s"));
        worker.terminate();
        assertTrue(worker.process().waitFor(30, TimeUnit.SECONDS));
        Map<String, JsonNode>[] last = new Map[1];
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            last[0] = records(ids);
            return count(last[0], "SUCCESS") == 5;
        });
        for (JsonNode record : last[0].values()) {
            assertEquals(2, record.get("attempts").asInt(), record.toString());
            assertEquals(staying, record.get("worker").asText());
        }
    }

    @Test
    void higherPriorityRunsFirstWithinAQueue() throws Exception {
        // The worker runs one task at a time (prefetch 1): while the first sleeps, the others wait in
        // RabbitMQ's priority queue, every one of them (each 202 means confirmed) until the blocker is revoked.
        String blocker = submit(1, "{\"type\":\"sleep\",\"args\":{\"seconds\":600},\"queue\":\"" + priorityQueue + "\"}").get(0);
        await().atMost(Duration.ofSeconds(20)).until(() -> count(records(List.of(blocker)), "STARTED") == 1);
        List<String> ids = new ArrayList<>();
        for (int priority : new int[] { 0, 5, 9, 1, 7, 3, 9, 0, 4, 8 }) {
            ids.addAll(submit(1, "{\"type\":\"add\",\"args\":{\"x\":1,\"y\":" + priority + "},\"queue\":\"" + priorityQueue
                    + "\",\"priority\":" + priority + "}"));
        }
        assertEquals(10, count(records(ids), "PENDING"), "none started while the blocker runs");
        HttpResponse<String> revoked = suite.http().send(suite.request("api-service", "/api/tasks/" + blocker).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, revoked.statusCode(), revoked.body());
        Map<String, JsonNode>[] last = new Map[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            last[0] = records(ids);
            return count(last[0], "SUCCESS") == ids.size();
        });
        List<JsonNode> byStart = last[0].values().stream()
                .sorted(Comparator.comparing((JsonNode r) -> Instant.parse(r.get("startedAt").asText()))).toList();
        List<Integer> order = byStart.stream().map(r -> r.get("priority").asInt()).toList();
        assertEquals(List.of(9, 9, 8, 7, 5, 4, 3, 1, 0, 0), order, "tasks started in priority order");
        assertTrue(byStart.stream().allMatch(r -> priorityWorker.equals(r.get("worker").asText())));
    }
}
