package io.hotpot.worker.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.RedisKeys;
import io.hotpot.common.TaskMessage;
import io.hotpot.worker.task.TaskRunner;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The worker's metrics after tasks ran through the real TaskRunner and Redis, read from
 * {@code /q/metrics} as Prometheus scrapes them. Each test uses a queue tag of its own, so counts
 * are exact.
 */
@QuarkusTest
class WorkerMetricsTest {
    @Inject
    TaskRunner runner;
    @Inject
    ObjectMapper mapper;
    @Inject
    RedisDataSource redis;
    @Inject
    WorkerMetrics workerMetrics;

    private final String queue = "metrics-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<String> ids = new ArrayList<>();

    @AfterEach
    void deleteRecords() {
        ids.forEach(id -> redis.key().del(RedisKeys.task(id)));
    }

    private CompletableFuture<TaskRunner.Outcome> run(String type, String args, Instant createdAt) throws Exception {
        String id = UUID.randomUUID().toString();
        ids.add(id);
        return runner.run(new TaskMessage(id, type, mapper.readTree(args), queue, 0, createdAt, "corr-" + id));
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double value(String metrics, String name, String labels) {
        String series = labels.isEmpty() ? name : name + "{" + labels + "}";
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        assertTrue(matcher.find(), () -> series + " is missing from /q/metrics, which has: " + metrics.lines()
                .filter(line -> line.startsWith(name)).toList());
        return Double.parseDouble(matcher.group(1));
    }

    private String tags(String type) {
        return "queue=\"" + queue + "\",type=\"" + type + "\"";
    }

    @Test
    void outcomesAreCountedByTypeAndQueue() throws Exception {
        run("add", "{\"x\":1,\"y\":2}", Instant.now()).get(10, TimeUnit.SECONDS);
        run("add", "{\"x\":3,\"y\":4}", Instant.now()).get(10, TimeUnit.SECONDS);
        run("add", "{\"x\":9223372036854775807,\"y\":1}", Instant.now()).get(10, TimeUnit.SECONDS);
        String metrics = metrics();
        assertEquals(3.0, value(metrics, "hotpot_tasks_started_total", tags("add")));
        assertEquals(2.0, value(metrics, "hotpot_tasks_succeeded_total", tags("add")));
        assertEquals(1.0, value(metrics, "hotpot_tasks_failed_total", tags("add")));
    }

    @Test
    void runTimeAndQueueWaitAreHistograms() throws Exception {
        // Accepted two seconds ago: its wait is at least that, and its run (a 0.3 s sleep) at least 0.3 s.
        run("sleep", "{\"seconds\":0.3}", Instant.now().minusSeconds(2)).get(10, TimeUnit.SECONDS);
        String metrics = metrics();
        assertEquals(1.0, value(metrics, "hotpot_task_run_seconds_count", tags("sleep")));
        assertTrue(value(metrics, "hotpot_task_run_seconds_sum", tags("sleep")) >= 0.3);
        assertEquals(0.0, value(metrics, "hotpot_task_run_seconds_bucket", tags("sleep") + ",le=\"0.25\""));
        assertEquals(1.0, value(metrics, "hotpot_task_run_seconds_bucket", tags("sleep") + ",le=\"1.0\""));
        assertEquals(1.0, value(metrics, "hotpot_task_queue_wait_seconds_count", tags("sleep")));
        assertEquals(0.0, value(metrics, "hotpot_task_queue_wait_seconds_bucket", tags("sleep") + ",le=\"1.0\""));
        assertEquals(1.0, value(metrics, "hotpot_task_queue_wait_seconds_bucket", tags("sleep") + ",le=\"5.0\""));
    }

    @Test
    void inFlightFollowsRunningTasks() throws Exception {
        double before = value(metrics(), "hotpot_worker_tasks_in_flight", "");
        List<CompletableFuture<TaskRunner.Outcome>> sleeping = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sleeping.add(run("sleep", "{\"seconds\":1.5}", Instant.now()));
        }
        assertTrue(value(metrics(), "hotpot_worker_tasks_in_flight", "") >= before + 5);
        CompletableFuture.allOf(sleeping.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertEquals(5.0, value(metrics(), "hotpot_tasks_succeeded_total", tags("sleep")));
    }

    @Test
    void retriedIsCountedForTheRetryPolicy() {
        workerMetrics.retried("add", queue);
        assertEquals(1.0, value(metrics(), "hotpot_tasks_retried_total", tags("add")));
    }
}
