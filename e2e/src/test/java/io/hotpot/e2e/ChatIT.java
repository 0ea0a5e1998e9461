package io.hotpot.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.ChatProtocol;
import io.hotpot.common.Json;
import io.hotpot.common.RedisKeys;

/**
 * Chat across two packaged chat-service replicas (plus a third one that is drained), with
 * tokens issued by the packaged api-service, in the prod profile (no anonymous users).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String CHAT_1 = "chat-service";
    private static final String CHAT_2 = "chat-service-2";

    private final ObjectMapper mapper = Json.newMapper();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> rooms = new ArrayList<>();
    private final List<WsClient> clients = new ArrayList<>();
    private Suite suite;

    private static List<String> chatProperties() {
        // The fan-out test sends at full speed; the rate limit has its own test in chat-service.
        return List.of("-Dhotpot.chat.rate-per-second=100000", "-Dhotpot.chat.rate-burst=100000");
    }

    @BeforeAll
    void startSuite() throws Exception {
        suite = new Suite().start(Map.of("chat-service", chatProperties()));
        suite.startReplica("chat-service", CHAT_2, chatProperties());
    }

    @AfterEach
    void closeClients() {
        clients.forEach(WsClient::close);
        clients.clear();
    }

    @AfterAll
    void stopSuite() throws Exception {
        if (suite != null) {
            suite.close();
        }
        try (var redis = new RedisCli()) {
            for (String room : rooms) {
                redis.del(RedisKeys.chatRoom(room), RedisKeys.chatMembers(room));
                redis.zrem(RedisKeys.CHAT_ROOMS, room);
            }
        }
    }

    private String room(String name) {
        String room = name + "-" + run;
        rooms.add(room);
        return room;
    }

    private String token(String user) throws Exception {
        return suite.token(user);
    }

    private WsClient join(String replica, String room, String user, String lastId) throws Exception {
        String query = lastId == null ? "" : "?lastId=" + lastId;
        WsClient client = new WsClient(suite.ws(replica, "/ws/chat/" + room + "/" + query), token(user));
        clients.add(client);
        JsonNode history = client.next("history", WAIT);
        assertEquals(user, history.get("user").asText());
        return client;
    }

    @Test
    void anonymousClientsAreRefusedInTheProdProfile() throws Exception {
        WsClient anonymous = new WsClient(suite.ws(CHAT_1, "/ws/chat/" + room("anon")));
        clients.add(anonymous);
        assertEquals("token_required", anonymous.next("error", WAIT).get("code").asText());
        assertEquals(ChatProtocol.CLOSE_POLICY, anonymous.closeCode.get(10, TimeUnit.SECONDS));
    }

    @Test
    void thousandMessagesFromSeveralSendersReachEveryMemberOnBothReplicasOnceInOrder() throws Exception {
        String room = room("fanout");
        int senders = 4;
        int perSender = 250;
        List<WsClient> members = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            members.add(join(i % 2 == 0 ? CHAT_1 : CHAT_2, room, "user" + i, null));
        }
        // Presence sees every member, whichever replica holds it.
        JsonNode listed = awaitRoom(room, 6);
        assertEquals(6, listed.get("members").size());

        long start = System.nanoTime();
        for (int i = 0; i < perSender; i++) {
            for (int s = 0; s < senders; s++) {
                members.get(s).say("s" + s + "-" + i);
            }
        }
        members.forEach(WsClient::flush);
        long sentNanos = System.nanoTime() - start;
        int total = senders * perSender;
        for (WsClient member : members) {
            List<JsonNode> received = member.messages(total, WAIT);
            assertEquals(total, received.size(), "every message reached every member");
            Set<String> ids = new HashSet<>();
            Map<String, Integer> lastIndex = new HashMap<>();
            for (JsonNode message : received) {
                assertTrue(ids.add(message.get("id").asText()), "no duplicate: " + message);
                String[] parts = message.get("message").asText().split("-");
                int index = Integer.parseInt(parts[1]);
                assertEquals(lastIndex.getOrDefault(parts[0], -1) + 1, index, "per-sender order: " + message);
                lastIndex.put(parts[0], index);
            }
            assertEquals(senders, lastIndex.size());
        }
        long allNanos = System.nanoTime() - start;
        System.out.printf("E2E-FIGURE chat fan-out: %d messages from %d senders to %d members on 2 replicas "
                + "(%d deliveries) in %d ms (sent in %d ms): %.0f deliveries/s%n", total, senders, members.size(),
                total * members.size(), TimeUnit.NANOSECONDS.toMillis(allNanos), TimeUnit.NANOSECONDS.toMillis(sentNanos),
                total * members.size() / (allNanos / 1e9));
    }

    @Test
    void aClientAwayFor100MessagesRecoversThemAllOnTheOtherReplica() throws Exception {
        String room = room("recovery");
        WsClient sender = join(CHAT_1, room, "sender", null);
        WsClient away = join(CHAT_2, room, "away", null);
        sender.say("before");
        String lastSeen = away.messages(1, WAIT).get(0).get("id").asText();
        away.close();
        for (int i = 0; i < 100; i++) {
            sender.say("missed-" + i);
        }
        sender.flush();
        assertEquals(101, sender.messages(101, WAIT).size());
        long start = System.nanoTime();
        // The token in ?token=, the documented fallback for clients that cannot set a subprotocol.
        WsClient back = new WsClient(suite.ws(CHAT_1, "/ws/chat/" + room + "?lastId=" + lastSeen + "&token="
                + URLEncoder.encode(token("away"), StandardCharsets.UTF_8)));
        clients.add(back);
        List<JsonNode> recovered = back.messages(100, WAIT);
        long recoveredNanos = System.nanoTime() - start;
        assertEquals(100, recovered.size());
        for (int i = 0; i < 100; i++) {
            assertEquals("missed-" + i, recovered.get(i).get("message").asText());
        }
        JsonNode marker = back.next("history", WAIT);
        assertTrue(marker.get("complete").asBoolean());
        sender.say("live");
        assertEquals("live", back.messages(1, WAIT).get(0).get("message").asText());
        System.out.printf("E2E-FIGURE chat recovery: 100 missed messages recovered on the other replica in %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(recoveredNanos));
    }

    @Test
    void aDrainedReplicaTellsItsClientsToReconnectAndTheyLoseNothing() throws Exception {
        String room = room("drain");
        String doomed = "chat-service-3";
        suite.startReplica("chat-service", doomed, chatProperties());
        WsClient sender = join(CHAT_1, room, "sender", null);
        WsClient moving = join(doomed, room, "moving", null);
        sender.say("m-0");
        moving.messages(1, WAIT);
        Thread drain = Thread.ofPlatform().start(() -> {
            try {
                suite.stop(doomed);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        JsonNode reconnect = moving.next("reconnect", WAIT);
        assertEquals(ChatProtocol.CLOSE_GOING_AWAY, moving.closeCode.get(30, TimeUnit.SECONDS));
        for (int i = 1; i <= 20; i++) {
            sender.say("m-" + i);
        }
        sender.flush();
        WsClient moved = new WsClient(suite.ws(CHAT_2, "/ws/chat/" + room + "?lastId=" + reconnect.get("lastId").asText()
                + "&token=" + URLEncoder.encode(token("moving"), StandardCharsets.UTF_8)));
        clients.add(moved);
        List<JsonNode> got = moved.messages(20, WAIT);
        assertEquals(20, got.size());
        for (int i = 0; i < 20; i++) {
            assertEquals("m-" + (i + 1), got.get(i).get("message").asText());
        }
        drain.join(40_000);
    }

    private JsonNode awaitRoom(String room, int connections) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = suite.http().send(suite.request("api-service", "/api/rooms").build(),
                    HttpResponse.BodyHandlers.ofString());
            for (JsonNode listed : mapper.readTree(response.body())) {
                if (room.equals(listed.get("room").asText()) && listed.get("connections").asInt() == connections) {
                    return listed;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("room " + room + " never listed with " + connections + " connections");
    }
}
