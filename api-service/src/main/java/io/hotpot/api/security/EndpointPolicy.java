package io.hotpot.api.security;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who may call which endpoint: the one place that says it. {@link AccessControl} enforces it for
 * every request before any resource runs; resources carry no security annotations.
 * <p>
 * Paths outside {@code /api} (pages, assets, {@code /q/health}, {@code /q/metrics},
 * {@code /q/openapi}, {@code /q/swagger-ui}) are open: they hold no data, and the pages' own API
 * calls carry the token. An {@code /api} path that no rule names needs {@link Role#ADMIN}, so an
 * endpoint added without a rule is closed rather than open (and {@code EndpointPolicyTest} fails).
 */
public final class EndpointPolicy {
    /** The actions that are rate limited per credential; the id names the bucket and its config. */
    public enum Limit {
        TASKS("tasks"), TOKENS("tokens");

        private final String id;

        Limit(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /**
     * One rule: a method and a path template ({@code {name}} matches one segment).
     *
     * @param role  the role needed; {@code null} for an endpoint anyone may call
     * @param limit the rate limit that applies, or {@code null}
     */
    public record Rule(String method, String path, Role role, Limit limit) {
        public boolean open() {
            return role == null;
        }
    }

    /** Every REST endpoint of api-service, including those other modules of work add. First match wins. */
    public static final List<Rule> RULES = List.of(
            // tasks
            rule("POST", "/api/tasks", Role.SUBMIT, Limit.TASKS),
            rule("GET", "/api/tasks", Role.READ),
            rule("GET", "/api/tasks/stats", Role.READ),
            rule("GET", "/api/tasks/{id}", Role.READ),
            rule("DELETE", "/api/tasks/{id}", Role.ADMIN),
            // groups of tasks
            rule("POST", "/api/groups", Role.SUBMIT, Limit.TASKS),
            rule("GET", "/api/groups", Role.READ),
            rule("GET", "/api/groups/{id}", Role.READ),
            rule("DELETE", "/api/groups/{id}", Role.ADMIN),
            // workers and queues
            rule("GET", "/api/workers", Role.READ),
            rule("GET", "/api/queues", Role.READ),
            // the catalogue of accepted types and queues
            rule("GET", "/api/catalogue", Role.READ),
            rule("DELETE", "/api/catalogue/types/{type}", Role.ADMIN),
            rule("DELETE", "/api/catalogue/queues/{queue}", Role.ADMIN),
            // dead letters
            rule("GET", "/api/dead-letters", Role.ADMIN),
            rule("POST", "/api/dead-letters/requeue", Role.ADMIN),
            rule("POST", "/api/dead-letters/{id}/requeue", Role.ADMIN),
            // schedules
            rule("GET", "/api/schedules", Role.READ),
            rule("GET", "/api/schedules/{name}", Role.READ),
            rule("POST", "/api/schedules", Role.ADMIN),
            rule("PUT", "/api/schedules/{name}", Role.ADMIN),
            rule("DELETE", "/api/schedules/{name}", Role.ADMIN),
            rule("POST", "/api/schedules/{name}/pause", Role.ADMIN),
            rule("POST", "/api/schedules/{name}/resume", Role.ADMIN),
            // chat rooms
            rule("GET", "/api/rooms", Role.READ),
            rule("GET", "/api/rooms/{room}/messages", Role.READ),
            // tokens: the key to exchange is in the body and checked by the endpoint itself
            rule("POST", "/api/tokens", null, Limit.TOKENS),
            // the concurrency demos
            rule("GET", "/api/demo/hello", Role.READ),
            rule("GET", "/api/demo/sleep", Role.READ));

    /** Runs of slashes, collapsed to one before a path is split. */
    private static final Pattern SLASHES = Pattern.compile("/{2,}");
    /** The rules with their path templates split once (every request is judged against them, in order). */
    private static final List<Compiled> COMPILED = RULES.stream().map(rule -> new Compiled(rule, split(rule.path()))).toList();

    private static final Rule OPEN = new Rule("*", "/**", null, null);
    private static final Rule UNLISTED = new Rule("*", "/api/**", Role.ADMIN, null);

    private EndpointPolicy() {
    }

    /**
     * The rule for a request. {@code HEAD} is judged as {@code GET}; {@code OPTIONS} (CORS
     * preflight, allowed methods) is open.
     */
    public static Rule ruleFor(String method, String path) {
        if (!isApi(path) || "OPTIONS".equals(method)) {
            return OPEN;
        }
        return explicitRule(method, path).orElse(UNLISTED);
    }

    /** The rule that names this request, if one does (no fallback). */
    public static Optional<Rule> explicitRule(String method, String path) {
        String judged = "HEAD".equals(method) ? "GET" : method;
        String[] segments = split(path);
        for (Compiled compiled : COMPILED) {
            if (compiled.rule().method().equals(judged) && templateMatches(compiled.template(), segments)) {
                return Optional.of(compiled.rule());
            }
        }
        return Optional.empty();
    }

    private record Compiled(Rule rule, String[] template) {
    }

    private static boolean templateMatches(String[] template, String[] segments) {
        if (template.length != segments.length) {
            return false;
        }
        for (int i = 0; i < template.length; i++) {
            if (!(template[i].startsWith("{") || template[i].equals(segments[i]))) {
                return false;
            }
        }
        return true;
    }

    /** Whether a path is under {@code /api}, judged without regard to case, so no spelling slips past. */
    static boolean isApi(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return lower.equals("/api") || lower.startsWith("/api/") || lower.startsWith("/api;");
    }

    private static Rule rule(String method, String path, Role role) {
        return new Rule(method, path, role, null);
    }

    private static Rule rule(String method, String path, Role role, Limit limit) {
        return new Rule(method, path, role, limit);
    }

    private static String[] split(String path) {
        String trimmed = path.contains("//") ? SLASHES.matcher(path).replaceAll("/") : path;
        if (trimmed.endsWith("/") && trimmed.length() > 1) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.split("/");
    }
}
