package io.hotpot.api.service;

import java.util.List;

/**
 * A request the API refuses, turned into {@code application/problem+json} (RFC 9457) by the
 * REST layer. Thrown before anything is published or recorded.
 */
public class Problem extends RuntimeException {
    private final int status;
    private final String title;
    private final List<FieldError> errors;

    public Problem(int status, String title, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public Problem(int status, String title, String detail) {
        this(status, title, detail, List.of());
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** One offending field: a JSON path such as {@code args.x} and what is wrong with it. */
    public record FieldError(String field, String message) {
    }

    public static Problem badRequest(String detail, List<FieldError> errors) {
        return new Problem(400, "Bad Request", detail, errors);
    }

    public static Problem unprocessable(String detail, List<FieldError> errors) {
        return new Problem(422, "Unprocessable Content", detail, errors);
    }

    public static Problem notFound(String detail) {
        return new Problem(404, "Not Found", detail);
    }

    public static Problem unavailable(String detail) {
        return new Problem(503, "Service Unavailable", detail);
    }
}
