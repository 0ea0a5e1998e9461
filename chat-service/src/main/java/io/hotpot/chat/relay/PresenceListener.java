package io.hotpot.chat.relay;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hotpot.chat.service.Member;
import io.hotpot.common.ChatPresence;
import io.hotpot.common.ChatProtocol;
import io.hotpot.common.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Subscribes (on a connection of its own, made again whenever Redis drops it: {@link Subscription})
 * to the presence channel and tells this replica's members of their room's joins and leaves.
 */
@ApplicationScoped
public class PresenceListener {
    private static final Logger LOG = Logger.getLogger(PresenceListener.class);

    private final RoomRelay relay;
    private final ObjectMapper mapper;
    private final Subscription subscription;

    public PresenceListener(ReactiveRedisDataSource redis, RoomRelay relay, ObjectMapper mapper) {
        this.relay = relay;
        this.mapper = mapper;
        this.subscription = new Subscription(redis, RedisKeys.CHAT_PRESENCE_CHANNEL, this::onEvent);
    }

    void start(@Observes StartupEvent event) {
        subscription.start();
    }

    void stop(@Observes ShutdownEvent event) {
        subscription.stop();
    }

    public Subscription subscription() {
        return subscription;
    }

    private void onEvent(String json) {
        try {
            ChatPresence event = mapper.readValue(json, ChatPresence.class);
            ObjectNode frame = mapper.createObjectNode().put("type", ChatProtocol.TYPE_PRESENCE);
            frame.setAll((ObjectNode) mapper.valueToTree(event));
            String text = frame.toString();
            for (Member member : relay.localMembers(event.room())) {
                // A Channels-style client knows only {"message": …} frames.
                if (member.extended()) {
                    member.send(text);
                }
            }
        } catch (Exception e) {
            LOG.warnf("HOTPOT-CHAT-006 unreadable presence event: %s", e.getMessage());
        }
    }
}
