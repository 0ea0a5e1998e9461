package io.hotpot.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.hotpot.messaging.internals.AdminConnection;

/**
 * Not ready while RabbitMQ is unreachable, or before the task publisher's first message was
 * confirmed ({@link PublisherWarmUp}): a task could be neither confirmed nor consumed. Readiness
 * only: an outage of the broker is no reason to restart the service.
 */
@Readiness
@ApplicationScoped
public class RabbitHealthCheck implements HealthCheck {
    private final AdminConnection admin;
    private final PublisherWarmUp warmUp;

    public RabbitHealthCheck(AdminConnection admin, PublisherWarmUp warmUp) {
        this.admin = admin;
        this.warmUp = warmUp;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("rabbitmq").status(admin.isOpen() && warmUp.ready())
                .withData("publisher", warmUp.ready()).build();
    }
}
