package io.hotpot.chat.relay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hotpot.chat.config.ChatConfig;
import io.hotpot.chat.metrics.ChatMetrics;
import io.hotpot.chat.service.Member;
import io.hotpot.common.ChatPresence;
import io.hotpot.common.ChatProtocol;
import io.hotpot.common.RedisKeys;
import io.hotpot.redis.RedisSubscription;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.Vertx;

/**
 * Subscribes (on a connection of its own, made again whenever Redis drops it: {@link RedisSubscription})
 * to the presence channel and tells this replica's members of their room's joins and leaves.
 *
 * <p>A room with up to {@code hotpot.chat.presence-live-up-to} members here gets a frame per
 * join and leave. A bigger one gets, once per {@code hotpot.chat.presence-interval}, one
 * {@code summary} frame of the users who joined and left meanwhile (net per user), so 1,000
 * members joining cost about 1,000 frames a second instead of a frame to every member for every
 * join. A room back at the live size returns to single frames after its next summary.
 */
@ApplicationScoped
public class PresenceListener {
    private static final Logger LOG = Logger.getLogger(PresenceListener.class);

    private final RoomRelay relay;
    private final ObjectMapper mapper;
    private final ChatMetrics metrics;
    private final RedisSubscription subscription;
    private final int liveUpTo;
    /** Guarded by {@code this}: per summarised room, user → joins minus leaves since the last summary. */
    private final Map<String, Map<String, Integer>> pending = new LinkedHashMap<>();

    public PresenceListener(Vertx vertx, ReactiveRedisDataSource redis, RoomRelay relay, ObjectMapper mapper, ChatMetrics metrics,
            ChatConfig config) {
        this.relay = relay;
        this.mapper = mapper;
        this.metrics = metrics;
        this.liveUpTo = config.chat().presenceLiveUpTo();
        this.subscription = new RedisSubscription(vertx, redis, RedisKeys.CHAT_PRESENCE_CHANNEL, this::onEvent);
    }

    void start(@Observes StartupEvent event) {
        subscription.start();
    }

    void stop(@Observes ShutdownEvent event) {
        subscription.stop();
    }

    public RedisSubscription subscription() {
        return subscription;
    }

    private void onEvent(String json) {
        ChatPresence event;
        try {
            event = mapper.readValue(json, ChatPresence.class);
        } catch (Exception e) {
            LOG.warnf("HOTPOT-CHAT-006 unreadable presence event: %s", e.getMessage());
            return;
        }
        synchronized (this) {
            Map<String, Integer> summarised = pending.get(event.room());
            Set<Member> members = relay.localMembers(event.room());
            if (summarised == null && members.size() > liveUpTo) {
                summarised = new LinkedHashMap<>();
                pending.put(event.room(), summarised);
            }
            if (summarised != null) {
                summarised.merge(event.user(), ChatPresence.JOIN.equals(event.event()) ? 1 : -1, Integer::sum);
                return;
            }
            ObjectNode frame = mapper.createObjectNode().put("type", ChatProtocol.TYPE_PRESENCE);
            frame.setAll((ObjectNode) mapper.valueToTree(event));
            metrics.presenceSent(false, sendToExtended(members, frame.toString()));
        }
    }

    /**
     * Sends each summarised room its summary; a room back at the live size then goes back to a
     * frame per join and leave (under the same lock as {@link #onEvent}, so none overtakes the summary).
     */
    @Scheduled(identity = "chat-presence-summaries", every = "${hotpot.chat.presence-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void sendSummaries() {
        Instant now = Instant.now();
        for (var it = pending.entrySet().iterator(); it.hasNext();) {
            var room = it.next();
            Set<Member> members = relay.localMembers(room.getKey());
            if (members.size() <= liveUpTo) {
                it.remove();
            }
            List<String> joined = new ArrayList<>();
            List<String> left = new ArrayList<>();
            room.getValue().forEach((user, net) -> {
                if (net > 0) {
                    joined.add(user);
                } else if (net < 0) {
                    left.add(user);
                }
            });
            room.getValue().clear();
            if (joined.isEmpty() && left.isEmpty()) {
                continue;
            }
            ObjectNode frame = mapper.createObjectNode().put("type", ChatProtocol.TYPE_PRESENCE)
                    .put("room", room.getKey()).put("event", ChatProtocol.PRESENCE_SUMMARY);
            joined.forEach(frame.putArray("joined")::add);
            left.forEach(frame.putArray("left")::add);
            frame.put("at", now.toString());
            metrics.presenceSent(true, sendToExtended(members, frame.toString()));
        }
    }

    /** A Channels-style client knows only {"message": …} frames: presence goes to extended clients. */
    private static int sendToExtended(Set<Member> members, String text) {
        int sent = 0;
        for (Member member : members) {
            if (member.extended()) {
                member.send(text);
                sent++;
            }
        }
        return sent;
    }
}
