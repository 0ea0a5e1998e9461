package io.hotpot.scheduler.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.hotpot.scheduler.messaging.TaskPublisher;

/** Not ready while RabbitMQ is unreachable: due tasks could not be queued. */
@Readiness
@ApplicationScoped
public class RabbitHealthCheck implements HealthCheck {
    private final TaskPublisher rabbit;

    public RabbitHealthCheck(TaskPublisher rabbit) {
        this.rabbit = rabbit;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("rabbitmq").status(rabbit.isConnected()).build();
    }
}
