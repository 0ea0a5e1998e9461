package io.hotpot.chat.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.hotpot.common.ChatProtocol;
import io.hotpot.common.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Big rooms: above {@code presence-live-up-to} members (2 here), joins and leaves reach the
 * members as one summary frame per interval, not a frame each; back at the live size, the room
 * gets a frame per join again.
 */
@QuarkusTest
@TestProfile(PresenceSummaryTest.SmallLiveSize.class)
class PresenceSummaryTest {
    public static class SmallLiveSize implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hotpot.chat.presence-live-up-to", "2", "hotpot.chat.presence-interval", "500ms");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisDataSource redis;

    private final String room = "big-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void deleteRoom() {
        redis.sortedSet(String.class).zrem(RedisKeys.CHAT_ROOMS, room);
        redis.key().del(RedisKeys.chatRoom(room), RedisKeys.chatMembers(room));
    }

    private ChatClient join() throws Exception {
        return ChatClient.connect(URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/ws/chat/" + room));
    }

    private static boolean presence(JsonNode frame) {
        return ChatProtocol.TYPE_PRESENCE.equals(frame.path("type").asText());
    }

    /**
     * Presence frames {@code client} receives until they have named every one of {@code users} as
     * {@code joined} (or {@code left}): in a summary's list, or as the user of a single frame.
     */
    private static List<JsonNode> presenceUntil(ChatClient client, String field, Set<String> users) throws Exception {
        String single = field.equals("joined") ? "join" : "leave";
        List<JsonNode> frames = new ArrayList<>();
        Set<String> named = new HashSet<>();
        while (!named.containsAll(users)) {
            JsonNode frame = client.next(PresenceSummaryTest::presence);
            frames.add(frame);
            frame.path(field).forEach(user -> named.add(user.asText()));
            if (single.equals(frame.path("event").asText())) {
                named.add(frame.path("user").asText());
            }
        }
        return frames;
    }

    @Test
    void aBigRoomGetsASummaryPerIntervalAndASmallOneAFramePerJoin() throws Exception {
        try (ChatClient a = join(); ChatClient b = join()) {
            String userA = a.next("history").get("user").asText();
            String userB = b.next("history").get("user").asText();
            // Up to two members: a frame per join (the two may arrive in either order).
            List<JsonNode> small = presenceUntil(a, "joined", Set.of(userA, userB));
            assertTrue(small.stream().allMatch(f -> "join".equals(f.path("event").asText())), small.toString());

            ChatClient c = join();
            ChatClient d = join();
            String userC = c.next("history").get("user").asText();
            String userD = d.next("history").get("user").asText();
            // Three and four members: their joins arrive summed up, never one by one.
            List<JsonNode> seen = presenceUntil(a, "joined", Set.of(userC, userD));
            assertTrue(seen.stream().allMatch(f -> ChatProtocol.PRESENCE_SUMMARY.equals(f.path("event").asText())), seen.toString());
            assertTrue(seen.size() <= 2, "at most one summary per interval: " + seen);
            // The newcomer learns of itself the same way.
            presenceUntil(d, "joined", Set.of(userD));

            d.close();
            List<JsonNode> left = presenceUntil(a, "left", Set.of(userD));
            assertEquals(ChatProtocol.PRESENCE_SUMMARY, left.get(left.size() - 1).path("event").asText(), left.toString());
            c.close();
            presenceUntil(a, "left", Set.of(userC));

            // Back at two members: after the summary of the leave, joins are single frames again.
            b.close();
            presenceUntil(a, "left", Set.of(userB));
            try (ChatClient e = join()) {
                String userE = e.next("history").get("user").asText();
                JsonNode joined = a.next(f -> presence(f) && (userE.equals(f.path("user").asText())
                        || f.path("joined").toString().contains(userE)));
                assertEquals("join", joined.path("event").asText(), joined.toString());
            }
        }
    }
}
