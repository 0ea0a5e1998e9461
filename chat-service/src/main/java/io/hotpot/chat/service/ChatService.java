package io.hotpot.chat.service;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hotpot.chat.config.ChatConfig;
import io.hotpot.chat.metrics.ChatMetrics;
import io.hotpot.chat.relay.Presence;
import io.hotpot.chat.relay.RoomRelay;
import io.hotpot.common.ChatMessage;
import io.hotpot.common.ChatProtocol;
import io.hotpot.common.RedisKeys;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * The chat rooms: admits a connection (token, room, limits), sends it the history or what it
 * missed, publishes what members say, and enforces the per-connection limits. Called by the
 * WebSocket endpoints on worker threads, one message of a connection at a time.
 */
@ApplicationScoped
public class ChatService {
    private static final Logger LOG = Logger.getLogger(ChatService.class);

    private final ChatConfig.Chat config;
    private final RoomRelay relay;
    private final Presence presence;
    private final TokenVerifier tokens;
    private final StreamCommands<String, String, String> streams;
    private final RedisDataSource redis;
    private final ObjectMapper mapper;
    private final Map<String, Member> members = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean draining;

    private final ChatMetrics metrics;

    public ChatService(ChatConfig config, RoomRelay relay, Presence presence, TokenVerifier tokens,
            RedisDataSource redis, ObjectMapper mapper, ChatMetrics metrics) {
        this.metrics = metrics;
        this.config = config.chat();
        this.relay = relay;
        this.presence = presence;
        this.tokens = tokens;
        this.streams = redis.stream(String.class);
        this.redis = redis;
        this.mapper = mapper;
    }

    /** Admits a connection to {@code /ws/chat/{room}} or closes it with an error frame and a close code. */
    public void open(WebSocketConnection connection) {
        Map<String, List<String>> query = new QueryStringDecoder("?" + Optional.ofNullable(connection.handshakeRequest().query()).orElse(""))
                .parameters();
        boolean extended = extended(connection, query);
        if (open.incrementAndGet() > config.maxConnections() || draining) {
            open.decrementAndGet();
            refuse(connection, extended, "too_many_connections", "this replica is full; try again", ChatProtocol.CLOSE_TRY_AGAIN);
            return;
        }
        String room = connection.pathParam("room");
        if (room == null || !ChatProtocol.ROOM_NAME.matcher(room).matches()) {
            refuseAndRelease(connection, extended, "bad_room", "room names are 1 to 64 letters, digits, '_', '-' or '.'");
            return;
        }
        TokenVerifier.Identified who = tokens.identify(connection.handshakeRequest(), config.allowAnonymous());
        if (who.caller() == null) {
            refuseAndRelease(connection, extended, who.error(), "invalid_token".equals(who.error())
                    ? "the token is invalid or expired; ask POST /api/tokens for a new one"
                    : "send a token (subprotocol hotpot.bearer.<token>, Authorization: Bearer, or ?token=)");
            return;
        }
        if (!who.caller().may(ChatProtocol.ROLE_CHAT)) {
            refuseAndRelease(connection, extended, "forbidden_role",
                    "your token does not carry the role 'chat'; ask POST /api/tokens for a chat token");
            return;
        }
        String user = who.caller().user();
        Optional<Set<String>> allowedRooms = who.caller().rooms();
        if (!mayJoin(room, allowedRooms)) {
            refuseAndRelease(connection, extended, "forbidden_room", "your token does not allow the room '" + room + "'");
            return;
        }
        String lastId = first(query, "lastId");
        if (lastId != null && !StreamIds.valid(lastId)) {
            refuseAndRelease(connection, extended, "bad_last_id", "lastId must be a message id such as 1764168000000-0");
            return;
        }
        Member member = new Member(connection, user, room, config.sendQueueLimit(),
                new RateLimiter(config.ratePerSecond(), config.rateBurst()), extended, metrics);
        members.put(connection.id(), member);
        metrics.connected();
        relay.join(member);
        catchUp(member, lastId);
        presence.joined(member);
    }

    /**
     * Whether a client asked for Hotpot's extended frames: it offered the subprotocol
     * {@code hotpot.v1} (selected in the handshake) or sent {@code ?protocol=hotpot.v1}. Any other
     * client is taken for a Django Channels page and gets {@code {"message": …}} frames only.
     */
    private static boolean extended(WebSocketConnection connection, Map<String, List<String>> query) {
        return ChatProtocol.SUBPROTOCOL.equals(connection.subprotocol())
                || ChatProtocol.SUBPROTOCOL.equals(first(query, ChatProtocol.EXTENDED_QUERY));
    }

