package io.hotpot.common;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The body of a task message on RabbitMQ: everything a worker needs to run the task and to
 * write its record, so the record can be rebuilt from the message alone. The same JSON waits in
 * {@link RedisKeys#DUE_MESSAGES} while a task waits for its time.
 *
 * @param id            task id (a UUID)
 * @param type          handler type name, e.g. {@code add}
 * @param args          handler arguments, a JSON object
 * @param queue         logical queue name (the RabbitMQ queue is {@link Amqp#queueName(String)})
 * @param priority      0–9, higher first
 * @param createdAt     when api-service accepted it
 * @param correlationId the HTTP request's correlation id, carried into the worker's logs
 * @param maxRetries    retries allowed after a failed attempt; {@code null}: the handler's default
 * @param timeout       seconds one attempt may run before it is interrupted; {@code null}: the handler's default
 * @param expires       a task not started by then ends {@code REVOKED}; {@code null}: never
 * @param eta           when the task was due to start (countdown or eta); {@code null}: at once
 * @param retries       retries already made; the worker raises it on the message it stores for the next attempt
 * @param sensitive     argument names every record writer masks ({@link SensitiveArgs}); the handler gets them as sent
 * @param group         the group it belongs to ({@code POST /api/groups}); {@code null}: none. A worker runs a
 *                      member only once its group is committed ({@link RedisKeys#group})
 */
public record TaskMessage(
        String id,
        String type,
        JsonNode args,
        String queue,
        int priority,
        Instant createdAt,
        String correlationId,
        Integer maxRetries,
        Double timeout,
        Instant expires,
        Instant eta,
        int retries,
        java.util.List<String> sensitive,
        String group) {

    public TaskMessage {
        sensitive = sensitive == null ? java.util.List.of() : java.util.List.copyOf(sensitive);
    }

    /** A task of no group. */
    public TaskMessage(String id, String type, JsonNode args, String queue, int priority, Instant createdAt,
            String correlationId, Integer maxRetries, Double timeout, Instant expires, Instant eta, int retries,
            java.util.List<String> sensitive) {
        this(id, type, args, queue, priority, createdAt, correlationId, maxRetries, timeout, expires, eta, retries,
                sensitive, null);
    }

    /** A task to run at once with its handler's retry and time-limit defaults. */
    public TaskMessage(String id, String type, JsonNode args, String queue, int priority, Instant createdAt,
            String correlationId) {
        this(id, type, args, queue, priority, createdAt, correlationId, null, null, null, null, 0, null);
    }

    /** The message of the next attempt, after a failed one. */
    public TaskMessage nextRetry() {
        return new TaskMessage(id, type, args, queue, priority, createdAt, correlationId, maxRetries, timeout, expires,
                eta, retries + 1, sensitive, group);
    }

    /** The same task as a member of the group {@code group} ({@link RedisKeys#group}). */
    public TaskMessage inGroup(String group) {
        return new TaskMessage(id, type, args, queue, priority, createdAt, correlationId, maxRetries, timeout, expires,
                eta, retries, sensitive, group);
    }

    /** The arguments as records show them: the sensitive ones masked. */
    public JsonNode recordedArgs() {
        return SensitiveArgs.mask(args, sensitive);
    }
}
