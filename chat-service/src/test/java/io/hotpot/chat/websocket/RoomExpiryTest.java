package io.hotpot.chat.websocket;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hotpot.chat.config.ChatConfig;
import io.hotpot.common.ChatProtocol;
import io.hotpot.common.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Idle rooms expire: every message, and every presence refresh of a room with members, sets its stream's expiry. */
@QuarkusTest
class RoomExpiryTest {
    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisDataSource redis;

    @Inject
    ChatConfig config;

    private final String room = "exp-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void deleteRoom() {
        redis.sortedSet(String.class).zrem(RedisKeys.CHAT_ROOMS, room);
        redis.key().del(RedisKeys.chatRoom(room), RedisKeys.chatMembers(room));
    }

    private URI ws(String path) {
        return URI.create("ws://" + base.getHost() + ":" + base.getPort() + path);
    }

    private long ttlMillis() {
        return redis.key(String.class).pttl(RedisKeys.chatRoom(room));
    }

    @Test
    void aMessageGivesTheRoomStreamTheConfiguredLifetime() throws Exception {
        long configured = config.chat().roomTtl().toMillis();
        try (ChatClient client = ChatClient.connect(ws("/ws/chat/" + room + "/"))) {
            client.next(ChatProtocol.TYPE_HISTORY);
            client.say("hello");
            client.next(ChatProtocol.TYPE_MESSAGE);
        }
        long ttl = ttlMillis();
        assertTrue(ttl > configured - 60_000 && ttl <= configured, "PTTL " + ttl + " of " + configured);
    }

    @Test
    void aRoomInUseKeepsItsHistoryAlive() throws Exception {
        // A stream written before expiry existed (or by another writer) has no expiry of its own.
        redis.stream(String.class).xadd(RedisKeys.chatRoom(room), Map.of("user", "old", "message", "kept", "ts", "1"));
        assertEquals(-1, ttlMillis());
        try (ChatClient client = ChatClient.connect(ws("/ws/chat/" + room + "/"))) {
            assertEquals("kept", client.next(ChatProtocol.TYPE_MESSAGE).get("message").asText());
            // The test profile refreshes presence every second.
            await().atMost(Duration.ofSeconds(10)).until(() -> ttlMillis() > 0);
        }
    }
}
