package io.hotpot.scheduler.schedule;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import io.hotpot.common.Amqp;
import io.hotpot.common.RedisKeys;
import io.hotpot.scheduler.OwnLeaderGroup;
import io.hotpot.scheduler.leader.LeaderLock;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The due-task mover against the real RabbitMQ and Redis, on a queue of this run's own. */
@QuarkusTest
@TestProfile(OwnLeaderGroup.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DueTaskJobTest {
    /** As a writer puts an entry due: both keys in one script. */
    private static final String ADD = """
            redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
            """;

    @Inject
    LeaderLock leader;
    @Inject
    DueTasks due;
    @Inject
    RedisDataSource redis;

    private final String queue = "test-due-" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, Arrival> arrivals = new ConcurrentHashMap<>();
    private Connection connection;
    private Channel channel;

    record Arrival(long at, byte[] body, AMQP.BasicProperties props) {
    }

    @BeforeAll
    void consume() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        connection = factory.newConnection();
        channel = connection.createChannel();
        channel.exchangeDeclare(Amqp.TASKS_EXCHANGE, "direct", true, false, Amqp.exchangeArguments());
        channel.queueDeclare(Amqp.queueName(queue), true, false, false, Amqp.queueArguments());
        channel.queueBind(Amqp.queueName(queue), Amqp.TASKS_EXCHANGE, queue);
        channel.basicConsume(Amqp.queueName(queue), true, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
                arrivals.put(props.getMessageId(), new Arrival(System.currentTimeMillis(), body, props));
            }
        });
        await().atMost(Duration.ofSeconds(15)).until(leader::isLeader);
    }

    @AfterAll
    void cleanUp() throws Exception {
        channel.queueDelete(Amqp.queueName(queue));
        connection.close();
        OwnLeaderGroup.endLeadership(redis);
    }

    private String message(String id, int priority) {
        // Odd spacing, a field no contract knows and a non-ASCII character: the bytes must arrive unchanged.
        return "{\"id\":\"" + id + "\", \"type\":\"add\",\"args\":{\"x\":1,\"y\":2},\"queue\":\"" + queue
                + "\",\"priority\":" + priority + ",\"createdAt\":\"2026-01-01T00:00:00Z\",\"note\":\"grüß\"}";
    }

    private void addDue(String id, long dueAt, String message) {
        redis.execute("EVAL", ADD, "2", RedisKeys.DUE, RedisKeys.DUE_MESSAGES, id, Long.toString(dueAt), message);
    }

    private boolean stillDue(String id) {
        return redis.sortedSet(String.class).zscore(RedisKeys.DUE, id).isPresent();
    }

    @Test
    void aDueTaskIsPublishedOnceDueAndNeverBefore() {
        String id = UUID.randomUUID().toString();
        String message = message(id, 3);
        long dueAt = System.currentTimeMillis() + 1500;
        addDue(id, dueAt, message);

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).until(() -> arrivals.containsKey(id));
        Arrival arrival = arrivals.get(id);
        long late = arrival.at() - dueAt;
        System.out.printf("TEST-FIGURE due task published %d ms after its due time%n", late);
        assertTrue(late >= 0, "published " + (-late) + " ms before its due time");
        // How late is a figure (the job polls every hotpot.due.poll-every, 0.2 s), not a bound: a loaded host adds to it.
        assertArrayEquals(message.getBytes(StandardCharsets.UTF_8), arrival.body());
        assertEquals(3, arrival.props().getPriority());
        assertEquals(2, arrival.props().getDeliveryMode());
        assertEquals("add", arrival.props().getType());
        await().atMost(Duration.ofSeconds(2)).until(() -> !stillDue(id));
        assertNull(redis.hash(String.class).hget(RedisKeys.DUE_MESSAGES, id));
    }

    @Test
    void anEntryRescheduledMeanwhileIsNotRemoved() {
        String id = UUID.randomUUID().toString();
        long first = System.currentTimeMillis() + 3_600_000;
        addDue(id, first, message(id, 0));
        DueTasks.Entry read = due.take(leader.lockKey(), leader.fence(), first, 100_000).stream()
                .filter(e -> e.id().equals(id)).findFirst().orElseThrow();
        assertEquals(first, read.dueAt());

        String later = message(id, 0).replace("grüß", "retry");
        addDue(id, first + 1000, later);
        assertFalse(due.remove(read), "a rescheduled entry must stay");
        assertEquals((double) (first + 1000), redis.sortedSet(String.class).zscore(RedisKeys.DUE, id).orElseThrow());
        assertEquals(later, redis.hash(String.class).hget(RedisKeys.DUE_MESSAGES, id));

        redis.sortedSet(String.class).zrem(RedisKeys.DUE, id);
        redis.hash(String.class).hdel(RedisKeys.DUE_MESSAGES, id);
    }

    @Test
    void aTaskForAQueueThatDoesNotExistIsParkedAndDoesNotHoldUpTheOthers() throws Exception {
        // The connector publishes without `mandatory`: RabbitMQ confirms a task no queue takes, and
        // the exchange's alternate exchange keeps it in hotpot.unroutable (docs/decisions/0002).
        String stuck = UUID.randomUUID().toString();
        String behind = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        addDue(stuck, now - 1000, message(stuck, 0).replace("\"queue\":\"" + queue + "\"", "\"queue\":\"unbound-" + queue + "\""));
        addDue(behind, now, message(behind, 0));

        await().atMost(Duration.ofSeconds(5)).until(() -> arrivals.containsKey(behind));
        assertFalse(arrivals.containsKey(stuck));
        await().atMost(Duration.ofSeconds(5)).until(() -> !stillDue(stuck));
        com.rabbitmq.client.GetResponse parked = null;
        com.rabbitmq.client.GetResponse got;
        try (Channel peek = connection.createChannel()) {
            while (parked == null && (got = peek.basicGet(Amqp.UNROUTABLE_QUEUE, false)) != null) {
                if (stuck.equals(got.getProps().getMessageId())) {
                    parked = got;
                    peek.basicAck(got.getEnvelope().getDeliveryTag(), false); // the others go back on close
                }
            }
        }
        assertNotNull(parked, "the task no queue took is kept in " + Amqp.UNROUTABLE_QUEUE);
        assertEquals("unbound-" + queue, parked.getEnvelope().getRoutingKey());
    }

    @Test
    void aReplicaThatLostTheLockStopsMovingAndTheNextEpochResumes() throws Exception {
        String fence = leader.fence();
        assertNotNull(fence);
        long epoch = leader.epoch();
        // Another replica takes the lock (as after a pause longer than the ttl). It holds it until
        // the test deletes it below, so this replica cannot win it back while the test looks.
        redis.value(String.class).set(leader.lockKey(), "intruder#" + (epoch + 1000),
                new io.quarkus.redis.datasource.value.SetArgs().px(Duration.ofSeconds(60)));
        await().atMost(Duration.ofSeconds(10)).until(() -> !leader.isLeader());
        assertNull(due.take(leader.lockKey(), fence, System.currentTimeMillis(), 10),
                "the fenced read refuses the old lock value");

        String id = UUID.randomUUID().toString();
        addDue(id, System.currentTimeMillis(), message(id, 0));
        Thread.sleep(1000);
        assertFalse(arrivals.containsKey(id), "no replica without the lock publishes");
        assertTrue(stillDue(id));

        redis.key().del(leader.lockKey());
        await().atMost(Duration.ofSeconds(5)).until(leader::isLeader);
        assertTrue(leader.epoch() > epoch, "a new acquisition has a new epoch");
        await().atMost(Duration.ofSeconds(3)).until(() -> arrivals.containsKey(id));
        await().atMost(Duration.ofSeconds(2)).until(() -> !stillDue(id));
    }
}
