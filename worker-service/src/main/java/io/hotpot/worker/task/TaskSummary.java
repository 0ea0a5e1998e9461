package io.hotpot.worker.task;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.hotpot.common.Amqp;
import io.hotpot.common.RedisKeys;
import io.hotpot.common.TaskFields;
import io.hotpot.common.TaskStatus;
import io.hotpot.worker.config.RabbitConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyScanArgs;

/**
 * What happened to tasks over a span up to now, for the {@code report} task: tasks by type and
 * status, failures, the slowest types, and the depth of every queue in use. It reads the task
 * records themselves (they live 24 h after their last write, so they are the last day's tasks)
 * with {@code SCAN}, which costs one pass over the records once a day and needs no index kept
 * by the record writers.
 */
@ApplicationScoped
public class TaskSummary {
    private static final String[] FIELDS = { TaskFields.ID, TaskFields.TYPE, TaskFields.STATUS, TaskFields.QUEUE,
            TaskFields.CREATED_AT, TaskFields.STARTED_AT, TaskFields.FINISHED_AT, TaskFields.ERROR };

    private final RedisDataSource redis;
    private final RabbitConfig rabbit;
    private final ObjectMapper mapper;

    public TaskSummary(RedisDataSource redis, RabbitConfig rabbit, ObjectMapper mapper) {
        this.redis = redis;
        this.rabbit = rabbit;
        this.mapper = mapper;
    }

    /** A failed task as listed in the report. */
    public record Failure(String id, String type, Instant at, String error) {
    }

    /** Run time of one task type over the span, from the records with a start and a finish. */
    public record Slowness(String type, int runs, long averageMillis, long maxMillis) {
    }

    /** The summary; {@code queueDepths} holds -1 for a queue RabbitMQ does not know. */
    public record Summary(Instant from, Instant to, int tasks, Map<String, Map<TaskStatus, Integer>> byType,
            int failures, List<Failure> recentFailures, List<Slowness> slowest, Map<String, Integer> queueDepths) {
    }

    /** Summarises the tasks created in the {@code window} up to now. */
    public Summary summarise(Duration window, int failuresListed) {
        Instant to = Instant.now();
        Instant from = to.minus(window);
        Map<String, Map<TaskStatus, Integer>> byType = new TreeMap<>();
        Map<String, long[]> runTimes = new TreeMap<>(); // type -> {runs, total ms, max ms}
        List<Failure> failures = new ArrayList<>();
        TreeSet<String> queues = new TreeSet<>(List.of(Amqp.DEFAULT_QUEUE));
        int tasks = 0;
        var hashes = redis.hash(String.class);
        for (String key : redis.key().scan(new KeyScanArgs().match(RedisKeys.task("*")).count(1000)).toIterable()) {
            Map<String, String> r = hashes.hmget(key, FIELDS);
            if (r.get(TaskFields.TYPE) == null || r.get(TaskFields.STATUS) == null || r.get(TaskFields.CREATED_AT) == null) {
                continue; // a key of another shape, or expired between SCAN and HMGET
            }
            Instant created = Instant.parse(r.get(TaskFields.CREATED_AT));
            if (created.isBefore(from) || created.isAfter(to)) {
                continue;
            }
            tasks++;
            String type = r.get(TaskFields.TYPE);
            TaskStatus status = TaskStatus.valueOf(r.get(TaskFields.STATUS));
            byType.computeIfAbsent(type, t -> new TreeMap<>()).merge(status, 1, Integer::sum);
            if (r.get(TaskFields.QUEUE) != null) {
                queues.add(r.get(TaskFields.QUEUE));
            }
            if (r.get(TaskFields.STARTED_AT) != null && r.get(TaskFields.FINISHED_AT) != null) {
                long ms = Duration.between(Instant.parse(r.get(TaskFields.STARTED_AT)),
                        Instant.parse(r.get(TaskFields.FINISHED_AT))).toMillis();
                long[] acc = runTimes.computeIfAbsent(type, t -> new long[3]);
                acc[0]++;
                acc[1] += ms;
                acc[2] = Math.max(acc[2], ms);
            }
            if (status == TaskStatus.FAILURE) {
                Instant at = r.get(TaskFields.FINISHED_AT) == null ? created : Instant.parse(r.get(TaskFields.FINISHED_AT));
                failures.add(new Failure(r.get(TaskFields.ID), type, at, errorText(r.get(TaskFields.ERROR))));
            }
        }
        failures.sort(Comparator.comparing(Failure::at).reversed());
        List<Slowness> slowest = runTimes.entrySet().stream()
                .map(e -> new Slowness(e.getKey(), (int) e.getValue()[0], e.getValue()[1] / e.getValue()[0], e.getValue()[2]))
                .sorted(Comparator.comparingLong(Slowness::averageMillis).reversed()).limit(5).toList();
        return new Summary(from, to, tasks, byType, failures.size(),
                List.copyOf(failures.subList(0, Math.min(failuresListed, failures.size()))), slowest, depths(queues));
    }

    private String errorText(String json) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode error = mapper.readTree(json);
            return error.path("type").asText("") + ": " + error.path("message").asText("");
        } catch (IOException e) {
            return json;
        }
    }

    /** Messages waiting in each queue; a passive declare of a queue that does not exist closes only its own channel. */
    private Map<String, Integer> depths(TreeSet<String> queues) {
        Map<String, Integer> depths = new TreeMap<>();
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(rabbit.host());
        factory.setPort(rabbit.port());
        factory.setUsername(rabbit.username());
        factory.setPassword(rabbit.password());
        factory.setVirtualHost(rabbit.virtualHost());
        try (Connection connection = factory.newConnection("hotpot-worker-service report")) {
            for (String queue : queues) {
                try (Channel channel = connection.createChannel()) {
                    depths.put(queue, channel.queueDeclarePassive(Amqp.queueName(queue)).getMessageCount());
                } catch (IOException | TimeoutException | RuntimeException e) {
                    depths.put(queue, -1);
                }
            }
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("RabbitMQ is unreachable for the queue depths: " + e.getMessage(), e);
        }
        return depths;
    }
}
