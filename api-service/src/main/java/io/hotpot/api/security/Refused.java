package io.hotpot.api.security;

import java.util.Map;

import io.hotpot.api.service.Problem;

/** A request turned away before it reached a resource: 401, 403 or 429, with the headers that go with it. */
public class Refused extends Problem {
    private final Map<String, String> headers;

    private Refused(int status, String title, String detail, Map<String, String> headers) {
        super(status, title, detail);
        this.headers = Map.copyOf(headers);
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** No credential, or one that is not valid. {@code error} is RFC 6750's code, or {@code null} when none was sent. */
    public static Refused unauthorized(String detail, String error) {
        String challenge = "Bearer realm=\"hotpot\"" + (error == null ? "" : ", error=\"" + error + "\"");
        return new Refused(401, "Unauthorized", detail, Map.of("WWW-Authenticate", challenge));
    }

    public static Refused forbidden(String detail) {
        return new Refused(403, "Forbidden", detail, Map.of());
    }

    static Refused tooMany(String detail, long retryAfterSeconds) {
        return new Refused(429, "Too Many Requests", detail, Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }
}
