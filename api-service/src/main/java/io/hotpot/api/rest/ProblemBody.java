package io.hotpot.api.rest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.hotpot.api.service.Problem;

/**
 * An RFC 9457 problem document, as sent with {@code application/problem+json}.
 *
 * @param type   a URI naming the kind of problem ({@code about:blank}: the status says it all)
 * @param title  the status's short text
 * @param status the HTTP status
 * @param detail what went wrong, in words a person can act on
 * @param errors the offending fields, when there are some
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ProblemBody(String type, String title, int status, String detail, List<Problem.FieldError> errors) {
    public static final String MEDIA_TYPE = "application/problem+json";

    static ProblemBody of(Problem problem) {
        return new ProblemBody("about:blank", problem.title(), problem.status(), problem.detail(), problem.errors());
    }
}
