package io.hotpot.scheduler.schedule;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.hotpot.common.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;

/**
 * The tasks waiting for a time: {@link RedisKeys#DUE} (ids scored by due time, epoch ms) and
 * {@link RedisKeys#DUE_MESSAGES} (id → the message JSON to publish). Writers (api-service for
 * countdown/eta, workers for retry back-off, the schedule firing) add to both keys in one
 * script or transaction; only the scheduler's leader takes entries out.
 */
@ApplicationScoped
public class DueTasks {
    /**
     * Fenced read of the due entries. KEYS[1] leader lock, KEYS[2] due set, KEYS[3] messages;
     * ARGV[1] the leader's lock value, ARGV[2] now (ms), ARGV[3] batch size. Returns nil when the
     * caller does not hold the lock, else {id, score, message or '', ...}.
     */
    private static final String TAKE = """
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return false end
            local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[2], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[3]))
            local out = {}
            for i = 1, #due, 2 do
              out[#out + 1] = due[i]
              out[#out + 1] = due[i + 1]
              out[#out + 1] = redis.call('HGET', KEYS[3], due[i]) or ''
            end
            return out
            """;
    /**
     * Removes a published entry from both keys, only if it is still due at the same score with
     * the same message: an entry rescheduled meanwhile (a new retry, a new eta) stays.
     * KEYS[1] due set, KEYS[2] messages; ARGV[1] id, ARGV[2] score, ARGV[3] message ('' = none).
     */
    private static final String REMOVE = """
            if redis.call('ZSCORE', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
            local message = redis.call('HGET', KEYS[2], ARGV[1]) or ''
            if message ~= ARGV[3] then return 0 end
            redis.call('ZREM', KEYS[1], ARGV[1])
            redis.call('HDEL', KEYS[2], ARGV[1])
            return 1
            """;

    /** One due entry as read: {@code message} is empty when the hash holds none for the id. */
    public record Entry(String id, String score, String message) {
        public long dueAt() {
            return (long) Double.parseDouble(score);
        }
    }

    private final RedisDataSource redis;

    public DueTasks(RedisDataSource redis) {
        this.redis = redis;
    }

    /** Entries due at {@code now}, oldest first; {@code null} when {@code fence} is not the lock's value. */
    public List<Entry> take(String lockKey, String fence, long now, int batch) {
        Response reply = redis.execute("EVAL", TAKE, "3", lockKey, RedisKeys.DUE, RedisKeys.DUE_MESSAGES, fence,
                Long.toString(now), Integer.toString(batch));
        if (reply == null) {
            return null;
        }
        List<Entry> entries = new ArrayList<>(reply.size() / 3);
        for (int i = 0; i + 2 < reply.size(); i += 3) {
            entries.add(new Entry(reply.get(i).toString(), reply.get(i + 1).toString(), reply.get(i + 2).toString()));
        }
        return entries;
    }

    /** Removes an entry that was published (or is unpublishable), unless it changed since it was read. */
    public boolean remove(Entry entry) {
        return redis.execute("EVAL", REMOVE, "2", RedisKeys.DUE, RedisKeys.DUE_MESSAGES, entry.id(), entry.score(),
                entry.message()).toLong() == 1;
    }
}
