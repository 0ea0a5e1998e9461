package io.hotpot.api.security;

import java.util.List;

/**
 * The test's own statement of who may call what, written independently of {@link EndpointPolicy}:
 * {@code EndpointAccessTest} calls each row with every kind of credential, and
 * {@code EndpointPolicyTest} fails when a JAX-RS endpoint is missing here or from the policy.
 */
final class EndpointTable {
    /**
     * One endpoint.
     *
     * @param role      the role it needs ({@code null}: anyone)
     * @param path      a concrete path to call
     * @param body      the JSON body to send, or {@code null}
     * @param answer    what the right credential gets on this branch; {@code null} for endpoints
     *                  other branches add (here they answer 404; the test checks the gate only)
     */
    record Row(String method, String template, Role role, String path, String body, Integer answer) {
        String name() {
            return method + " " + template;
        }
    }

    static final List<Row> ROWS = List.of(
            new Row("POST", "/api/tasks", Role.SUBMIT, "/api/tasks", "{\"type\":\"no-such-type\"}", 422),
            new Row("GET", "/api/tasks", Role.READ, "/api/tasks?limit=1", null, 200),
            new Row("GET", "/api/tasks/stats", Role.READ, "/api/tasks/stats", null, 200),
            new Row("GET", "/api/tasks/{id}", Role.READ, "/api/tasks/no-such-task", null, 404),
            new Row("DELETE", "/api/tasks/{id}", Role.ADMIN, "/api/tasks/no-such-task", null, null),
            new Row("POST", "/api/groups", Role.SUBMIT, "/api/groups", "{\"tasks\":[]}", 400),
            new Row("GET", "/api/groups", Role.READ, "/api/groups", null, 200),
            new Row("GET", "/api/groups/{id}", Role.READ, "/api/groups/no-such-group", null, 404),
            new Row("DELETE", "/api/groups/{id}", Role.ADMIN, "/api/groups/no-such-group", null, 404),
            new Row("GET", "/api/workers", Role.READ, "/api/workers", null, 200),
            new Row("GET", "/api/queues", Role.READ, "/api/queues", null, 200),
            new Row("GET", "/api/catalogue", Role.READ, "/api/catalogue", null, 200),
            new Row("DELETE", "/api/catalogue/types/{type}", Role.ADMIN, "/api/catalogue/types/no-such-type", null, 404),
            new Row("DELETE", "/api/catalogue/queues/{queue}", Role.ADMIN, "/api/catalogue/queues/no-such-queue", null, 404),
            new Row("GET", "/api/dead-letters", Role.ADMIN, "/api/dead-letters", null, null),
            new Row("POST", "/api/dead-letters/requeue", Role.ADMIN, "/api/dead-letters/requeue", "{}", null),
            new Row("POST", "/api/dead-letters/{id}/requeue", Role.ADMIN, "/api/dead-letters/no-such/requeue", null, null),
            new Row("GET", "/api/schedules", Role.READ, "/api/schedules", null, null),
            new Row("GET", "/api/schedules/{name}", Role.READ, "/api/schedules/no-such", null, null),
            new Row("POST", "/api/schedules", Role.ADMIN, "/api/schedules", "{}", null),
            new Row("PUT", "/api/schedules/{name}", Role.ADMIN, "/api/schedules/no-such", "{}", null),
            new Row("DELETE", "/api/schedules/{name}", Role.ADMIN, "/api/schedules/no-such", null, null),
            new Row("POST", "/api/schedules/{name}/pause", Role.ADMIN, "/api/schedules/no-such/pause", null, null),
            new Row("POST", "/api/schedules/{name}/resume", Role.ADMIN, "/api/schedules/no-such/resume", null, null),
            new Row("GET", "/api/rooms", Role.READ, "/api/rooms", null, null),
            new Row("GET", "/api/rooms/{room}/messages", Role.READ, "/api/rooms/lobby/messages", null, null),
            // the key to exchange is in the body: the gate lets everyone through, the endpoint checks the key
            new Row("POST", "/api/tokens", null, "/api/tokens", "{\"key\":\"" + AuthOnProfile.TestKey.READ.key + "\",\"roles\":[\"read\"]}", 200),
            new Row("GET", "/api/demo/hello", Role.READ, "/api/demo/hello", null, 200),
            new Row("GET", "/api/demo/sleep", Role.READ, "/api/demo/sleep?seconds=0.01", null, 200));

    private EndpointTable() {
    }
}
