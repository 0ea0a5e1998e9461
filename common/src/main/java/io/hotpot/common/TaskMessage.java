package io.hotpot.common;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 * @param then          the rest of its chain: the tasks that run one after the other once it succeeded,
 *                      each without a {@code then} of its own; empty: none
 * @param previousResult in a chain, the result of the task before (what {@code "$result"} arguments
 *                      stand for, {@link ResultReferences}); {@code null} for the first
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
        String group,
        java.util.List<TaskMessage> then,
        // Never written when absent: the chain's script appends it to the next task's stored message.
        @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode previousResult) {

    public TaskMessage {
        sensitive = sensitive == null ? java.util.List.of() : java.util.List.copyOf(sensitive);
        then = then == null ? java.util.List.of() : java.util.List.copyOf(then);
    }

    /** A task of no chain. */
    public TaskMessage(String id, String type, JsonNode args, String queue, int priority, Instant createdAt,
            String correlationId, Integer maxRetries, Double timeout, Instant expires, Instant eta, int retries,
            java.util.List<String> sensitive, String group) {
        this(id, type, args, queue, priority, createdAt, correlationId, maxRetries, timeout, expires, eta, retries,
                sensitive, group, null, null);
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
                eta, retries + 1, sensitive, group, then, previousResult);
    }

    /** The same task with its retries afresh (a dead letter re-queued), in its group and chain as before. */
    public TaskMessage retriesAfresh() {
        return new TaskMessage(id, type, args, queue, priority, createdAt, correlationId, maxRetries, timeout, expires,
                eta, 0, sensitive, group, then, previousResult);
    }

    /** The same task as a member of the group {@code group} ({@link RedisKeys#group}). */
    public TaskMessage inGroup(String group) {
        return new TaskMessage(id, type, args, queue, priority, createdAt, correlationId, maxRetries, timeout, expires,
                eta, retries, sensitive, group, then, previousResult);
    }

    /** The same task followed by {@code rest}, its chain. */
    public TaskMessage followedBy(java.util.List<TaskMessage> rest) {
        return new TaskMessage(id, type, args, queue, priority, createdAt, correlationId, maxRetries, timeout, expires,
                eta, retries, sensitive, group, rest, previousResult);
    }

    /** The next task of the chain, carrying the rest of it; {@code null} at the end of the chain. */
    public TaskMessage next() {
        return then.isEmpty() ? null : then.get(0).followedBy(then.subList(1, then.size()));
    }

    /** The arguments as records show them: the sensitive ones masked. */
    public JsonNode recordedArgs() {
        return SensitiveArgs.mask(args, sensitive);
    }
}
