package io.hotpot.worker.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.hotpot.worker.messaging.TaskConsumer;

/** Not ready while RabbitMQ is unreachable: no task can arrive. */
@Readiness
@ApplicationScoped
public class RabbitHealthCheck implements HealthCheck {
    private final TaskConsumer consumer;

    public RabbitHealthCheck(TaskConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("rabbitmq").status(consumer.isConnected()).build();
    }
}
