package io.hotpot.chat.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hotpot.common.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Many rooms opened at once: each room's first member needs one read of its stream, which must
 * not queue behind the relay's blocking read (its connection is the relay's alone).
 */
@QuarkusTest
class ManyRoomsTest {
    private static final int ROOMS = 60;

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisDataSource redis;

    private final String prefix = "many-" + UUID.randomUUID().toString().substring(0, 8) + "-";

    @AfterEach
    void deleteRooms() {
        for (int i = 0; i < ROOMS; i++) {
            redis.sortedSet(String.class).zrem(RedisKeys.CHAT_ROOMS, prefix + i);
            redis.key().del(RedisKeys.chatRoom(prefix + i), RedisKeys.chatMembers(prefix + i));
        }
    }

    @Test
    void sixtyNewRoomsJoinedAtOnceAllGetTheirHistory() throws Exception {
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<String>> joins = new ArrayList<>();
        for (int i = 0; i < ROOMS; i++) {
            String room = prefix + i;
            joins.add(pool.submit(() -> {
                try (ChatClient client = ChatClient.connect(
                        URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/ws/chat/" + room))) {
                    return client.next("history").path("room").asText();
                }
            }));
        }
        List<String> joined = new ArrayList<>();
        for (Future<String> join : joins) {
            joined.add(join.get());
        }
        pool.shutdown();
        assertEquals(ROOMS, joined.stream().distinct().count(), "every room's member got its history frame");
    }
}
