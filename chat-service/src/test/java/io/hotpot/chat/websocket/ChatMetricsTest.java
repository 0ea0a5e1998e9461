package io.hotpot.chat.websocket;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hotpot.common.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** chat-service's own meters move with real WebSocket traffic: connections, messages in and out. */
@QuarkusTest
class ChatMetricsTest {
    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisDataSource redis;

    private final String room = "m-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void deleteRoom() {
        redis.sortedSet(String.class).zrem(RedisKeys.CHAT_ROOMS, room);
        redis.key().del(RedisKeys.chatRoom(room), RedisKeys.chatMembers(room));
    }

    private static double metric(String line) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(line) + " ([0-9.eE+-]+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void connectionsAndMessagesAreCounted() throws Exception {
        // Earlier tests closed their clients, but the server may still be handling a close: the
        // gauge is counted from none open.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> metric("hotpot_ws_connections{endpoint=\"chat\"}") == 0);
        double in = metric("hotpot_ws_messages_in_total");
        double out = metric("hotpot_ws_messages_out_total");
        double connections = 0;
        try (ChatClient a = ChatClient.connect(URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/ws/chat/" + room));
                ChatClient b = ChatClient.connect(URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/ws/chat/" + room))) {
            a.next("history");
            b.next("history");
            assertEquals(connections + 2, metric("hotpot_ws_connections{endpoint=\"chat\"}"));
            a.say("counted");
            a.next("message");
            b.next("message");
            // Counted once the message is stored; the relay may deliver it to both before that.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> metric("hotpot_ws_messages_in_total") == in + 1);
            // at least: two history markers and the message to each of the two members
            assertTrue(metric("hotpot_ws_messages_out_total") >= out + 4);
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> metric("hotpot_ws_connections{endpoint=\"chat\"}") == connections);
    }
}
