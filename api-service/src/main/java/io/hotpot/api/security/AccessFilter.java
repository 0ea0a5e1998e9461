package io.hotpot.api.security;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.api.rest.ProblemBody;
import io.hotpot.api.service.Problem;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/**
 * Runs {@link AccessControl} on every {@code /api} request before any resource sees it, and
 * answers refusals as {@code application/problem+json}. Other paths pass untouched.
 */
@ApplicationScoped
public class AccessFilter {
    /** The {@link Caller} of an admitted request, in the routing context under this key. */
    public static final String CALLER = Caller.class.getName();
    /** After CORS (preflights answered, refusals carry CORS headers), before Quarkus's own security. */
    static final int PRIORITY = SecurityHandlerPriorities.CORS - 50;
    private static final Logger LOG = Logger.getLogger(AccessFilter.class);

    private final AccessControl access;
    private final ObjectMapper mapper;

    public AccessFilter(AccessControl access, ObjectMapper mapper) {
        this.access = access;
        this.mapper = mapper;
    }

    void install(@Observes Filters filters) {
        filters.register(this::handle, PRIORITY);
    }

    private void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (!EndpointPolicy.isApi(path)) {
            ctx.next();
            return;
        }
        AccessControl.Admitted admitted;
        try {
            admitted = access.check(ctx.request().method().name(), path, ctx.request().getHeader(HttpHeaders.AUTHORIZATION),
                    address(ctx.request().remoteAddress()));
        } catch (Refused refused) {
            refuse(ctx, refused);
            return;
        }
        if (admitted.limit() == null) {
            // Most requests: no rate limit to take, so no round trip and no reactive hand-off.
            ctx.put(CALLER, admitted.caller());
            ctx.next();
            return;
        }
        access.limit(admitted).subscribe().with(caller -> {
            ctx.put(CALLER, caller);
            ctx.next();
        }, failure -> refuse(ctx, failure));
    }

    private void refuse(RoutingContext ctx, Throwable failure) {
        Problem problem = failure instanceof Problem p ? p : new Problem(503, "Service Unavailable",
                "The request could not be checked against its rate limit (Redis did not answer); try again.");
        if (!(failure instanceof Problem)) {
            LOG.errorf(failure, "HOTPOT-API-106 access check failed");
        }
        var response = ctx.response().setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, ProblemBody.MEDIA_TYPE);
        if (failure instanceof Refused refused) {
            refused.headers().forEach(response::putHeader);
        }
        try {
            response.end(mapper.writeValueAsString(new ProblemBody("about:blank", problem.title(), problem.status(),
                    problem.detail(), List.of())));
        } catch (JsonProcessingException e) {
            response.end();
        }
    }

    private static String address(SocketAddress remote) {
        return remote == null ? "unknown" : remote.hostAddress();
    }
}
