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

    /**
     * A request the policy lets through: its caller, and the rate limit it still has to pass in
     * Redis ({@code null} when none applies: no limit on the endpoint, or limits off).
     */
    public record Admitted(Caller caller, EndpointPolicy.Limit limit, String method) {
    }

    /**
     * Who the caller is and whether the policy lets them call this endpoint: everything that needs
     * no I/O, so a request without a rate limit is judged on the spot.
     *
     * @throws Refused 401 or 403
     */
    public Admitted check(String method, String path, String authorization, String address) {
        EndpointPolicy.Rule rule = EndpointPolicy.ruleFor(method, path);
        Caller caller = authenticator.authenticate(authorization, address);
        authorize(caller, rule, method);
        return new Admitted(caller, rule.limit() != null && limiter.enabled() ? rule.limit() : null, method);
    }

    /** Takes from an admitted request's rate limit: the caller, or a failure with {@link Refused} (429). */
    public Uni<Caller> limit(Admitted admitted) {
        if (admitted.limit() == null) {
            return Uni.createFrom().item(admitted.caller());
        }
        Caller caller = admitted.caller();
        return limiter.take(admitted.limit(), caller.id()).map(waitMillis -> {
            if (waitMillis > 0) {
                long seconds = Math.max(1, (waitMillis + 999) / 1000);
                LOG.infof("HOTPOT-API-105 rate limit of %s reached for %s (%s)", admitted.limit().id(), caller.id(),
                        admitted.method());
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
