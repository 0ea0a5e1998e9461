package io.hotpot.api.rest;

import java.util.List;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.hotpot.api.security.Refused;
import io.hotpot.api.service.Problem;

/** Every error the API answers is {@code application/problem+json}. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(Problem problem) {
        return respond(problem);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        String where = e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()
                ? mismatch.getPathReference()
                : null;
        String detail = "The body is not valid JSON for this request: " + e.getOriginalMessage()
                + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() + ")");
        return respond(Problem.badRequest(detail,
                where == null ? List.of() : List.of(new Problem.FieldError(where, "has the wrong JSON type"))));
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException unreadable) {
            return unreadableJson(unreadable);
        }
        int status = e.getResponse().getStatus();
        return respond(new Problem(status, Response.Status.fromStatusCode(status) == null
                ? "Error" : Response.Status.fromStatusCode(status).getReasonPhrase(), e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.errorf(e, "HOTPOT-API-090 unexpected error");
        return respond(new Problem(500, "Internal Server Error",
                "The server failed to handle the request; nothing was accepted. The error is in the api-service log."));
    }

    static Response respond(Problem problem) {
        Response.ResponseBuilder response = Response.status(problem.status()).type(ProblemBody.MEDIA_TYPE)
                .entity(ProblemBody.of(problem));
        if (problem instanceof Refused refused) {
            refused.headers().forEach(response::header);
        }
        return response.build();
    }
}
