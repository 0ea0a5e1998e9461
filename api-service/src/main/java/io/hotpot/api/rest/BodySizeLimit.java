package io.hotpot.api.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.api.config.ApiConfig;
import io.hotpot.api.service.Problem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a body declared larger than {@code hotpot.tasks.max-body-bytes} with a 413 problem
 * before any of it is read. {@code quarkus.http.limits.max-body-size} stays as the backstop for
 * bodies sent without a length. Only the methods the API takes a body with pass through it: a
 * {@code GET} pays nothing for it.
 */
@ApplicationScoped
public class BodySizeLimit {
    private final long maxBytes;
    private final ObjectMapper mapper;

    public BodySizeLimit(ApiConfig config, ObjectMapper mapper) {
        this.maxBytes = config.tasks().maxBodyBytes();
        this.mapper = mapper;
    }

    void install(@Observes Router router) throws JsonProcessingException {
        String body = mapper.writeValueAsString(ProblemBody.of(new Problem(413, "Content Too Large",
                "The request body is larger than " + maxBytes + " bytes; nothing was accepted.")));
        router.route().order(Integer.MIN_VALUE)
                .method(HttpMethod.POST).method(HttpMethod.PUT).method(HttpMethod.PATCH).method(HttpMethod.DELETE)
                .handler(ctx -> check(ctx, body));
    }

    private void check(RoutingContext ctx, String tooLarge) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && parse(length) > maxBytes) {
            ctx.response().setStatusCode(413)
                    .putHeader(HttpHeaders.CONTENT_TYPE, ProblemBody.MEDIA_TYPE)
                    .end(tooLarge);
        } else {
            ctx.next();
        }
    }

    private static long parse(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
