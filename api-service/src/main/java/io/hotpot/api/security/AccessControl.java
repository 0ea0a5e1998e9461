package io.hotpot.api.security;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

/**
 * Decides whether a request to {@code /api} may go on: who the caller is ({@link Authenticator}),
 * whether {@link EndpointPolicy} lets them, and whether their rate limit has room ({@link RateLimiter}).
 */
@ApplicationScoped
public class AccessControl {
    private static final Logger LOG = Logger.getLogger(AccessControl.class);

    private final Authenticator authenticator;
    private final RateLimiter limiter;

    public AccessControl(Authenticator authenticator, RateLimiter limiter) {
        this.authenticator = authenticator;
        this.limiter = limiter;
    }

    /** The caller, or a failure with {@link Refused} (401, 403, 429). */
    public Uni<Caller> admit(String method, String path, String authorization, String address) {
        EndpointPolicy.Rule rule = EndpointPolicy.ruleFor(method, path);
        Caller caller;
        try {
            caller = authenticator.authenticate(authorization, address);
            authorize(caller, rule, method);
        } catch (Refused refused) {
            return Uni.createFrom().failure(refused);
        }
        if (rule.limit() == null || !limiter.enabled()) {
            return Uni.createFrom().item(caller);
        }
        return limiter.take(rule.limit(), caller.id()).map(waitMillis -> {
            if (waitMillis > 0) {
                long seconds = Math.max(1, (waitMillis + 999) / 1000);
                LOG.infof("HOTPOT-API-105 rate limit of %s reached for %s (%s)", rule.limit().id(), caller.id(), method);
                throw Refused.tooMany("Too many requests of this kind from this credential; try again in "
                        + seconds + " s.", seconds);
            }
            return caller;
        });
    }

    private static void authorize(Caller caller, EndpointPolicy.Rule rule, String method) {
        if (rule.open() || caller.may(rule.role())) {
            return;
        }
        String needs = method + " " + rule.path() + " needs the role '" + rule.role().id() + "'";
        if (caller.roles().isEmpty() && caller.anonymous()) {
            throw Refused.unauthorized(needs + ": send 'Authorization: Bearer <key or token>'.", null);
        }
        LOG.infof("HOTPOT-API-104 %s lacks the role %s for %s %s", caller.id(), rule.role().id(), method, rule.path());
        throw Refused.forbidden(needs + ", which the credential '" + caller.id() + "' does not have.");
    }
}
