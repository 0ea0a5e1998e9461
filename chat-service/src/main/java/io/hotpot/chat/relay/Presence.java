package io.hotpot.chat.relay;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.chat.config.ChatConfig;
import io.hotpot.chat.service.Member;
import io.hotpot.common.ChatPresence;
import io.hotpot.common.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyCommands;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.quarkus.redis.datasource.sortedset.SortedSetCommands;

/**
 * Who is in which room, kept in Redis with an expiry so a dead replica's members disappear:
 * each membership is a sorted-set entry scored by when it expires, refreshed by its replica
 * (docs/decisions/0010-chat-redis-layout.md). Joins and leaves are also published so every
 * replica can tell its members.
 */
@ApplicationScoped
public class Presence {
    private static final Logger LOG = Logger.getLogger(Presence.class);

    private final SortedSetCommands<String, String> sets;
    private final KeyCommands<String> keys;
    private final PubSubCommands<String> pubsub;
    private final ObjectMapper mapper;
    private final long ttlMillis;
    private final Duration roomTtl;

    public Presence(RedisDataSource redis, ObjectMapper mapper, ChatConfig config) {
        this.sets = redis.sortedSet(String.class);
        this.keys = redis.key(String.class);
        this.pubsub = redis.pubsub(String.class);
        this.mapper = mapper;
        this.ttlMillis = config.chat().presenceTtl().toMillis();
        this.roomTtl = config.chat().roomTtl();
    }

    public static String entry(Member member) {
        return member.id() + "|" + member.user();
    }

    public void joined(Member member) {
        refresh(List.of(member));
        publish(new ChatPresence(member.room(), ChatPresence.JOIN, member.user(), Instant.now()));
    }

    public void left(Member member) {
        sets.zrem(RedisKeys.chatMembers(member.room()), entry(member));
        publish(new ChatPresence(member.room(), ChatPresence.LEAVE, member.user(), Instant.now()));
    }

    /** Extends the memberships of these members (all of this replica's, every refresh period). */
    public void refresh(List<Member> members) {
        long now = System.currentTimeMillis();
        double expires = now + ttlMillis;
        // Rooms whose presence lapsed (their last members left or their replica died) leave the index.
        sets.zremrangebyscore(RedisKeys.CHAT_ROOMS, new ScoreRange<>(Double.NEGATIVE_INFINITY, (double) now));
        Map<String, Map<String, Double>> byRoom = new TreeMap<>();
        for (Member member : members) {
            byRoom.computeIfAbsent(member.room(), r -> new TreeMap<>()).put(entry(member), expires);
        }
        byRoom.forEach((room, entries) -> {
            String key = RedisKeys.chatMembers(room);
            sets.zadd(key, entries);
            keys.pexpire(key, ttlMillis);
            // A room with members is in use, even when quiet: its history stays (no-op while it has none).
            keys.pexpire(RedisKeys.chatRoom(room), roomTtl);
            sets.zadd(RedisKeys.CHAT_ROOMS, expires, room);
        });
    }

    /** Live members of a room as {@code connectionId|user}, dropping expired ones. */
    public List<String> members(String room) {
        String key = RedisKeys.chatMembers(room);
        sets.zremrangebyscore(key, new ScoreRange<>(Double.NEGATIVE_INFINITY, (double) System.currentTimeMillis()));
        return sets.zrange(key, 0, -1);
    }

    private void publish(ChatPresence event) {
        try {
            pubsub.publish(RedisKeys.CHAT_PRESENCE_CHANNEL, mapper.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            LOG.errorf(e, "HOTPOT-CHAT-002 presence event not published");
        }
    }
}
