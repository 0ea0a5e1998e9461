package io.hotpot.api.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hotpot.common.ChatMessage;
import io.hotpot.common.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;

/** Rooms and messages as chat-service writes them into Redis (the layout of decision 0010). */
@QuarkusTest
class RoomResourceTest {
    @Inject
    RedisDataSource redis;

    private final String room = "api-" + UUID.randomUUID().toString().substring(0, 8);
    private final String gone = room + "-gone";

    @AfterEach
    void cleanUp() {
        redis.key().del(RedisKeys.chatRoom(room), RedisKeys.chatMembers(room), RedisKeys.chatMembers(gone));
        redis.sortedSet(String.class).zrem(RedisKeys.CHAT_ROOMS, room, gone);
    }

    @Test
    void listsRecentMessagesOldestFirstWithPaging() {
        for (int i = 0; i < 5; i++) {
            redis.stream(String.class).xadd(RedisKeys.chatRoom(room), Map.of(ChatMessage.FIELD_USER, "alice",
                    ChatMessage.FIELD_MESSAGE, "m" + i, ChatMessage.FIELD_TS, Long.toString(System.currentTimeMillis())));
        }
        String thirdId = given().get("/api/rooms/{room}/messages?limit=3", room).then().statusCode(200)
                .body("message", contains("m2", "m3", "m4")).body("user", hasItem("alice")).body("room", hasItem(room))
                .extract().path("[0].id");
        given().get("/api/rooms/{room}/messages?before={id}", room, thirdId).then().statusCode(200)
                .body("message", contains("m0", "m1"));
        given().get("/api/rooms/{room}/messages", room + "-empty").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void badRoomOrPagingGetsAProblem() {
        given().get("/api/rooms/{room}/messages", "bad!room").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("room"));
        given().get("/api/rooms/{room}/messages?limit=0", room).then().statusCode(400).body("errors.field", hasItem("limit"));
        given().get("/api/rooms/{room}/messages?limit=5000", room).then().statusCode(400).body("errors.field", hasItem("limit"));
        given().get("/api/rooms/{room}/messages?before=yesterday", room).then().statusCode(400).body("errors.field", hasItem("before"));
    }

    @Test
    void listsRoomsWithLiveMembersOnly() {
        long now = System.currentTimeMillis();
        var sets = redis.sortedSet(String.class);
        sets.zadd(RedisKeys.chatMembers(room), Map.of("c1|alice", now + 30_000.0, "c2|alice", now + 30_000.0,
                "c3|bob", now + 30_000.0, "c4|ghost", now - 1_000.0));
        sets.zadd(RedisKeys.CHAT_ROOMS, now + 30_000.0, room);
        // A room whose replica died: its presence expired.
        sets.zadd(RedisKeys.chatMembers(gone), now - 1_000.0, "c9|carol");
        sets.zadd(RedisKeys.CHAT_ROOMS, now - 1_000.0, gone);
        given().get("/api/rooms").then().statusCode(200)
                .body("find { it.room == '" + room + "' }.connections", equalTo(3))
                .body("find { it.room == '" + room + "' }.members", contains("alice", "bob"))
                .body("room", not(hasItem(gone)));
    }
}
