package io.hotpot.common;

import java.util.Map;

/**
 * RabbitMQ names shared by the publishers (api-service, scheduler-service) and the consumers
 * (worker-service). See docs/decisions/0030-dead-letters.md for the queue names.
 */
public final class Amqp {
    /**
     * Durable direct exchange every task is published to; the routing key is the logical queue name.
     * Declared with {@link #exchangeArguments()}: what no queue takes goes to {@link #UNROUTABLE_EXCHANGE}.
     * ({@code hotpot.work}, not the first version's {@code hotpot.tasks}: the arguments changed.)
     */
    public static final String TASKS_EXCHANGE = "hotpot.work";
    /**
     * Durable fanout exchange, the alternate exchange of {@link #TASKS_EXCHANGE}: a task published
     * for a queue that does not exist is kept in {@link #UNROUTABLE_QUEUE} instead of vanishing.
     */
    public static final String UNROUTABLE_EXCHANGE = "hotpot.unroutable";
    /** Durable queue holding the tasks no task queue took (see docs/decisions/0002-rabbitmq-messaging.md). */
    public static final String UNROUTABLE_QUEUE = "hotpot.unroutable";
    /**
     * Durable direct exchange the task queues dead-letter to (their {@code x-dead-letter-exchange});
     * RabbitMQ keeps the routing key, the logical queue name, so each queue's dead letters land in
     * {@link #deadQueueName(String)}.
     */
    public static final String DEAD_EXCHANGE = "hotpot.dead";
    /**
     * Durable queue that keeps nothing ({@code x-max-length} 0), bound to {@link #TASKS_EXCHANGE}
     * with its own name as routing key: a publisher's first, confirmed message goes there, so its
     * connection is open before the first task needs it.
     */
    public static final String PING_QUEUE = "hotpot.ping";
    /** Logical queue used when a submission names none. */
    public static final String DEFAULT_QUEUE = "default";
    /** Highest task priority; queues are declared with {@code x-max-priority} of this value. */
    public static final int MAX_PRIORITY = 9;

    private Amqp() {
    }

    /**
     * Arguments every task queue is declared with. Publishers and consumers both declare the
     * queues, and RabbitMQ refuses a declaration whose arguments differ, so they live here.
     * Changing them means new queue names ({@link #queueName(String)}), or brokers holding the
     * old queues refuse every declaration with {@code PRECONDITION_FAILED}.
     */
    public static Map<String, Object> queueArguments() {
        return Map.of("x-max-priority", MAX_PRIORITY, "x-dead-letter-exchange", DEAD_EXCHANGE);
    }

    /** Arguments of {@link #TASKS_EXCHANGE}: its alternate exchange. */
    public static Map<String, Object> exchangeArguments() {
        return Map.of("alternate-exchange", UNROUTABLE_EXCHANGE);
    }

    /**
     * The durable RabbitMQ queue that holds the tasks of a logical queue. ({@code hotpot.queue.},
     * not the first version's {@code hotpot.tasks.}: the arguments changed.)
     */
    public static String queueName(String logicalQueue) {
        return "hotpot.queue." + logicalQueue;
    }

    /**
     * The durable queue keeping a logical queue's dead letters: tasks that failed for good after
     * their retries, and messages a worker rejected (unknown type, undecodable). Bound to
     * {@link #DEAD_EXCHANGE} with the logical queue name; no arguments.
     */
    public static String deadQueueName(String logicalQueue) {
        return "hotpot.dead." + logicalQueue;
    }
}
