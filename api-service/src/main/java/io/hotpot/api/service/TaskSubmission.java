package io.hotpot.api.service;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The body of {@code POST /api/tasks}. Fields are kept loose ({@link JsonNode}) where a wrong
 * JSON type must be reported as a field error rather than as unreadable JSON.
 *
 * @param type     handler type name, required
 * @param args     handler arguments, a JSON object (absent means {@code {}})
 * @param queue    logical queue, {@code default} when absent
 * @param priority 0–9, 0 when absent
 */
public record TaskSubmission(JsonNode type, JsonNode args, JsonNode queue, JsonNode priority) {
}
