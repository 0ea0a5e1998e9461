package io.hotpot.chat.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hotpot.chat.service.ChatService;
import io.hotpot.chat.service.Member;
import io.hotpot.common.ChatProtocol;
import io.hotpot.common.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A member that stops reading is closed with 4008 once 300 frames wait for it, and the room
 * goes on for the others. (Its own profile: a small send queue and no rate limit, so the test
 * can outrun the socket buffers quickly.)
 */
@QuarkusTest
@TestProfile(SlowConsumerTest.SmallSendQueue.class)
class SlowConsumerTest {
    public static class SmallSendQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // The idle timeout is long here, so the silent slow client is closed for its queue only.
            return Map.of("hotpot.chat.send-queue-limit", "300", "hotpot.chat.rate-per-second", "100000",
                    "hotpot.chat.rate-burst", "100000", "hotpot.chat.history-cap", "100", "hotpot.chat.idle-timeout", "120s");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisDataSource redis;

    @Inject
    ChatService chat;

    private final String room = "slow-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void deleteRoom() {
        redis.sortedSet(String.class).zrem(RedisKeys.CHAT_ROOMS, room, "secret-" + room);
        redis.key().del(RedisKeys.chatRoom(room), RedisKeys.chatMembers(room));
    }

    @Test
    void aMemberThatStopsReadingIsClosedAndTheOthersCarryOn() throws Exception {
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()));
            OutputStream out = slow.getOutputStream();
            String key = Base64.getEncoder().encodeToString(UUID.randomUUID().toString().substring(0, 16).getBytes());
            out.write(("GET /ws/chat/" + room + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                    + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try (ChatClient sender = ChatClient.connect(URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/ws/chat/" + room));
                    ChatClient reader = ChatClient.connect(URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/ws/chat/" + room))) {
                sender.next("history");
                reader.next("history");
                String text = "y".repeat(4000);
                int sent = 0;
                while (sent < 6000 && !slowMemberClosing()) {
                    for (int i = 0; i < 100; i++) {
                        sender.say(text);
                    }
                    sent += 100;
                    reader.messages(100); // the reader keeps up
                }
                assertTrue(slowMemberClosing(), "the slow member was closed after " + sent + " messages");
                assertEquals(1, chat.localMembers(room).stream().filter(Member::closing).count(), "only the slow member");
                sender.say("after");
                reader.next(f -> "after".equals(f.path("message").asText()));
            }
            // Behind what was queued for it, the slow client finds the close frame with 4008.
            slow.setSoTimeout(20_000);
            assertEquals(ChatProtocol.CLOSE_SLOW_CONSUMER, readUntilClose(new DataInputStream(slow.getInputStream())));
        }
    }

    private boolean slowMemberClosing() {
        List<Member> members = chat.localMembers(room);
        return members.stream().anyMatch(Member::closing);
    }

    private static int readUntilClose(DataInputStream in) throws Exception {
        // Skip the HTTP response head.
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            matched = (c == '\r' && (matched == 0 || matched == 2)) || (c == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
        while (true) {
            int b0 = in.readUnsignedByte();
            int len = in.readUnsignedByte() & 0x7f;
            long length = len == 126 ? in.readUnsignedShort() : len == 127 ? in.readLong() : len;
            byte[] payload = in.readNBytes((int) length);
            if ((b0 & 0x0f) == 0x8) {
                return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
            }
        }
    }
}
