package io.hotpot.api.service;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The body of {@code POST /api/tasks}. Fields are kept loose ({@link JsonNode}) where a wrong
 * JSON type must be reported as a field error rather than as unreadable JSON.
 *
 * @param type           handler type name, required
 * @param args           handler arguments, a JSON object (absent means {@code {}})
 * @param queue          logical queue, {@code default} when absent
 * @param priority       0–9, 0 when absent
 * @param countdown      seconds to wait before the task may start (not with {@code eta})
 * @param eta            ISO-8601 time with offset before which the task does not start (not with {@code countdown})
 * @param expires        ISO-8601 time with offset, or seconds from now: a task not started by then ends {@code REVOKED}
 * @param maxRetries     retries after a failed attempt, 0–100; the handler's default when absent
 * @param timeout        seconds one attempt may run; the handler's default when absent
 * @param idempotencyKey a submission with a key seen in the last 24 h returns the first task and queues nothing
 * @param then           a chain: a task (or a list of them) run one after the other once this one succeeded,
 *                       each with {@code "$result"} arguments standing for the result of the one before
 */
public record TaskSubmission(JsonNode type, JsonNode args, JsonNode queue, JsonNode priority, JsonNode countdown,
        JsonNode eta, JsonNode expires, JsonNode maxRetries, JsonNode timeout, JsonNode idempotencyKey, JsonNode then) {
}
