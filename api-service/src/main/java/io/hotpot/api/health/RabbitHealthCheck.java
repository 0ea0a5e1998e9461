package io.hotpot.api.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.hotpot.api.messaging.TaskPublisher;

/** Not ready while RabbitMQ is unreachable: a submission could not be confirmed. */
@Readiness
@ApplicationScoped
public class RabbitHealthCheck implements HealthCheck {
    private final TaskPublisher publisher;

    public RabbitHealthCheck(TaskPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("rabbitmq").status(publisher.isConnected()).build();
    }
}
