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
    /** Highest task priority; classic queues are declared with {@code x-max-priority} of this value. */
    public static final int MAX_PRIORITY = 9;
    /**
     * Lowest priority of an urgent task: where task queues are quorum queues, which have no
     * priorities, a task of this priority or higher goes to {@link #urgentQueueName(String)}, which
     * workers consume beside the queue (docs/decisions/0032-rabbitmq-cluster.md).
     */
    public static final int URGENT_PRIORITY = 5;
    /** Header a quorum queue sets on each delivery: how many times the message was returned to it before. */
    public static final String DELIVERY_COUNT_HEADER = "x-delivery-count";

    /** How the task and dead-letter queues are declared: {@code rabbitmq.queue-type}. */
    public enum QueueType {
        /** Classic queues on one node, with message priorities ({@code x-max-priority}); for a single node. */
        CLASSIC,
        /** Quorum queues, replicated over a cluster's nodes, with a delivery limit; no priorities. */
        QUORUM
    }

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

    /**
     * Arguments of a task queue (and of an urgent queue) of the given type. A quorum queue takes no
     * priority; it dead-letters a message returned to it more than {@code deliveryLimit} times
     * (x-death reason {@code delivery_limit}), and tells each delivery how often the message was
     * returned before ({@link #DELIVERY_COUNT_HEADER}).
     */
    public static Map<String, Object> queueArguments(QueueType type, int deliveryLimit) {
        return switch (type) {
            case CLASSIC -> queueArguments();
            case QUORUM -> Map.of("x-queue-type", "quorum", "x-delivery-limit", deliveryLimit,
                    "x-dead-letter-exchange", DEAD_EXCHANGE);
        };
    }

    /** Arguments of the queues that only keep messages (dead letters, unroutable tasks): the type alone. */
    public static Map<String, Object> keepingQueueArguments(QueueType type) {
        return type == QueueType.QUORUM ? Map.of("x-queue-type", "quorum") : Map.of();
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
     * The durable queue holding the urgent tasks of a logical queue where task queues are quorum
     * queues ({@link #URGENT_PRIORITY}); declared with the task queue's arguments.
     */
    public static String urgentQueueName(String logicalQueue) {
        return "hotpot.urgent." + logicalQueue;
    }

    /**
     * Routing key of a logical queue's urgent tasks on {@link #TASKS_EXCHANGE}; the colon is not
     * allowed in a logical queue's name, so it never routes to another queue.
     */
    public static String urgentRoutingKey(String logicalQueue) {
        return "urgent:" + logicalQueue;
    }

    /**
     * The durable queue keeping a logical queue's dead letters: tasks that failed for good after
     * their retries, and messages a worker rejected (unknown type, undecodable). Bound to
     * {@link #DEAD_EXCHANGE} with the logical queue name and its {@link #urgentRoutingKey(String)};
     * declared with {@link #keepingQueueArguments(QueueType)}.
     */
    public static String deadQueueName(String logicalQueue) {
        return "hotpot.dead." + logicalQueue;
    }
}
