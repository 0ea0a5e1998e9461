package io.hotpot.messaging;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;

/**
 * One dead letter as read from a dead-letter queue: the task's message id, type and body, and why
 * and when RabbitMQ dead-lettered it (its first {@code x-death} entry; null when the message was
 * put there directly, after an early acknowledgement).
 */
public record DeadLetter(String messageId, String type, int priority, String correlationId, Instant createdAt,
        String reason, Instant deadAt, byte[] body, long deliveryTag) {

    static DeadLetter of(GetResponse response) {
        AMQP.BasicProperties props = response.getProps();
        Map<String, Object> death = firstDeath(props);
        return new DeadLetter(props.getMessageId(), props.getType(),
                props.getPriority() == null ? 0 : props.getPriority(), props.getCorrelationId(),
                props.getTimestamp() == null ? null : props.getTimestamp().toInstant(),
                death == null ? null : Objects.toString(death.get("reason"), null),
                death != null && death.get("time") instanceof Date time ? time.toInstant() : null,
                response.getBody(), response.getEnvelope().getDeliveryTag());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstDeath(AMQP.BasicProperties props) {
        Map<String, Object> headers = props.getHeaders();
        if (headers != null && headers.get("x-death") instanceof List<?> deaths && !deaths.isEmpty()
                && deaths.get(0) instanceof Map<?, ?> death) {
            return (Map<String, Object>) death;
        }
        return null;
    }
}
