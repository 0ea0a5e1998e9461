package io.hotpot.api.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
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
    // Names and values encoded once (Vert.x writes optimized char sequences without re-encoding).
    private static final CharSequence CSP_NAME = HttpHeaders.createOptimized("Content-Security-Policy");
    private static final CharSequence CSP_VALUE = HttpHeaders.createOptimized(CSP);
    private static final CharSequence SWAGGER_CSP_VALUE = HttpHeaders.createOptimized(SWAGGER_CSP);
    private static final CharSequence TYPE_OPTIONS = HttpHeaders.createOptimized("X-Content-Type-Options");
    private static final CharSequence NOSNIFF = HttpHeaders.createOptimized("nosniff");
    private static final CharSequence REFERRER_POLICY = HttpHeaders.createOptimized("Referrer-Policy");
    private static final CharSequence NO_REFERRER = HttpHeaders.createOptimized("no-referrer");
    private static final CharSequence FRAME_OPTIONS = HttpHeaders.createOptimized("X-Frame-Options");
    private static final CharSequence DENY = HttpHeaders.createOptimized("DENY");

    void install(@Observes Filters filters) {
        filters.register(this::handle, PRIORITY);
    }

    /**
     * Set on the response before anything answers, rather than in a headers-end handler: nothing
     * in the request path clears response headers, and a handler per request is a cost every
     * request paid (docs/BENCHMARKS.md, "HTTP: what each step costs").
     */
    private void handle(RoutingContext ctx) {
        MultiMap headers = ctx.response().headers();
        headers.set(CSP_NAME, ctx.normalizedPath().startsWith("/q/swagger-ui") ? SWAGGER_CSP_VALUE : CSP_VALUE);
        headers.set(TYPE_OPTIONS, NOSNIFF);
        headers.set(REFERRER_POLICY, NO_REFERRER);
        headers.set(FRAME_OPTIONS, DENY);
        ctx.next();
    }
}
