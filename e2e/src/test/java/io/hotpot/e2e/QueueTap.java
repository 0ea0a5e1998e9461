package io.hotpot.e2e;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import io.hotpot.common.Amqp;
import io.hotpot.common.Json;
import io.hotpot.common.TaskMessage;

/**
 * Takes every task published to a logical queue of the shared RabbitMQ, in place of a worker, and
 * notes when each arrived: for tests that count what a scheduler publishes per tick. Closing it
 * deletes the queue.
 */
final class QueueTap implements AutoCloseable {
    private final String queue;
    private final ObjectMapper mapper = Json.newMapper();
    private final List<TaskMessage> tasks = new CopyOnWriteArrayList<>();
    private final Map<String, Long> arrivedAt = new ConcurrentHashMap<>();
    private final Connection connection;
    private final Channel channel;

    QueueTap(String queue) throws IOException, TimeoutException {
        this.queue = queue;
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        connection = factory.newConnection();
        channel = connection.createChannel();
        channel.exchangeDeclare(Amqp.TASKS_EXCHANGE, "direct", true, false, Amqp.exchangeArguments());
        channel.queueDeclare(Amqp.queueName(queue), true, false, false, Amqp.queueArguments());
        channel.queueBind(Amqp.queueName(queue), Amqp.TASKS_EXCHANGE, queue);
        channel.basicConsume(Amqp.queueName(queue), true, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                    throws IOException {
                TaskMessage task = mapper.readValue(body, TaskMessage.class);
                arrivedAt.putIfAbsent(task.id(), System.currentTimeMillis());
                tasks.add(task);
            }
        });
    }

    /** Every message taken so far, in order of arrival (a task's message may be there twice). */
    List<TaskMessage> tasks() {
        return List.copyOf(tasks);
    }

    /** When a task's first message arrived, epoch ms. */
    long arrivedAt(String id) {
        return arrivedAt.get(id);
    }

    @Override
    public void close() throws IOException, TimeoutException {
        channel.queueDelete(Amqp.queueName(queue));
        connection.close();
    }
}
