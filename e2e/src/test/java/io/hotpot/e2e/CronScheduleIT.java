package io.hotpot.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.hotpot.common.Amqp;
import io.hotpot.common.Json;
import io.hotpot.common.RedisKeys;

/**
 * Cron schedules created at run time through {@code /api/schedules}, fired by the packaged
 * scheduler and run by the packaged worker, all read back through the REST API: a Quartz cron
 * with seconds ({@code *}{@code /1 * * * * ?}) creates exactly one task per second, each of which
 * succeeds; a cron whose hours only match in Asia/Kathmandu (UTC+05:45) fires now when read in
 * that zone and not when read in UTC, and the UTC one's next fire time is the one java.time
 * computes. The scheduler runs as a leader group of this run's own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CronScheduleIT {
    private static final ZoneId KATHMANDU = ZoneId.of("Asia/Kathmandu");

    private final ObjectMapper mapper = Json.newMapper();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String queue = "e2e-cron-" + run;
    private final String workerId = "e2e-cron-worker-" + run;
    private final String everySecond = "cron-every-second-" + run;
    private final String zoned = "cron-kathmandu-" + run;
    private final String inUtc = "cron-utc-" + run;
    private Suite suite;

    @BeforeAll
    void startSuite() throws Exception {
        suite = new Suite().start(Map.of(
                "worker-service", List.of("-Dhotpot.worker.queue=" + queue, "-Dhotpot.worker.id=" + workerId),
                "scheduler-service", List.of("-Dhotpot.leader.name=e2e-cron-" + run)));
        await().atMost(Duration.ofSeconds(20)).until(() -> send("GET", "/api/workers", null).body().contains(workerId));
    }

    @AfterAll
    void stopSuite() throws Exception {
        if (suite != null) {
            for (String name : List.of(everySecond, zoned, inUtc)) {
                send("DELETE", "/api/schedules/" + name, null);
            }
            suite.close();
        }
        for (String name : List.of(everySecond, zoned, inUtc)) {
            RedisCommand.deleteMatching(RedisKeys.fired(name, 0).replaceAll("0$", "*"));
        }
        RedisCommand.send("DEL", RedisKeys.leaderLock("e2e-cron-" + run), RedisKeys.leaderEpoch("e2e-cron-" + run),
                RedisKeys.configSchedules("e2e-cron-" + run));
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
            channel.queueDelete(Amqp.queueName(queue));
            channel.queueDelete(Amqp.deadQueueName(queue));
        }
    }

    private HttpResponse<String> send(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = suite.request("api-service", path).timeout(Duration.ofSeconds(10));
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return suite.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void create(String name, String cron, String timezone, int x) throws Exception {
        String body = "{\"name\":\"" + name + "\",\"cron\":\"" + cron + "\",\"timezone\":\"" + timezone + "\","
                + "\"task\":{\"type\":\"add\",\"args\":{\"x\":" + x + ",\"y\":" + x + "},\"queue\":\"" + queue + "\"}}";
        HttpResponse<String> response = send("POST", "/api/schedules", body);
        assertEquals(201, response.statusCode(), response.body());
    }

    /** This run's tasks (its queue) among the newest {@code add} tasks, by the x they were given. */
    private List<JsonNode> tasksWithX(int x) throws Exception {
        HttpResponse<String> response = send("GET", "/api/tasks?type=add&limit=500", null);
        assertEquals(200, response.statusCode(), response.body());
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode task : mapper.readTree(response.body())) {
            if (queue.equals(task.path("queue").asText()) && task.path("args").path("x").asInt() == x) {
                found.add(task);
            }
        }
        return found;
    }

    /** Tasks per tick (the task's createdAt is its tick), oldest first. */
    private static TreeMap<Instant, Integer> perTick(List<JsonNode> tasks) {
        TreeMap<Instant, Integer> ticks = new TreeMap<>();
        tasks.forEach(task -> ticks.merge(Instant.parse(task.path("createdAt").asText()), 1, Integer::sum));
        return ticks;
    }

    /** Exactly one task for every whole second from the first tick to the last, none doubled or left out. */
    private static void assertOnePerSecond(String what, TreeMap<Instant, Integer> ticks) {
        for (Map.Entry<Instant, Integer> tick : ticks.entrySet()) {
            assertEquals(0, tick.getKey().getNano(), what + ": ticks are whole seconds, got " + tick.getKey());
            assertEquals(1, tick.getValue(), what + ": tasks for the tick " + tick.getKey() + " in " + ticks);
        }
        long span = Duration.between(ticks.firstKey(), ticks.lastKey()).toSeconds() + 1;
        assertEquals(span, ticks.size(), what + ": a tick without its task in " + ticks.keySet());
    }

    @Test
    void aCronWithSecondsFiresEverySecondAndAZonedCronFollowsItsZone() throws Exception {
        // Two hours that are the current and next hour in Kathmandu; UTC is 5:45 behind, so never in them now.
        int hour = ZonedDateTime.now(KATHMANDU).getHour();
        Set<Integer> hours = Set.of(hour, (hour + 1) % 24);
        String hoursCron = "* * " + hour + "," + (hour + 1) % 24 + " * * ?";

        create(everySecond, "*/1 * * * * ?", "UTC", 1);
        create(zoned, hoursCron, "Asia/Kathmandu", 2);
        create(inUtc, hoursCron, "UTC", 3);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> tasksWithX(1).size() >= 6 && tasksWithX(2).size() >= 6);
        for (String name : List.of(everySecond, zoned)) {
            HttpResponse<String> paused = send("POST", "/api/schedules/" + name + "/pause", null);
            assertEquals(200, paused.statusCode(), paused.body());
        }
        // Every task that was fired runs on this run's worker and succeeds (1+1 and 2+2).
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
            List<JsonNode> all = new ArrayList<>(tasksWithX(1));
            all.addAll(tasksWithX(2));
            return all.stream().allMatch(t -> "SUCCESS".equals(t.path("status").asText()));
        });

        List<JsonNode> secondly = tasksWithX(1);
        List<JsonNode> kathmandu = tasksWithX(2);
        System.out.printf("E2E-FIGURE cron */1 * * * * ?: %d ticks, %s%n", secondly.size(), perTick(secondly).values());
        System.out.printf("E2E-FIGURE cron '%s' in Asia/Kathmandu: %d ticks%n", hoursCron, kathmandu.size());
        assertOnePerSecond("every second", perTick(secondly));
        assertOnePerSecond("Kathmandu hours", perTick(kathmandu));
        for (JsonNode task : secondly) {
            assertEquals("SUCCESS", task.path("status").asText(), task.toString());
            assertEquals(2, task.path("result").asInt(), task.toString());
            assertEquals(1, task.path("attempts").asInt(), task.toString());
        }
        for (JsonNode task : kathmandu) {
            assertEquals(4, task.path("result").asInt(), task.toString());
            assertTrue(hours.contains(Instant.parse(task.path("createdAt").asText()).atZone(KATHMANDU).getHour()),
                    "fired in a Kathmandu hour of the cron: " + task);
        }

        // The same cron read in UTC fires nothing now (its hours are 4 or more hours away); the tick
        // the scheduler plans for it is the next of those hours in UTC.
        assertEquals(List.of(), tasksWithX(3), "the cron read in UTC matched no hour yet");
        JsonNode utc = mapper.readTree(send("GET", "/api/schedules/" + inUtc, null).body());
        assertEquals("UTC", utc.path("timezone").asText());
        assertEquals(nextUtcHourStart(hours), Instant.parse(utc.path("nextFireTime").asText()), utc.toString());
        JsonNode kathmanduView = mapper.readTree(send("GET", "/api/schedules/" + zoned, null).body());
        assertEquals("Asia/Kathmandu", kathmanduView.path("timezone").asText());
        assertEquals(kathmandu.stream().map(t -> Instant.parse(t.path("createdAt").asText())).max(Instant::compareTo).orElseThrow(),
                Instant.parse(kathmanduView.path("lastFireTime").asText()), kathmanduView.toString());
    }

    /** The next whole hour, read in UTC, whose hour is one of {@code hours}. */
    private static Instant nextUtcHourStart(Set<Integer> hours) {
        ZonedDateTime candidate = ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS).plusHours(1);
        while (!hours.contains(candidate.getHour())) {
            candidate = candidate.plusHours(1);
        }
        return candidate.toInstant();
    }
}
