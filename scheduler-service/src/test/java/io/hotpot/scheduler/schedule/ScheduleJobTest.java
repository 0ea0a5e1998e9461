package io.hotpot.scheduler.schedule;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import io.hotpot.common.Amqp;
import io.hotpot.common.Json;
import io.hotpot.common.MissedPolicy;
import io.hotpot.common.RedisKeys;
import io.hotpot.common.ScheduleDefinition;
import io.hotpot.common.ScheduleFields;
import io.hotpot.common.TaskFields;
import io.hotpot.common.TaskMessage;
import io.hotpot.scheduler.leader.LeaderLock;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Schedules firing against the real RabbitMQ and Redis, on a queue and leader group of this run's own. */
@QuarkusTest
@TestProfile(ScheduleJobTest.WithASchedule.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScheduleJobTest {
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String GROUP = "test-sched-" + RUN;
    static final String QUEUE = "test-sched-" + RUN;
    static final String CONFIGURED = "cfg-" + RUN;

    /** A leader group of its own and one schedule from configuration: every second, onto this run's queue. */
    public static class WithASchedule implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String p = "hotpot.schedules.\"" + CONFIGURED + "\".";
            return Map.of("hotpot.leader.name", GROUP, "hotpot.leader.ttl", "2s", "hotpot.leader.renew-every", "0.3s",
                    p + "every", "PT1S", p + "task.type", "add", p + "task.args", "{\"x\":1,\"y\":2}",
                    p + "task.queue", QUEUE);
        }
    }

    @Inject
    LeaderLock leader;
    @Inject
    ScheduleStore store;
    @Inject
    RedisDataSource redis;

    private final ObjectMapper mapper = Json.newMapper();
    private final List<TaskMessage> received = new CopyOnWriteArrayList<>();
    private final List<String> names = new ArrayList<>(List.of(CONFIGURED));
    private Connection connection;
    private Channel channel;

    @BeforeAll
    void consume() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        connection = factory.newConnection();
        channel = connection.createChannel();
        channel.exchangeDeclare(Amqp.TASKS_EXCHANGE, "direct", true, false, Amqp.exchangeArguments());
        channel.queueDeclare(Amqp.queueName(QUEUE), true, false, false, Amqp.queueArguments());
        channel.queueBind(Amqp.queueName(QUEUE), Amqp.TASKS_EXCHANGE, QUEUE);
        channel.basicConsume(Amqp.queueName(QUEUE), true, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                    throws java.io.IOException {
                received.add(mapper.readValue(body, TaskMessage.class));
            }
        });
        await().atMost(Duration.ofSeconds(15)).until(leader::isLeader);
    }

    @AfterAll
    void cleanUp() throws Exception {
        // Stop this group's firing (another "replica" holds the lock), then remove what the run left.
        redis.value(String.class).set(leader.lockKey(), "test-over#0", new SetArgs().px(Duration.ofSeconds(30)));
        await().atMost(Duration.ofSeconds(3)).until(() -> !leader.isLeader());
        Thread.sleep(500);
        for (String name : names) {
            redis.hash(String.class).hdel(RedisKeys.SCHEDULES, name);
            redis.key().del(RedisKeys.scheduleState(name));
            for (String fired : redis.key().keys(RedisKeys.fired(name, 0).replaceAll("0$", "*"))) {
                redis.key().del(fired);
            }
        }
        for (Map.Entry<String, String> due : redis.hash(String.class).hgetall(RedisKeys.DUE_MESSAGES).entrySet()) {
            if (due.getValue().contains("\"" + QUEUE + "\"")) {
                redis.hash(String.class).hdel(RedisKeys.DUE_MESSAGES, due.getKey());
                redis.sortedSet(String.class).zrem(RedisKeys.DUE, due.getKey());
            }
        }
        for (TaskMessage task : received) {
            redis.sortedSet(String.class).zrem(RedisKeys.RECENT_TASKS, task.id());
        }
        // The lock stays taken until it expires, so this group's leader cannot come back before shutdown.
        redis.key().del(RedisKeys.leaderEpoch(GROUP), RedisKeys.configSchedules(GROUP));
        channel.queueDelete(Amqp.queueName(QUEUE));
        connection.close();
    }

    private List<TaskMessage> tasksOf(String schedule) {
        return received.stream().filter(t -> t.correlationId().startsWith("schedule:" + schedule + "@")).toList();
    }

    private void putDynamic(ScheduleDefinition definition) throws Exception {
        names.add(definition.name());
        redis.hash(String.class).hset(RedisKeys.SCHEDULES, definition.name(), mapper.writeValueAsString(definition));
    }

    private ScheduleDefinition everyOnto(String name, String every, boolean enabled, MissedPolicy missed) throws Exception {
        return new ScheduleDefinition(name, null, null, every, null, enabled, missed,
                new ScheduleDefinition.Task("add", mapper.readTree("{\"x\":2,\"y\":2}"), QUEUE, 0),
                ScheduleDefinition.SOURCE_API, Instant.now());
    }

    @Test
    void firesAndLeadershipShowInTheMetrics() {
        await().atMost(Duration.ofSeconds(10)).until(() -> tasksOf(CONFIGURED).size() >= 2);
        String metrics = io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
        java.util.regex.Matcher fires = java.util.regex.Pattern
                .compile("(?m)^hotpot_scheduler_fires_total\\{schedule=\"" + CONFIGURED + "\"\\} ([0-9.]+)$").matcher(metrics);
        assertTrue(fires.find(), metrics);
        assertTrue(Double.parseDouble(fires.group(1)) >= 2, "one count per tick that created its task");
        assertTrue(metrics.contains("hotpot_scheduler_leader 1.0"), "this replica leads its group");
        assertTrue(metrics.matches("(?s).*hotpot_scheduler_leadership_changes_total\\{event=\"acquired\"\\} [1-9].*"), metrics);
    }

    @Test
    void aConfiguredScheduleCreatesOneTaskPerTick() {
        await().atMost(Duration.ofSeconds(10)).until(() -> tasksOf(CONFIGURED).size() >= 4);
        Map<Instant, Integer> perTick = new HashMap<>();
        tasksOf(CONFIGURED).forEach(t -> perTick.merge(t.createdAt(), 1, Integer::sum));
        perTick.forEach((tick, count) -> assertEquals(1, count, "tasks for tick " + tick));
        List<Instant> ticks = perTick.keySet().stream().sorted().toList();
        for (int i = 1; i < ticks.size(); i++) {
            assertEquals(Duration.ofSeconds(1), Duration.between(ticks.get(i - 1), ticks.get(i)), "ticks " + ticks);
        }
        TaskMessage last = tasksOf(CONFIGURED).get(tasksOf(CONFIGURED).size() - 1);
        assertEquals("add", last.type());
        assertEquals(1, last.args().get("x").asInt());
        Map<String, String> record = redis.hash(String.class).hgetall(RedisKeys.task(last.id()));
        assertEquals("PENDING", record.get(TaskFields.STATUS), "nothing consumes this queue, so it stays PENDING");
        assertEquals(CONFIGURED, record.get(ScheduleFields.TASK_SCHEDULE));
        assertEquals(last.createdAt().toString(), record.get(TaskFields.CREATED_AT));
        assertEquals((double) last.createdAt().toEpochMilli(),
                redis.sortedSet(String.class).zscore(RedisKeys.RECENT_TASKS, last.id()).orElseThrow(),
                "indexed among the recent tasks at its tick, so GET /api/tasks lists it");

        Map<String, String> state = store.state(CONFIGURED);
        assertNotNull(state.get(ScheduleFields.LAST_TASK_ID));
        assertTrue(Long.parseLong(state.get(ScheduleFields.NEXT_FIRE_TIME))
                > Long.parseLong(state.get(ScheduleFields.LAST_FIRE_TIME)));
        assertTrue(redis.hash(String.class).hget(RedisKeys.configSchedules(GROUP), CONFIGURED).contains("PT1S"),
                "the leader publishes its configured schedules for the API");
        redis.hash(String.class).hdel(RedisKeys.SCHEDULES, CONFIGURED);
    }

    @Test
    void aScheduleWrittenToRedisFiresFromItsNextTickAndStopsWhenPaused() throws Exception {
        String name = "dyn-" + RUN;
        putDynamic(everyOnto(name, "PT1S", true, MissedPolicy.SKIP));
        // Taken up by the leader's next round: it has planned the schedule's next tick.
        await().atMost(Duration.ofSeconds(10)).until(() -> store.state(name).get(ScheduleFields.NEXT_FIRE_TIME) != null);
        long seen = System.currentTimeMillis();
        long firstPlanned = Long.parseLong(store.state(name).get(ScheduleFields.NEXT_FIRE_TIME));
        assertTrue(firstPlanned <= seen + 1000, "the first tick is at most one period after it was planned: " + firstPlanned);
        await().atMost(Duration.ofSeconds(10)).until(() -> !tasksOf(name).isEmpty());
        assertEquals(Instant.ofEpochMilli(firstPlanned), tasksOf(name).get(0).createdAt());

        putDynamic(everyOnto(name, "PT1S", false, MissedPolicy.SKIP));
        // A schedule written after the pause: once the leader has planned it, a round that read
        // the pause has run, and the paused schedule's next tick is where it stays.
        String marker = "dyn-marker-" + RUN;
        putDynamic(everyOnto(marker, "PT1H", true, MissedPolicy.SKIP));
        await().atMost(Duration.ofSeconds(10)).until(() -> store.state(marker).get(ScheduleFields.NEXT_FIRE_TIME) != null);
        String pausedAt = store.state(name).get(ScheduleFields.NEXT_FIRE_TIME);
        Thread.sleep(2500); // two ticks and more of a schedule that would still fire
        assertEquals(pausedAt, store.state(name).get(ScheduleFields.NEXT_FIRE_TIME), "a paused schedule plans nothing");
        assertEquals(List.of(), tasksOf(name).stream().filter(t -> t.createdAt().toEpochMilli() >= Long.parseLong(pausedAt))
                .toList(), "a paused schedule fires nothing");
    }

    @Test
    void aTickCreatesOneTaskEvenWhenFiredTwiceAndAnOldLeaderCannotFire() throws Exception {
        String name = "fence-" + RUN; // not in any hash: only this test fires it
        names.add(name);
        ScheduleDefinition schedule = everyOnto(name, "PT1H", true, MissedPolicy.SKIP);
        long tick = System.currentTimeMillis() / 1000 * 1000;
        String fence = leader.fence();
        assertEquals(1, store.init(leader.lockKey(), fence, name, "every:3600000", Long.toString(tick)));

        TaskMessage first = new TaskMessage(UUID.randomUUID().toString(), "add", mapper.readTree("{}"), QUEUE, 0,
                Instant.ofEpochMilli(tick), "schedule:" + name + "@" + Instant.ofEpochMilli(tick));
        assertEquals(ScheduleStore.FIRED, store.fire(leader.lockKey(), fence, schedule, Long.toString(tick),
                Long.toString(tick + 3_600_000), tick, first));
        // A second leader that read the state before the first fired: same tick, another task id.
        redis.hash(String.class).hset(RedisKeys.scheduleState(name), ScheduleFields.NEXT_FIRE_TIME, Long.toString(tick));
        TaskMessage second = new TaskMessage(UUID.randomUUID().toString(), "add", mapper.readTree("{}"), QUEUE, 0,
                Instant.ofEpochMilli(tick), first.correlationId());
        assertEquals(ScheduleStore.ALREADY_FIRED, store.fire(leader.lockKey(), fence, schedule, Long.toString(tick),
                Long.toString(tick + 3_600_000), tick, second));
        assertEquals(first.id(), redis.value(String.class).get(RedisKeys.fired(name, tick)));
        assertTrue(redis.key().exists(RedisKeys.task(first.id())));
        assertFalse(redis.key().exists(RedisKeys.task(second.id())), "the second fire created no task");
        // An old leader's lock value is refused.
        assertEquals(ScheduleStore.NOT_LEADER, store.fire(leader.lockKey(), "someone#1", schedule,
                Long.toString(tick + 3_600_000), Long.toString(tick + 7_200_000), tick + 3_600_000, second));

        await().atMost(Duration.ofSeconds(3)).until(() -> tasksOf(name).size() == 1);
        Thread.sleep(500);
        assertEquals(List.of(first.id()), tasksOf(name).stream().map(TaskMessage::id).toList());
        redis.key().del(RedisKeys.fired(name, tick), RedisKeys.task(first.id()));
    }

    @Test
    void missedTicksAreSkippedOrRunOnceByPolicy() throws Exception {
        long hour = 3_600_000;
        long now = System.currentTimeMillis();
        long missedTick = (now / hour - 1) * hour;
        long nextTick = (now / hour + 1) * hour;
        String skip = "skip-" + RUN;
        String once = "once-" + RUN;
        for (String name : List.of(skip, once)) {
            redis.hash(String.class).hset(RedisKeys.scheduleState(name), Map.of(
                    ScheduleFields.NEXT_FIRE_TIME, Long.toString(missedTick), ScheduleFields.SPEC, "every:" + hour));
        }
        putDynamic(everyOnto(skip, "PT1H", true, MissedPolicy.SKIP));
        putDynamic(everyOnto(once, "PT1H", true, MissedPolicy.RUN_ONCE));

        for (String name : List.of(skip, once)) {
            await().atMost(Duration.ofSeconds(3)).until(() -> Long.toString(nextTick)
                    .equals(store.state(name).get(ScheduleFields.NEXT_FIRE_TIME)));
        }
        await().atMost(Duration.ofSeconds(3)).until(() -> tasksOf(once).size() == 1);
        Thread.sleep(500);
        assertEquals(Instant.ofEpochMilli(missedTick), tasksOf(once).get(0).createdAt());
        assertEquals(1, tasksOf(once).size());
        assertTrue(tasksOf(skip).isEmpty(), "skip creates no task for missed ticks");
        assertEquals(Long.toString(missedTick), store.state(skip).get(ScheduleFields.LAST_MISSED_TIME));
        assertNull(redis.value(String.class).get(RedisKeys.fired(skip, missedTick)));
        redis.key().del(RedisKeys.fired(once, missedTick), RedisKeys.task(tasksOf(once).get(0).id()));
    }
}
