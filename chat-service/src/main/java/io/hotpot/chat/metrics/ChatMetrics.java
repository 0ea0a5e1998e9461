package io.hotpot.chat.metrics;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.hotpot.common.Telemetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** What chat-service counts, for {@code /q/metrics}: connections, messages in and out, slow consumers dropped. */
@ApplicationScoped
public class ChatMetrics {
    private final AtomicInteger connections = new AtomicInteger();
    private final Counter messagesIn;
    private final Counter messagesOut;
    private final Counter slowConsumers;
    private final Counter presenceLive;
    private final Counter presenceSummary;

    public ChatMetrics(MeterRegistry registry) {
        Gauge.builder(Telemetry.WS_CONNECTIONS, connections, AtomicInteger::get)
                .description("Chat WebSocket connections open on this replica")
                .tag(Telemetry.TAG_ENDPOINT, "chat")
                .register(registry);
        messagesIn = Counter.builder(Telemetry.WS_MESSAGES_IN)
                .description("Chat messages received from members and appended to their room")
                .register(registry);
        messagesOut = Counter.builder(Telemetry.WS_MESSAGES_OUT)
                .description("Frames queued to members: messages, history, presence, errors")
                .register(registry);
        presenceLive = presenceCounter(registry, "live");
        presenceSummary = presenceCounter(registry, "summary");
        slowConsumers = Counter.builder(Telemetry.WS_SLOW_CONSUMERS)
                .description("Members disconnected because they stopped reading (send queue full)")
                .register(registry);
    }

    private static Counter presenceCounter(MeterRegistry registry, String kind) {
        return Counter.builder(Telemetry.WS_PRESENCE_FRAMES).tag("kind", kind)
                .description("Presence frames queued to members: one per join or leave (live), or one per interval (summary)")
                .register(registry);
    }

    public void connected() {
        connections.incrementAndGet();
    }

    public void disconnected() {
        connections.decrementAndGet();
    }

    public void received() {
        messagesIn.increment();
    }

    public void sent() {
        messagesOut.increment();
    }

    /** Presence frames queued: {@code count} of them, live or summaries. */
    public void presenceSent(boolean summary, int count) {
        (summary ? presenceSummary : presenceLive).increment(count);
    }

    public void droppedSlowConsumer() {
        slowConsumers.increment();
    }
}
