package io.hotpot.chat.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.hotpot.common.ChatProtocol;
import io.hotpot.common.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Django Channels compatibility: a client that offers no subprotocol (a page written for the
 * Channels tutorial) gets nothing but {@code {"message": …}} frames; one that offers
 * {@code hotpot.v1} or sends {@code ?protocol=hotpot.v1} gets the extended frames.
 */
@QuarkusTest
class ChannelsFramesTest {
    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisDataSource redis;

    private final String room = "ch-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void deleteRoom() {
        redis.sortedSet(String.class).zrem(RedisKeys.CHAT_ROOMS, room);
        redis.key().del(RedisKeys.chatRoom(room), RedisKeys.chatMembers(room));
    }

    private URI ws(String path) {
        return URI.create("ws://" + base.getHost() + ":" + base.getPort() + path);
    }

    @Test
    void aChannelsClientGetsOnlyPlainMessageFrames() throws Exception {
        try (ChatClient hotpot = ChatClient.connect(ws("/ws/chat/" + room + "/"))) {
            hotpot.next(ChatProtocol.TYPE_HISTORY);
            hotpot.say("before");
            hotpot.next(ChatProtocol.TYPE_MESSAGE);
            try (ChatClient channels = ChatClient.connectOffering(ws("/ws/chat/" + room + "/"), List.of())) {
                assertEquals("", channels.subprotocol);
                // The history arrives as plain messages, with no marker after it.
                JsonNode first = channels.frames.poll(10, TimeUnit.SECONDS);
                assertEquals("{\"message\":\"before\"}", String.valueOf(first));
                // Its join is a presence frame for the extended client only.
                assertEquals("join", hotpot.next(ChatProtocol.TYPE_PRESENCE).get("event").asText());
                // A refused frame: an error frame for an extended client, nothing for a Channels client.
                channels.sendRaw("not json");
                channels.say("from channels");
                // Two connections' frames have no order between them: the second is sent only once the
                // first has gone round the room.
                assertEquals("from channels", hotpot.next(ChatProtocol.TYPE_MESSAGE).get("message").asText());
                hotpot.say("from hotpot");
                List<JsonNode> got = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (got.size() < 2 && System.nanoTime() < deadline) {
                    JsonNode frame = channels.frames.poll(100, TimeUnit.MILLISECONDS);
                    if (frame != null) {
                        got.add(frame);
                    }
                }
                assertEquals(List.of("{\"message\":\"from channels\"}", "{\"message\":\"from hotpot\"}"),
                        got.stream().map(String::valueOf).toList());
                // The extended client sees its own message after them: nothing else can still be in flight to the plain one.
                assertEquals("from hotpot", hotpot.next(ChatProtocol.TYPE_MESSAGE).get("message").asText());
                assertTrue(channels.frames.isEmpty(), "only message frames: " + channels.frames);
            }
            assertEquals("leave", hotpot.next(ChatProtocol.TYPE_PRESENCE).get("event").asText());
        }
    }

    @Test
    void theQueryFlagAsksForExtendedFramesWithoutASubprotocol() throws Exception {
        try (ChatClient flagged = ChatClient.connectOffering(ws("/ws/chat/" + room + "/?protocol=hotpot.v1"), List.of())) {
            assertEquals(0, flagged.next(ChatProtocol.TYPE_HISTORY).get("count").asInt());
            flagged.sendRaw("not json");
            assertEquals("not_json", flagged.next(ChatProtocol.TYPE_ERROR).get("code").asText());
        }
    }

    @Test
    void aChannelsClientRefusedAtTheDoorGetsACloseCodeAndNoFrame() throws Exception {
        try (ChatClient channels = ChatClient.connectOffering(ws("/ws/chat/bad%20room/"), List.of())) {
            assertEquals(ChatProtocol.CLOSE_POLICY, channels.awaitClose());
            assertTrue(channels.frames.isEmpty(), String.valueOf(channels.frames));
        }
    }
}
