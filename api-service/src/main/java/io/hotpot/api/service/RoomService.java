package io.hotpot.api.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import io.hotpot.api.config.ApiConfig;
import io.hotpot.common.ChatMessage;
import io.hotpot.common.ChatProtocol;
import io.hotpot.common.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.sortedset.ReactiveSortedSetCommands;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.quarkus.redis.datasource.stream.ReactiveStreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Chat rooms as chat-service keeps them in Redis (docs/decisions/0010-chat-redis-layout.md):
 * the rooms with live members, and a room's recent messages.
 */
@ApplicationScoped
public class RoomService {
    private final ReactiveSortedSetCommands<String, String> sets;
    private final ReactiveStreamCommands<String, String, String> streams;
    private final ApiConfig.Rooms config;

    public RoomService(ReactiveRedisDataSource redis, ApiConfig config) {
        this.sets = redis.sortedSet(String.class);
        this.streams = redis.stream(String.class);
        this.config = config.rooms();
    }

    /** A room with members: how many connections, and their distinct user names. */
    public record RoomView(String room, int connections, List<String> members) {
    }

    public Uni<List<RoomView>> rooms() {
        double now = System.currentTimeMillis();
        ScoreRange<Double> live = new ScoreRange<>(now, Double.POSITIVE_INFINITY);
        return sets.zrangebyscore(RedisKeys.CHAT_ROOMS, live)
                .onItem().transformToMulti(rooms -> Multi.createFrom().iterable(rooms))
                .onItem().transformToUniAndConcatenate(room -> sets.zrangebyscore(RedisKeys.chatMembers(room), live)
                        .map(entries -> view(room, entries)))
                .filter(view -> view.connections() > 0)
                .collect().asList();
    }

    private static RoomView view(String room, List<String> entries) {
        TreeSet<String> users = new TreeSet<>();
        for (String entry : entries) {
            users.add(entry.substring(entry.indexOf('|') + 1));
        }
        return new RoomView(room, entries.size(), List.copyOf(users));
    }

    /** A room's most recent messages, oldest first; {@code before} pages back from a message id. */
    public Uni<List<ChatMessage>> messages(String room, Integer limit, String before) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (!ChatProtocol.ROOM_NAME.matcher(room).matches()) {
            errors.add(new Problem.FieldError("room", "room names are 1 to 64 letters, digits, '_', '-' or '.'"));
        }
        int count = limit == null ? config.defaultLimit() : limit;
        if (count < 1 || count > config.maxLimit()) {
            errors.add(new Problem.FieldError("limit", "must be between 1 and " + config.maxLimit()));
        }
        if (before != null && !before.matches("\\d{1,19}-\\d{1,19}")) {
            errors.add(new Problem.FieldError("before", "must be a message id such as 1764168000000-0"));
        }
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(Problem.badRequest("The room or its paging parameters are invalid.", errors));
        }
        return streams.xrevrange(RedisKeys.chatRoom(room), StreamRange.of(before == null ? "+" : "(" + before, "-"), count)
                .map(entries -> {
                    List<ChatMessage> out = new ArrayList<>(entries.size());
                    for (StreamMessage<String, String, String> entry : entries) {
                        Map<String, String> f = entry.payload();
                        String ts = f.get(ChatMessage.FIELD_TS);
                        out.add(new ChatMessage(entry.id(), room, f.get(ChatMessage.FIELD_USER), f.get(ChatMessage.FIELD_MESSAGE),
                                ts == null ? null : Instant.ofEpochMilli(Long.parseLong(ts))));
                    }
                    Collections.reverse(out);
                    return out;
                });
    }
}
