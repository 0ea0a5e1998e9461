package io.hotpot.api.rest;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.MDC;

import io.hotpot.common.Telemetry;
import io.vertx.ext.web.Router;

/**
 * Gives every request a correlation id before anything else handles it: the caller's
 * {@code X-Correlation-Id} when it is a sane token, a new UUID otherwise. The id is written back
 * into the request headers (so resources read it as a plain header), sent on the response, and
 * put in the log MDC under {@code correlationId} for the request's log lines. TaskService carries
 * it in the task message to the worker.
 */
@ApplicationScoped
public class CorrelationFilter {
    /** Ids that are safe to log and to pass on: no spaces, quotes or line breaks, at most 128 characters. */
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:/+=-]{1,128}");

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String id = correlationId(ctx.request().getHeader(Telemetry.CORRELATION_HEADER));
            ctx.request().headers().set(Telemetry.CORRELATION_HEADER, id);
            ctx.response().headers().set(Telemetry.CORRELATION_HEADER, id);
            // Quarkus keeps the MDC in the request's own (duplicated) Vert.x context, so it does not leak between requests.
            MDC.put(Telemetry.CORRELATION_MDC_KEY, id);
            ctx.next();
        });
    }

    static String correlationId(String given) {
        return given != null && SANE.matcher(given).matches() ? given : newId();
    }

    /**
     * A fresh id in the shape of a random UUID. It must be unique, not unguessable (it names a
     * request in logs, it grants nothing), so it comes from the thread's own generator rather than
     * {@link UUID#randomUUID()}'s shared SecureRandom, which every request would otherwise lock.
     */
    private static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48); // IETF variant
        return new UUID(high, low).toString();
    }
}
