package io.hotpot.common;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The body of a task message on RabbitMQ: everything a worker needs to run the task and to
 * write its record, so the record can be rebuilt from the message alone.
 *
 * @param id            task id (a UUID)
 * @param type          handler type name, e.g. {@code add}
 * @param args          handler arguments, a JSON object
 * @param queue         logical queue name (the RabbitMQ queue is {@link Amqp#queueName(String)})
 * @param priority      0–9, higher first
 * @param createdAt     when api-service accepted it
 * @param correlationId the HTTP request's correlation id, carried into the worker's logs
 */
public record TaskMessage(
        String id,
        String type,
        JsonNode args,
        String queue,
        int priority,
        Instant createdAt,
        String correlationId) {
}
