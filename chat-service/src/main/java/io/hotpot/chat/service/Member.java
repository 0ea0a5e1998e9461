package io.hotpot.chat.service;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import io.hotpot.chat.metrics.ChatMetrics;
import io.hotpot.common.ChatProtocol;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * One open chat connection: who it is, its room, its send queue and rate budget, and which
 * message it has been sent last. Messages arriving while its history is still being read are
 * held back and sent after it, so a joining member sees no gap and no duplicate.
 */
public final class Member {
    private static final Logger LOG = Logger.getLogger(Member.class);

    private final ChatMetrics metrics;

    private final WebSocketConnection connection;
    private final String user;
    private final String room;
    private final int sendQueueLimit;
    private final RateLimiter rate;
    private final boolean extended;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile long lastHeardNanos = System.nanoTime();
    /** Guarded by {@code this}: null once caught up. */
    private List<String[]> heldBack = new ArrayList<>();
    /** Guarded by {@code this}: what waits for the catch-up to finish. */
    private final List<Runnable> afterCatchUp = new ArrayList<>();
    /** Guarded by {@code this}: the id of the last message sent to the client. */
    private String lastSent = StreamIds.ZERO;

    /**
     * @param extended whether the client asked for Hotpot's extended frames ({@code hotpot.v1});
     *                 otherwise it is sent chat messages as plain {@code {"message": …}} frames only
     */
    public Member(WebSocketConnection connection, String user, String room, int sendQueueLimit, RateLimiter rate,
            boolean extended, ChatMetrics metrics) {
        this.metrics = metrics;
        this.extended = extended;
        this.connection = connection;
        this.user = user;
        this.room = room;
        this.sendQueueLimit = sendQueueLimit;
        this.rate = rate;
    }

    public String id() {
        return connection.id();
    }

    public String user() {
        return user;
    }

    public String room() {
        return room;
    }

    public WebSocketConnection connection() {
        return connection;
    }

    /** Whether this client gets Hotpot's extended frames (history, presence, errors, reconnect). */
    public boolean extended() {
        return extended;
    }

    public RateLimiter rate() {
        return rate;
    }

    public void heard() {
        lastHeardNanos = System.nanoTime();
    }

    public long lastHeardNanos() {
        return lastHeardNanos;
    }

    /** A room message from the relay: sent now, held back during catch-up, or dropped if already sent. */
    public void deliver(String id, ChatFrame frame) {
        deliver(id, frame.text(this));
    }

    private synchronized void deliver(String id, String frame) {
        if (heldBack != null) {
            heldBack.add(new String[] { id, frame });
            return;
        }
        if (StreamIds.compare(id, lastSent) > 0) {
            lastSent = id;
            send(frame);
        }
    }

    /** A frame without a stream id (task events): held back during catch-up, else sent now. */
    public synchronized void deliverInOrder(String frame) {
        if (heldBack != null) {
            heldBack.add(new String[] { null, frame });
        } else {
            send(frame);
        }
    }

    /** Runs once the catch-up frames are sent (now, if they already are). */
    public synchronized void afterCatchUp(Runnable action) {
        if (heldBack == null) {
            action.run();
        } else {
            afterCatchUp.add(action);
        }
    }

    /**
     * Sends the history (or the recovered messages) read from the stream, whose newest entry
     * was {@code newest} when read, then {@code afterHistory} (unless null), then what was held
     * back meanwhile, and goes live.
     */
    public synchronized void catchUp(List<String[]> history, String newest, String afterHistory) {
        for (String[] entry : history) {
            if (StreamIds.compare(entry[0], lastSent) > 0) {
                lastSent = entry[0];
                send(entry[1]);
            }
        }
        if (StreamIds.compare(newest, lastSent) > 0) {
            lastSent = newest;
        }
        if (afterHistory != null) {
            send(afterHistory);
        }
        List<String[]> held = heldBack;
        heldBack = null;
        for (String[] entry : held) {
            if (entry[0] == null) {
                send(entry[1]);
            } else {
                deliver(entry[0], entry[1]);
            }
        }
        afterCatchUp.forEach(Runnable::run);
        afterCatchUp.clear();
    }

    public synchronized String lastSent() {
        return lastSent;
    }

    /** Queues a frame; a client whose queue passes the bound is closed instead of slowing the room. */
    public void send(String frame) {
        if (closing.get()) {
            return;
        }
        if (queued.incrementAndGet() > sendQueueLimit) {
            LOG.warnf("HOTPOT-CHAT-010 closing slow consumer %s (user %s, room %s): more than %d frames unsent",
                    connection.id(), user, room, sendQueueLimit);
            metrics.droppedSlowConsumer();
            close(ChatProtocol.CLOSE_SLOW_CONSUMER, "slow consumer: send queue full");
            return;
        }
        metrics.sent();
        connection.sendText(frame).subscribe().with(ok -> queued.decrementAndGet(), failure -> queued.decrementAndGet());
    }

    /** Closes once, whatever asks first; completes when the close frame is written. */
    public CompletableFuture<Void> close(int code, String reason) {
        if (!closing.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        return connection.close(new CloseReason(code, reason)).onFailure().recoverWithNull()
                .subscribeAsCompletionStage();
    }

    public boolean closing() {
        return closing.get();
    }
}