    private void catchUp(Member member, String lastId) {
        String key = RedisKeys.chatRoom(member.room());
        List<StreamMessage<String, String, String>> newestFirst = lastId == null
                ? streams.xrevrange(key, StreamRange.of("+", "-"), config.historySize())
                : streams.xrevrange(key, StreamRange.of("+", "(" + lastId), config.historyCap());
        List<StreamMessage<String, String, String>> entries = new ArrayList<>(newestFirst);
        Collections.reverse(entries);
        List<String[]> frames = new ArrayList<>(entries.size());
        for (StreamMessage<String, String, String> entry : entries) {
            frames.add(new String[] { entry.id(), relay.frame(member.room(), entry).text(member) });
        }
        String newest = entries.isEmpty() ? (lastId == null ? StreamIds.ZERO : lastId) : entries.get(entries.size() - 1).id();
        ObjectNode marker = mapper.createObjectNode().put("type", ChatProtocol.TYPE_HISTORY)
                .put("room", member.room()).put("user", member.user()).put("count", entries.size())
                .put("lastId", newest).put("recovered", lastId != null)
                .put("complete", lastId == null || entries.size() < config.historyCap());
        member.catchUp(frames, newest, member.extended() ? marker.toString() : null);
    }

    /** A text frame from a member: publish it, or answer with an error frame and change nothing. */
    public void message(WebSocketConnection connection, String text) {
        Member member = members.get(connection.id());
        if (member == null) {
            return;
        }
        member.heard();
        if (text.getBytes(StandardCharsets.UTF_8).length > config.maxMessageBytes() + 1024) {
            error(member, "too_large", "messages are limited to " + config.maxMessageBytes() + " bytes");
            return;
        }
        JsonNode body;
        try {
            body = mapper.readTree(text);
        } catch (Exception e) {
            error(member, "not_json", "send JSON such as {\"message\":\"hello\"}");
            return;
        }
        if (body == null || !body.isObject() || !body.path("message").isTextual()) {
            error(member, "bad_message", "send an object with a string field 'message', such as {\"message\":\"hello\"}");
            return;
        }
        String message = body.get("message").asText();
        if (message.getBytes(StandardCharsets.UTF_8).length > config.maxMessageBytes()) {
            error(member, "too_large", "messages are limited to " + config.maxMessageBytes() + " bytes");
            return;
        }
        if (!member.rate().tryAcquire()) {
            error(member, "rate_limited", "at most " + config.ratePerSecond() + " messages per second (burst "
                    + config.rateBurst() + "); this one was dropped");
            return;
        }
        redis.execute("EVAL", ChatMessage.append(member.room(), config.historyCap(), config.roomTtl().toMillis(), member.user(),
                message, System.currentTimeMillis()));
        metrics.received();
    }

    /** Binary frames are not part of the protocol. */
    public void binary(WebSocketConnection connection) {
        Member member = members.get(connection.id());
        if (member != null) {
            member.heard();
            error(member, "binary_not_supported", "send text frames with JSON such as {\"message\":\"hello\"}");
        }
    }

    /** A pong (answer to the server's ping) shows the client is alive. */
    public void pong(WebSocketConnection connection) {
        Member member = members.get(connection.id());
        if (member != null) {
            member.heard();
        }
    }

    /**
     * A frame the WebSocket layer refused: a message beyond {@code max-message-size} overflows its
     * buffer and is closed with 1009; anything else with 1011.
     */
    public void failed(WebSocketConnection connection, IllegalStateException failure) {
        boolean tooBig = String.valueOf(failure.getMessage()).contains("overflow");
        LOG.infof("HOTPOT-CHAT-014 closing %s: %s", connection.id(), failure.getMessage());
        connection.close(tooBig ? new CloseReason(ChatProtocol.CLOSE_TOO_BIG, "message too big")
                : CloseReason.INTERNAL_SERVER_ERROR).subscribe().with(ok -> {
                }, e -> {
                });
    }

    public void closed(WebSocketConnection connection) {
        Member member = members.remove(connection.id());
        if (member == null) {
            return;
        }
        open.decrementAndGet();
        metrics.disconnected();
        relay.leave(member);
        try {
            presence.left(member);
        } catch (RuntimeException e) {
            LOG.warnf("HOTPOT-CHAT-003 could not record that %s left %s: %s", member.user(), member.room(), e.getMessage());
        }
    }

