package io.hotpot.common;

import java.util.Map;

/**
 * RabbitMQ names shared by the publishers (api-service, scheduler-service) and the consumers
 * (worker-service).
 */
public final class Amqp {
    /** Durable direct exchange every task is published to; the routing key is the logical queue name. */
    public static final String TASKS_EXCHANGE = "hotpot.tasks";
    /** Logical queue used when a submission names none. */
    public static final String DEFAULT_QUEUE = "default";
    /** Highest task priority; queues are declared with {@code x-max-priority} of this value. */
    public static final int MAX_PRIORITY = 9;

    private Amqp() {
    }

    /**
     * Arguments every task queue is declared with. Publishers and consumers both declare the
     * queues, and RabbitMQ refuses a declaration whose arguments differ, so they live here.
     */
    public static Map<String, Object> queueArguments() {
        return Map.of("x-max-priority", MAX_PRIORITY);
    }

    /** The durable RabbitMQ queue that holds the tasks of a logical queue. */
    public static String queueName(String logicalQueue) {
        return TASKS_EXCHANGE + "." + logicalQueue;
    }
}
