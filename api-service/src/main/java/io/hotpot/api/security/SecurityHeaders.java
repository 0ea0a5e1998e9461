package io.hotpot.api.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * Browser safety headers on every answer, pages and API alike: no inline script (the pages have
 * none), WebSockets only to this host, never framed, no type sniffing, no referrer.
 * Swagger UI ({@code /q/swagger-ui}) starts itself with an inline script, so its pages get the
 * same policy with inline script and style allowed there alone.
 */
@ApplicationScoped
public class SecurityHeaders {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; "
            + "form-action 'self'; object-src 'none'";
    static final String SWAGGER_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
            .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");
    /** First of all filters, so refusals and CORS answers carry the headers too. */
    static final int PRIORITY = SecurityHandlerPriorities.CORS + 100;

    void install(@Observes Filters filters) {
        filters.register(this::handle, PRIORITY);
    }

    private void handle(RoutingContext ctx) {
        boolean swagger = ctx.normalizedPath().startsWith("/q/swagger-ui");
        ctx.addHeadersEndHandler(ignored -> {
            MultiMap headers = ctx.response().headers();
            headers.set("Content-Security-Policy", swagger ? SWAGGER_CSP : CSP);
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Referrer-Policy", "no-referrer");
            headers.set("X-Frame-Options", "DENY");
        });
        ctx.next();
    }
}
