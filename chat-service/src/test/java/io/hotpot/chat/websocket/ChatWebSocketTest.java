package io.hotpot.chat.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.hotpot.common.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** The chat protocol over real WebSocket clients: fan-out, history, recovery, presence. */
@QuarkusTest
class ChatWebSocketTest {
    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisDataSource redis;

    private final String room = "t-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void deleteRoom() {
        redis.sortedSet(String.class).zrem(RedisKeys.CHAT_ROOMS, room, "secret-" + room);
        redis.key().del(RedisKeys.chatRoom(room), RedisKeys.chatMembers(room));
    }

    private URI ws(String path) {
        return URI.create("ws://" + base.getHost() + ":" + base.getPort() + path);
    }

    @Test
    void everyMemberReceivesEachMessageWithIdUserAndTime() throws Exception {
        try (ChatClient a = ChatClient.connect(ws("/ws/chat/" + room + "/"));
                ChatClient b = ChatClient.connect(ws("/ws/chat/" + room))) {
            a.next("history");
            b.next("history");
            a.say("hello");
            JsonNode atA = a.next("message");
            JsonNode atB = b.next("message");
            assertEquals("hello", atA.get("message").asText());
            assertEquals(atA, atB);
            assertTrue(atA.get("id").asText().matches("\\d+-\\d+"));
            assertTrue(atA.get("user").asText().startsWith("anonymous-"));
            assertTrue(atA.hasNonNull("ts"));
            assertEquals(room, atA.get("room").asText());
        }
    }

    @Test
    void aJoiningMemberGetsTheHistoryThenLiveMessages() throws Exception {
        try (ChatClient a = ChatClient.connect(ws("/ws/chat/" + room))) {
            a.next("history");
            for (int i = 0; i < 3; i++) {
                a.say("m" + i);
            }
            a.messages(3);
            try (ChatClient b = ChatClient.connect(ws("/ws/chat/" + room))) {
                List<JsonNode> history = b.messages(3);
                assertEquals(List.of("m0", "m1", "m2"), history.stream().map(m -> m.get("message").asText()).toList());
                JsonNode marker = b.next("history");
                assertEquals(3, marker.get("count").asInt());
                assertEquals(history.get(2).get("id").asText(), marker.get("lastId").asText());
                a.say("live");
                assertEquals("live", b.next("message").get("message").asText());
            }
        }
    }

    @Test
    void aReconnectingMemberGetsWhatItMissedOnceThenLive() throws Exception {
        try (ChatClient a = ChatClient.connect(ws("/ws/chat/" + room))) {
            a.next("history");
            a.say("seen");
            String lastSeen = a.next("message").get("id").asText();
            for (int i = 0; i < 5; i++) {
                a.say("missed" + i);
            }
            a.messages(5);
            try (ChatClient b = ChatClient.connect(ws("/ws/chat/" + room + "/?lastId=" + lastSeen))) {
                List<JsonNode> recovered = b.messages(5);
                assertEquals(List.of("missed0", "missed1", "missed2", "missed3", "missed4"),
                        recovered.stream().map(m -> m.get("message").asText()).toList());
                JsonNode marker = b.next("history");
                assertTrue(marker.get("recovered").asBoolean());
                assertTrue(marker.get("complete").asBoolean());
                a.say("after");
                assertEquals("after", b.next("message").get("message").asText());
            }
        }
    }

    @Test
    void membersSeeJoinsAndLeaves() throws Exception {
        try (ChatClient a = ChatClient.connect(ws("/ws/chat/" + room))) {
            String me = a.next("history").get("user").asText();
            a.next(f -> "presence".equals(f.path("type").asText()) && me.equals(f.path("user").asText()));
            String other;
            try (ChatClient b = ChatClient.connect(ws("/ws/chat/" + room))) {
                other = b.next("history").get("user").asText();
                JsonNode join = a.next(f -> "presence".equals(f.path("type").asText()) && "join".equals(f.path("event").asText())
                        && !me.equals(f.path("user").asText()));
                assertEquals(other, join.get("user").asText());
                assertEquals(2, redis.sortedSet(String.class).zcard(RedisKeys.chatMembers(room)));
            }
            JsonNode leave = a.next(f -> "leave".equals(f.path("event").asText()));
            assertEquals(other, leave.get("user").asText());
            assertFalse(redis.sortedSet(String.class).zrange(RedisKeys.chatMembers(room), 0, -1).stream()
                    .anyMatch(m -> m.endsWith("|" + other)));
        }
    }
}
