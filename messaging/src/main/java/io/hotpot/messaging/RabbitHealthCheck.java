package io.hotpot.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.hotpot.messaging.internals.AdminConnection;

/**
 * Not ready while RabbitMQ is unreachable: a task could be neither confirmed nor consumed. Readiness
 * only: an outage of the broker is no reason to restart the service.
 */
@Readiness
@ApplicationScoped
public class RabbitHealthCheck implements HealthCheck {
    private final AdminConnection admin;

    public RabbitHealthCheck(AdminConnection admin) {
        this.admin = admin;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("rabbitmq").status(admin.isOpen()).build();
    }
}
