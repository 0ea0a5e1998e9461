package io.hotpot.chat.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.hotpot.chat.relay.PresenceListener;
import io.hotpot.chat.relay.TaskEventListener;

/**
 * Ready only while the task-event and presence subscriptions hold: a replica that lost them
 * (Redis restarted, and the subscription is not made again yet) would take connections whose
 * dashboards and member lists stay silent.
 */
@Readiness
@ApplicationScoped
public class SubscriptionsHealthCheck implements HealthCheck {
    private final TaskEventListener tasks;
    private final PresenceListener presence;

    public SubscriptionsHealthCheck(TaskEventListener tasks, PresenceListener presence) {
        this.tasks = tasks;
        this.presence = presence;
    }

    @Override
    public HealthCheckResponse call() {
        boolean tasksUp = tasks.subscription().up();
        boolean presenceUp = presence.subscription().up();
        return HealthCheckResponse.named("redis-subscriptions").status(tasksUp && presenceUp)
                .withData(tasks.subscription().channel(), tasksUp)
                .withData(presence.subscription().channel(), presenceUp).build();
    }
}
