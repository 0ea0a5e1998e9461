package io.hotpot.worker.task;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.hotpot.common.Amqp;
import io.hotpot.common.ChatMessage;
import io.hotpot.common.RedisKeys;
import io.hotpot.common.TaskMessage;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The {@code email} and {@code report} tasks through the real RabbitMQ and Redis, sending to a
 * real SMTP server on localhost ({@link SmtpServer}) whose received messages the test reads.
 */
@QuarkusTest
@WithTestResource(value = SmtpServer.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class MailTasksTest {
    private static final String QUEUE = System.getProperty("hotpot-test-queue", "worker-test");

    @Inject
    RedisDataSource redis;
    @Inject
    ObjectMapper mapper;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private Connection amqp;
    private Channel channel;

    @BeforeEach
    void connect() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        amqp = factory.newConnection("worker-service mail test");
        channel = amqp.createChannel();
        channel.confirmSelect();
        await().atMost(Duration.ofSeconds(20)).until(() -> channel.consumerCount(Amqp.queueName(QUEUE)) > 0);
    }

    @AfterEach
    void close() throws Exception {
        amqp.close();
    }

    @AfterAll
    static void deleteTheRunsQueue() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (Connection connection = factory.newConnection(); Channel ch = connection.createChannel()) {
            ch.queueDelete(Amqp.queueName(QUEUE));
            // Declared again when another test profile (LeaseTest) restarted the worker in between.
            ch.queueDelete(Amqp.deadQueueName(QUEUE));
        }
    }

    private String publish(String type, String argsJson) throws Exception {
        String id = UUID.randomUUID().toString();
        byte[] body = mapper.writeValueAsBytes(new TaskMessage(id, type, mapper.readTree(argsJson), QUEUE, 0, Instant.now(),
                "corr-" + id));
        channel.basicPublish(Amqp.TASKS_EXCHANGE, QUEUE, true,
                new AMQP.BasicProperties.Builder().deliveryMode(2).messageId(id).build(), body);
        channel.waitForConfirmsOrDie(5000);
        return id;
    }

    private Map<String, String> awaitFinal(String id) {
        // Bounded, not a speed goal: the report reads every task record of the shared Redis.
        // (No List.contains: the status is null until the worker has written the record.)
        await().atMost(Duration.ofSeconds(120)).until(() -> {
            String status = redis.hash(String.class).hget(RedisKeys.task(id), "status");
            return "SUCCESS".equals(status) || "FAILURE".equals(status);
        });
        return redis.hash(String.class).hgetall(RedisKeys.task(id));
    }

    private Optional<String> mailContaining(String text) throws Exception {
        return SmtpServer.received().stream().filter(m -> m.contains(text)).findFirst();
    }

    @Test
    void anEmailTaskSendsThroughTheSmtpServer() throws Exception {
        String to = "someone-" + run + "@example.com";
        String id = publish("email", "{\"to\":\"" + to + "\",\"subject\":\"Hello " + run + "\",\"body\":\"Dinner at 7? " + run + "\"}");
        Map<String, String> record = awaitFinal(id);
        assertEquals("SUCCESS", record.get("status"), record.toString());
        await().atMost(Duration.ofSeconds(5)).until(() -> mailContaining("Subject: Hello " + run).isPresent());
        String mail = mailContaining("Subject: Hello " + run).orElseThrow();
        assertTrue(mail.contains("To: " + to), mail);
        assertTrue(mail.contains("From: hotpot-test@localhost"), mail);
        assertTrue(mail.contains("Dinner at 7? " + run), mail);
        // The body is the sender's business: the record shows it masked, the mail has it whole.
        assertEquals("***", mapper.readTree(record.get("args")).get("body").asText());
        redis.key().del(RedisKeys.task(id));
    }

    @Test
    void anEmailToNoAddressFailsAndSendsNothing() throws Exception {
        String id = publish("email", "{\"to\":\"nobody " + run + "\",\"subject\":\"x\",\"body\":\"y\"}");
        Map<String, String> record = awaitFinal(id);
        assertEquals("FAILURE", record.get("status"));
        assertTrue(record.get("error").contains("one e-mail address"), record.get("error"));
        assertTrue(mailContaining("nobody " + run).isEmpty());
        redis.key().del(RedisKeys.task(id));
    }

    @Test
    void theReportSummarisesTheLastDayAndIsMailed() throws Exception {
        String type = "rtype-" + run;
        Instant now = Instant.now();
        Map<String, Map<String, String>> seeded = Map.of(
                UUID.randomUUID().toString(), Map.of("status", "SUCCESS", "startedAt", now.minusMillis(400).toString(),
                        "finishedAt", now.minusMillis(100).toString()),
                UUID.randomUUID().toString(), Map.of("status", "FAILURE", "startedAt", now.minusMillis(50).toString(),
                        "finishedAt", now.toString(), "error", "{\"type\":\"java.lang.IllegalStateException\",\"message\":\"boom " + run + "\"}"),
                UUID.randomUUID().toString(), Map.of("status", "PENDING"),
                // Older than the window: left out.
                UUID.randomUUID().toString(), Map.of("status", "SUCCESS", "createdAt", now.minus(Duration.ofHours(30)).toString()));
        seeded.forEach((id, fields) -> {
            Map<String, String> record = new java.util.HashMap<>(Map.of("id", id, "type", type, "queue", QUEUE,
                    "createdAt", now.minusSeconds(1).toString()));
            record.putAll(fields);
            redis.hash(String.class).hset(RedisKeys.task(id), record);
            redis.key().expire(RedisKeys.task(id), 600);
        });

        String id = publish("report", "{}");
        Map<String, String> record = awaitFinal(id);
        assertEquals("SUCCESS", record.get("status"), record.toString());
        JsonNode result = mapper.readTree(record.get("result"));
        System.out.printf("TEST-FIGURE report over %d task records of the last 24 h ran in %d ms%n",
                result.path("summary").path("tasks").asInt(),
                Duration.between(Instant.parse(record.get("startedAt")), Instant.parse(record.get("finishedAt"))).toMillis());
        JsonNode mine = result.path("summary").path("byType").path(type);
        assertEquals(1, mine.path("SUCCESS").asInt(), result.toString());
        assertEquals(1, mine.path("FAILURE").asInt());
        assertEquals(1, mine.path("PENDING").asInt());
        assertTrue(result.path("summary").path("queueDepths").path(QUEUE).asInt(-2) >= 0, "the queue's depth is known");
        assertEquals(List.of("boss@example.com", "ops@example.com"),
                mapper.convertValue(result.get("mailedTo"), List.class));

        String line = "  " + type + ": PENDING=1 SUCCESS=1 FAILURE=1";
        await().atMost(Duration.ofSeconds(5)).until(() -> mailContaining(line).isPresent());
        String mail = mailContaining(line).orElseThrow();
        assertTrue(mail.contains("Subject: Hotpot report:"), mail);
        assertTrue(mail.contains("boss@example.com") && mail.contains("ops@example.com"), mail);
        assertTrue(mail.contains("boom " + run), "failures are listed: " + mail);
        // ...and posted to the chat room, as a message its members get live and joiners in the history.
        assertEquals(QUEUE, result.path("postedTo").asText(), "the test profile posts to a room of the run's own");
        String messageId = result.path("messageId").asText();
        var entries = redis.stream(String.class).xrange(RedisKeys.chatRoom(QUEUE), StreamRange.of(messageId, messageId));
        assertEquals(1, entries.size());
        assertEquals(ReportHandler.CHAT_USER, entries.get(0).payload().get(ChatMessage.FIELD_USER));
        assertTrue(entries.get(0).payload().get(ChatMessage.FIELD_MESSAGE).contains(line.trim()));
        redis.key().del(RedisKeys.chatRoom(QUEUE));
        seeded.keySet().forEach(seed -> redis.key().del(RedisKeys.task(seed)));
        redis.key().del(RedisKeys.task(id));
    }
}