    /** Members on this replica of one room (for tests and health). */
    public List<Member> localMembers(String room) {
        return List.copyOf(relay.localMembers(room));
    }

    /**
     * Draining (SIGTERM, rolling update): tells each member to reconnect with the id of the last
     * message it was sent, then closes it with 1001. Runs at the start of the shutdown delay
     * ({@code quarkus.shutdown.delay}), while the HTTP server still serves.
     */
    void drain(@Observes ShutdownDelayInitiatedEvent event) {
        drain();
    }

    void drainIfNotYet(@Observes @Priority(1) ShutdownEvent event) {
        drain();
    }

    private synchronized void drain() {
        if (draining) {
            return;
        }
        draining = true;
        List<Member> all = List.copyOf(members.values());
        LOG.infof("HOTPOT-CHAT-020 draining: telling %d members to reconnect", all.size());
        List<CompletableFuture<Void>> closes = new ArrayList<>();
        for (Member member : all) {
            if (member.extended()) {
                member.send(mapper.createObjectNode().put("type", ChatProtocol.TYPE_RECONNECT)
                        .put("room", member.room()).put("lastId", member.lastSent()).toString());
            }
            closes.add(member.close(ChatProtocol.CLOSE_GOING_AWAY, "server shutting down; reconnect with lastId"));
        }
        try {
            CompletableFuture.allOf(closes.toArray(CompletableFuture[]::new)).get(config.drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warnf("HOTPOT-CHAT-021 draining: not every close was written within %s", config.drainTimeout());
        }
    }

    /** Closes silent connections and refreshes this replica's presence; on a worker thread (Redis calls block). */
    @Scheduled(identity = "chat-housekeeping", every = "${hotpot.chat.presence-refresh}",
            delayed = "${hotpot.chat.presence-refresh}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void housekeep() {
        if (draining) {
            return; // the members are being told to reconnect elsewhere
        }
        try {
            long idleNanos = config.idleTimeout().toNanos();
            long now = System.nanoTime();
            for (Member member : members.values()) {
                if (now - member.lastHeardNanos() > idleNanos) {
                    LOG.infof("HOTPOT-CHAT-011 closing silent connection %s (user %s)", member.id(), member.user());
                    member.close(ChatProtocol.CLOSE_IDLE, "idle: nothing heard for " + config.idleTimeout());
                }
            }
            presence.refresh(List.copyOf(members.values()));
        } catch (RuntimeException e) {
            LOG.warnf("HOTPOT-CHAT-004 presence refresh failed: %s", e.getMessage());
        }
    }

    private boolean mayJoin(String room, Optional<Set<String>> allowedRooms) {
        if (allowedRooms.isPresent()) {
            return allowedRooms.get().contains(room);
        }
        return config.restrictedRooms().orElse(List.of()).stream().noneMatch(pattern -> pattern.endsWith("*")
                ? room.startsWith(pattern.substring(0, pattern.length() - 1))
                : room.equals(pattern));
    }

    /** A refused frame: an error frame to a client that reads them; a Channels-style client only sees nothing arrive. */
    private void error(Member member, String code, String detail) {
        if (member.extended()) {
            member.send(errorFrame(code, detail));
        } else {
            LOG.debugf("HOTPOT-CHAT-015 dropped a frame of %s (plain frames, no error frame): %s", member.id(), code);
        }
    }

    private String errorFrame(String code, String detail) {
        return mapper.createObjectNode().put("type", ChatProtocol.TYPE_ERROR).put("code", code).put("error", detail).toString();
    }

    private void refuseAndRelease(WebSocketConnection connection, boolean extended, String code, String detail) {
        open.decrementAndGet();
        refuse(connection, extended, code, detail, ChatProtocol.CLOSE_POLICY);
    }

    /** Closes with {@code closeCode} and the code as reason; a client of the extended frames gets an error frame first. */
    private void refuse(WebSocketConnection connection, boolean extended, String code, String detail, int closeCode) {
        LOG.debugf("HOTPOT-CHAT-012 refused %s: %s", connection.id(), code);
        io.smallrye.mutiny.Uni<Void> sent = extended ? connection.sendText(errorFrame(code, detail))
                : io.smallrye.mutiny.Uni.createFrom().voidItem();
        sent.onItemOrFailure().transformToUni((ok, failure) -> connection.close(new CloseReason(closeCode, code)))
                .subscribe().with(ok -> {
                }, failure -> {
                });
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
