package io.hotpot.chat.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
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
import io.smallrye.jwt.build.Jwt;

/**
 * Auth, limits and bad input, each against a real client: the test profile allows anonymous
 * users, restricts rooms {@code secret-*}, allows origin {@code https://good.example}, closes
 * silent connections after 4 s and accepts 100 connections.
 */
@QuarkusTest
class ChatRulesTest {
    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisDataSource redis;

    private final String room = "r-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void deleteRoom() {
        redis.sortedSet(String.class).zrem(RedisKeys.CHAT_ROOMS, room, "secret-" + room);
        redis.key().del(RedisKeys.chatRoom(room), RedisKeys.chatMembers(room),
                RedisKeys.chatRoom("secret-" + room), RedisKeys.chatMembers("secret-" + room));
    }

    private URI ws(String path) {
        return URI.create("ws://" + base.getHost() + ":" + base.getPort() + path);
    }

    private static String token(String user, List<String> rooms, long expiresInSeconds) {
        return token(user, rooms, expiresInSeconds, "chat");
    }

    private static String token(String user, List<String> rooms, long expiresInSeconds, String... roles) {
        var builder = Jwt.issuer("hotpot").upn(user).groups(java.util.Set.of(roles)).expiresIn(expiresInSeconds);
        if (rooms != null) {
            builder.claim("rooms", rooms);
        }
        return builder.sign();
    }

    private static int refusedWith(ChatClient client, String code) throws Exception {
        assertEquals(code, client.next("error").get("code").asText());
        return client.awaitClose();
    }

    @Test
    void aValidTokenNamesTheUserByQueryOrHeader() throws Exception {
        try (ChatClient byQuery = ChatClient.connect(ws("/ws/chat/" + room + "/?token=" + token("alice", null, 60)));
                ChatClient byHeader = ChatClient.connect(ws("/ws/chat/" + room),
                        Map.of("Authorization", "Bearer " + token("bob", null, 60)))) {
            assertEquals("alice", byQuery.next("history").get("user").asText());
            assertEquals("bob", byHeader.next("history").get("user").asText());
            byQuery.say("hi");
            assertEquals("alice", byHeader.next("message").get("user").asText());
        }
    }

    @Test
    void aTokenOfferedAsSubprotocolIsTakenAndNeverEchoed() throws Exception {
        String offered = ChatProtocol.BEARER_SUBPROTOCOL_PREFIX + token("dora", null, 60);
        try (ChatClient client = ChatClient.connectOffering(ws("/ws/chat/" + room + "/"),
                List.of(ChatProtocol.SUBPROTOCOL, offered))) {
            assertEquals(ChatProtocol.SUBPROTOCOL, client.subprotocol);
            assertEquals("dora", client.next("history").get("user").asText());
        }
        try (ChatClient forged = ChatClient.connectOffering(ws("/ws/chat/" + room + "/"),
                List.of(ChatProtocol.SUBPROTOCOL, ChatProtocol.BEARER_SUBPROTOCOL_PREFIX + "not.a.jwt"))) {
            assertEquals(ChatProtocol.CLOSE_POLICY, refusedWith(forged, "invalid_token"));
        }
    }

    @Test
    void aTokenWithoutTheChatRoleIsRefused() throws Exception {
        try (ChatClient readOnly = ChatClient.connect(ws("/ws/chat/" + room + "?token=" + token("rita", null, 60, "read")))) {
            assertEquals(ChatProtocol.CLOSE_POLICY, refusedWith(readOnly, "forbidden_role"));
        }
        try (ChatClient admin = ChatClient.connect(ws("/ws/chat/" + room + "?token=" + token("ada", null, 60, "admin")))) {
            assertEquals("ada", admin.next("history").get("user").asText());
        }
    }

    @Test
    void badExpiredOrForeignTokensAreClosedWithPolicyViolation() throws Exception {
        String expired = token("alice", null, -120);
        String wrongIssuer = Jwt.issuer("someone-else").upn("alice").expiresIn(60).sign();
        for (String token : List.of("not-a-jwt", expired, wrongIssuer)) {
            try (ChatClient client = ChatClient.connect(ws("/ws/chat/" + room + "?token=" + token))) {
                assertEquals(ChatProtocol.CLOSE_POLICY, refusedWith(client, "invalid_token"));
            }
        }
    }

    @Test
    void restrictedRoomsNeedATokenCarryingThem() throws Exception {
        String secret = "secret-" + room;
        try (ChatClient anonymous = ChatClient.connect(ws("/ws/chat/" + secret))) {
            assertEquals(ChatProtocol.CLOSE_POLICY, refusedWith(anonymous, "forbidden_room"));
        }
        try (ChatClient withoutIt = ChatClient.connect(ws("/ws/chat/" + secret + "?token=" + token("eve", null, 60)))) {
            assertEquals(ChatProtocol.CLOSE_POLICY, refusedWith(withoutIt, "forbidden_room"));
        }
        try (ChatClient otherRoom = ChatClient.connect(ws("/ws/chat/" + room + "?token=" + token("eve", List.of(secret), 60)))) {
            assertEquals(ChatProtocol.CLOSE_POLICY, refusedWith(otherRoom, "forbidden_room"));
        }
        try (ChatClient withIt = ChatClient.connect(ws("/ws/chat/" + secret + "?token=" + token("carol", List.of(secret), 60)))) {
            assertEquals("carol", withIt.next("history").get("user").asText());
        }
    }

    @Test
    void foreignOriginsAreRefusedAtTheHandshake() throws Exception {
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> ChatClient.connect(ws("/ws/chat/" + room), Map.of("Origin", "https://evil.example")));
        assertEquals(403, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
        try (ChatClient allowed = ChatClient.connect(ws("/ws/chat/" + room), Map.of("Origin", "https://good.example"))) {
            allowed.next("history");
        }
        String sameHost = "http://" + base.getHost() + ":" + base.getPort();
        try (ChatClient same = ChatClient.connect(ws("/ws/chat/" + room), Map.of("Origin", sameHost))) {
            same.next("history");
        }
    }

    @Test
    void badRoomNamesAreClosedWithPolicyViolation() throws Exception {
        for (String bad : List.of("a" .repeat(65), "bad%21room", "sp%20ace")) {
            try (ChatClient client = ChatClient.connect(ws("/ws/chat/" + bad))) {
                assertEquals(ChatProtocol.CLOSE_POLICY, refusedWith(client, "bad_room"));
            }
        }
        try (ChatClient client = ChatClient.connect(ws("/ws/chat/" + room + "?lastId=yesterday"))) {
            assertEquals(ChatProtocol.CLOSE_POLICY, refusedWith(client, "bad_last_id"));
        }
    }

    @Test
    void badInputGetsAnErrorFrameAndTheRoomCarriesOn() throws Exception {
        try (ChatClient a = ChatClient.connect(ws("/ws/chat/" + room)); ChatClient b = ChatClient.connect(ws("/ws/chat/" + room))) {
            a.next("history");
            b.next("history");
            a.sendRaw("hello?");
            assertEquals("not_json", a.next("error").get("code").asText());
            a.sendRaw("{\"text\":\"hi\"}");
            assertEquals("bad_message", a.next("error").get("code").asText());
            a.sendRaw("{\"message\":42}");
            assertEquals("bad_message", a.next("error").get("code").asText());
            a.sendRaw("[\"message\"]");
            assertEquals("bad_message", a.next("error").get("code").asText());
            a.socket.sendBinary(ByteBuffer.wrap(new byte[] { 1, 2, 3 }), true).join();
            assertEquals("binary_not_supported", a.next("error").get("code").asText());
            a.say("still here");
            assertEquals("still here", b.next("message").get("message").asText());
            assertEquals(1, redis.stream(String.class).xlen(RedisKeys.chatRoom(room)));
        }
    }

    @Test
    void messagesOverFourKilobytesGetAnErrorAndHugeFramesAClose1009() throws Exception {
        try (ChatClient a = ChatClient.connect(ws("/ws/chat/" + room))) {
            a.next("history");
            a.say("x".repeat(4097));
            assertEquals("too_large", a.next("error").get("code").asText());
            a.say("x".repeat(4096));
            assertEquals(4096, a.next("message").get("message").asText().length());
            a.say("x".repeat(200_000));
            assertEquals(ChatProtocol.CLOSE_TOO_BIG, a.awaitClose());
        }
    }

    @Test
    void aConnectionSendingFasterThanTheRateGetsErrorsOthersDoNot() throws Exception {
        try (ChatClient fast = ChatClient.connect(ws("/ws/chat/" + room)); ChatClient calm = ChatClient.connect(ws("/ws/chat/" + room))) {
            fast.next("history");
            calm.next("history");
            // 100 at once: even at the refill of 10 a second, taking them in would need 8 s, not a moment.
            for (int i = 0; i < 100; i++) {
                fast.say("f" + i);
            }
            fast.next(f -> "rate_limited".equals(f.path("code").asText()));
            calm.say("calm");
            calm.next(f -> "calm".equals(f.path("message").asText()));
            long accepted = redis.stream(String.class).xlen(RedisKeys.chatRoom(room)) - 1;
            // The burst (20) and what the rate refilled while sending, never all 100.
            assertTrue(accepted >= 20 && accepted < 100, "accepted " + accepted);
        }
    }

    @Test
    void theServerPingsAndClosesASilentConnectionAfterTheIdleTimeout() throws Exception {
        // A raw socket that completes the handshake and then never answers the server's pings.
        try (Socket socket = upgrade("/ws/chat/" + room, "", 20_000)) {
            InputStream in = socket.getInputStream();
            long start = System.nanoTime();
            int closeCode = -1;
            int pings = 0;
            // Read frames (unmasked from the server) until the close frame.
            while (closeCode < 0) {
                int b0 = in.read();
                if (b0 < 0) {
                    break;
                }
                if (b0 == 'H') {
                    skipHeaders(in);
                    continue;
                }
                int len = in.read() & 0x7f;
                if (len == 126) {
                    len = (in.read() << 8) | in.read();
                }
                byte[] payload = in.readNBytes(len);
                if ((b0 & 0x0f) == 0x9) {
                    pings++;
                }
                if ((b0 & 0x0f) == 0x8) {
                    closeCode = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
                }
            }
            assertEquals(ChatProtocol.CLOSE_IDLE, closeCode);
            assertTrue(pings > 0, "the server pinged the silent client before closing it");
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertTrue(seconds >= 3, "closed after " + seconds + " s");
        }
    }

    @Test
    void aBrowserAskingForCompressionGetsUncompressedFrames() throws Exception {
        // Browsers always offer permessage-deflate; chat-service declines it (docs/decisions/0012).
        try (Socket socket = upgrade("/ws/chat/" + room + "/", "Sec-WebSocket-Protocol: hotpot.v1\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n", 10_000)) {
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            while (answer.indexOf("\r\n\r\n") < 0) {
                answer.append((char) in.read());
            }
            String headers = answer.toString().toLowerCase(java.util.Locale.ROOT);
            assertTrue(headers.startsWith("http/1.1 101"), answer.toString());
            assertTrue(!headers.contains("sec-websocket-extensions"), "compression was negotiated: " + answer);
            int b0 = in.read();
            assertEquals(0x1, b0 & 0x0f, "the first frame is text");
            assertEquals(0, b0 & 0x40, "the first frame is not compressed (RSV1 clear)");
            int len = in.read() & 0x7f;
            if (len == 126) {
                len = (in.read() << 8) | in.read();
            }
            String frame = new String(in.readNBytes(len), StandardCharsets.UTF_8);
            assertTrue(frame.contains("\"type\":\"history\""), frame);
        }
    }

    /** A raw socket that has sent a WebSocket upgrade for {@code path} with the extra header lines given. */
    private Socket upgrade(String path, String headers, int readTimeoutMillis) throws Exception {
        Socket socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(readTimeoutMillis);
        OutputStream out = socket.getOutputStream();
        String key = Base64.getEncoder().encodeToString(UUID.randomUUID().toString().substring(0, 16).getBytes());
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                + "\r\nSec-WebSocket-Version: 13\r\n" + headers + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private static void skipHeaders(InputStream in) throws Exception {
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            matched = (c == '\r' && (matched == 0 || matched == 2)) || (c == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
    }

    @Test
    void connectionsBeyondTheInstanceLimitAreClosedWithTryAgain() throws Exception {
        List<ChatClient> clients = new ArrayList<>();
        try {
            int refusedAt = -1;
            for (int i = 0; i < 130 && refusedAt < 0; i++) {
                ChatClient client = ChatClient.connect(ws("/ws/chat/" + room));
                clients.add(client);
                JsonNode first = client.next(f -> "history".equals(f.path("type").asText()) || "error".equals(f.path("type").asText()));
                if ("error".equals(first.path("type").asText())) {
                    assertEquals("too_many_connections", first.get("code").asText());
                    assertEquals(ChatProtocol.CLOSE_TRY_AGAIN, client.awaitClose());
                    refusedAt = i;
                }
            }
            assertTrue(refusedAt > 0 && refusedAt <= 100, "refused at " + refusedAt);
            // Members already in keep working.
            clients.get(0).say("still fine");
            clients.get(1).next(f -> "still fine".equals(f.path("message").asText()));
        } finally {
            clients.forEach(ChatClient::close);
        }
        Thread.sleep(Duration.ofMillis(500));
    }
}
