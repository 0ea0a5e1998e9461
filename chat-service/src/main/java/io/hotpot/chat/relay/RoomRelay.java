package io.hotpot.chat.relay;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hotpot.chat.config.ChatConfig;
import io.hotpot.chat.service.ChatFrame;
import io.hotpot.chat.service.Member;
import io.hotpot.common.ChatMessage;
import io.hotpot.common.ChatProtocol;
import io.hotpot.common.RedisKeys;
import io.quarkus.redis.client.RedisClientName;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.redis.datasource.stream.XReadArgs;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Fan-out across replicas: every message is appended to its room's Redis stream, and this
 * replica reads the streams of the rooms it has members in (one loop, one connection of its own,
 * the named client {@code relay}) and hands each entry to its local members. Each room keeps a
 * cursor (the last entry id read), so every entry reaches each member once and in stream order,
 * which is each sender's order (see docs/decisions/0010-chat-redis-layout.md).
 */
@ApplicationScoped
public class RoomRelay {
    private static final Logger LOG = Logger.getLogger(RoomRelay.class);
    private static final int READ_COUNT = 500;

    /** The relay's own connection: held by the blocking XREAD loop, and used for nothing else. */
    private final StreamCommands<String, String, String> streams;
    /** The default client, for the one read a room's first member needs (never queued behind the loop). */
    private final StreamCommands<String, String, String> lookups;
    private final ObjectMapper mapper;
    private final Duration block;
    private final Map<String, LocalRoom> rooms = new ConcurrentHashMap<>();
    private volatile boolean running;
    private Thread loop;

    public RoomRelay(@RedisClientName("relay") RedisDataSource relay, RedisDataSource redis, ObjectMapper mapper,
            ChatConfig config) {
        this.streams = relay.stream(String.class);
        this.lookups = redis.stream(String.class);
        this.mapper = mapper;
        this.block = config.chat().relayBlock();
    }

    /** A room with members on this replica; {@code cursor} is null until the room's first read position is known. */
    static final class LocalRoom {
        final String name;
        final Set<Member> members = ConcurrentHashMap.newKeySet();
        volatile String cursor;

        LocalRoom(String name) {
            this.name = name;
        }
    }

    void start(@Observes StartupEvent event) {
        running = true;
        loop = Thread.ofPlatform().name("hotpot-chat-relay").daemon().start(this::run);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (loop != null) {
            loop.interrupt();
        }
    }

    /**
     * Adds a member to its room on this replica; the first member fixes the room's read position
     * at the stream's newest entry, so the member's own history read (done after this) covers
     * everything before what the relay will deliver.
     */
    public void join(Member member) {
        LocalRoom room = rooms.compute(member.room(), (name, existing) -> {
            LocalRoom r = existing != null ? existing : new LocalRoom(name);
            r.members.add(member);
            return r;
        });
        synchronized (room) {
            if (room.cursor == null) {
                List<StreamMessage<String, String, String>> newest = lookups.xrevrange(
                        RedisKeys.chatRoom(room.name), StreamRange.of("+", "-"), 1);
                room.cursor = newest.isEmpty() ? "0-0" : newest.get(0).id();
            }
        }
    }

    public void leave(Member member) {
        rooms.computeIfPresent(member.room(), (name, room) -> {
            room.members.remove(member);
            return room.members.isEmpty() ? null : room;
        });
    }

    /** Members of a room on this replica. */
    public Set<Member> localMembers(String room) {
        LocalRoom r = rooms.get(room);
        return r == null ? Set.of() : r.members;
    }

    /** Every member on this replica. */
    public List<Member> allMembers() {
        return rooms.values().stream().flatMap(r -> r.members.stream()).toList();
    }

    /** The frames clients receive for a stream entry. */
    public ChatFrame frame(String room, StreamMessage<String, String, String> entry) {
        return frame(toMessage(room, entry));
    }

    /** Extended: {@code type}, the {@link ChatMessage} fields; plain: {@code message} alone, as Channels sends it. */
    public ChatFrame frame(ChatMessage message) {
        ObjectNode node = mapper.createObjectNode().put("type", ChatProtocol.TYPE_MESSAGE);
        node.setAll((ObjectNode) mapper.valueToTree(message));
        return new ChatFrame(node.toString(), mapper.createObjectNode().put("message", message.message()).toString());
    }

    public static ChatMessage toMessage(String room, StreamMessage<String, String, String> entry) {
        Map<String, String> fields = entry.payload();
        String ts = fields.get(ChatMessage.FIELD_TS);
        return new ChatMessage(entry.id(), room, fields.get(ChatMessage.FIELD_USER), fields.get(ChatMessage.FIELD_MESSAGE),
                ts == null ? null : Instant.ofEpochMilli(Long.parseLong(ts)));
    }

    private void run() {
        while (running) {
            Map<String, String> positions = new HashMap<>();
            Map<String, LocalRoom> byKey = new HashMap<>();
            for (LocalRoom room : rooms.values()) {
                String cursor = room.cursor;
                if (cursor != null) {
                    String key = RedisKeys.chatRoom(room.name);
                    positions.put(key, cursor);
                    byKey.put(key, room);
                }
            }
            try {
                if (positions.isEmpty()) {
                    Thread.sleep(block.toMillis());
                    continue;
                }
                List<StreamMessage<String, String, String>> entries = streams.xread(positions,
                        new XReadArgs().count(READ_COUNT).block(block));
                for (StreamMessage<String, String, String> entry : entries) {
                    LocalRoom room = byKey.get(entry.key());
                    // A room emptied and joined again meanwhile has a cursor of its own: leave it alone.
                    if (room == null || rooms.get(room.name) != room) {
                        continue;
                    }
                    ChatFrame frame = frame(room.name, entry);
                    for (Member member : room.members) {
                        member.deliver(entry.id(), frame);
                    }
                    room.cursor = entry.id();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.errorf(e, "HOTPOT-CHAT-001 reading the room streams failed; retrying in 1 s");
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
