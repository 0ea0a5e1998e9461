package io.hotpot.scheduler.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import io.hotpot.scheduler.leader.LeaderLock;
import io.smallrye.health.api.Wellness;

/**
 * Whether this replica leads, at {@code /q/health/well}: always UP (a stand-by replica is
 * healthy), with {@code leader} and {@code epoch} in its data for operators and tests.
 */
@Wellness
@ApplicationScoped
public class LeaderHealthCheck implements HealthCheck {
    private final LeaderLock leader;

    public LeaderHealthCheck(LeaderLock leader) {
        this.leader = leader;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("scheduler-leader").up()
                .withData("leader", leader.isLeader())
                .withData("epoch", leader.epoch())
                .build();
    }
}
