package io.hotpot.messaging.internals;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import io.hotpot.messaging.PublishException;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;

/**
 * One message through an outgoing channel whose connector waits for publisher confirms
 * ({@code publish-confirms=true}): the connector acks the message on the broker's confirm and
 * nacks it on a refusal or a failed send, and this turns that into a stage bounded by a timeout.
 */
public final class ConfirmedSend {
    private ConfirmedSend() {
    }

    public static CompletionStage<Void> send(Emitter<byte[]> emitter, byte[] body, OutgoingRabbitMQMetadata metadata,
            Duration timeout) {
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        Message<byte[]> message = Message.of(body, Metadata.of(metadata),
                () -> {
                    confirmed.complete(null);
                    return CompletableFuture.completedFuture(null);
                },
                failure -> {
                    confirmed.completeExceptionally(new PublishException(
                            "RabbitMQ did not take the message (" + failure.getMessage() + ")", failure, false));
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
        } catch (RuntimeException e) {
            // The emitter's buffer is full or the channel is gone: nothing was handed to the connector.
            return CompletableFuture.failedFuture(new PublishException(
                    "the publisher cannot take the message now (" + e.getMessage() + ")", e, false));
        }
        return confirmed.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            return CompletableFuture.failedFuture(cause instanceof TimeoutException
                    ? new PublishException("RabbitMQ did not confirm it within " + timeout.toMillis() + " ms", cause, true)
                    : cause);
        });
    }
}
