package io.hotpot.worker.task;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.hotpot.common.GroupFields;
import io.hotpot.common.RedisKeys;
import io.hotpot.common.TaskMessage;
import io.hotpot.worker.config.WorkerConfig;
import io.quarkus.redis.datasource.RedisDataSource;

/**
 * Holds a member of a group until its group is committed: api-service publishes every member
 * before it records the group (all or nothing), so a worker may receive one first. The member
 * runs once the group is {@value GroupFields#COMMITTED}, and never when it is
 * {@value GroupFields#ABANDONED}. A group still unrecorded {@code hotpot.worker.group-gate} after
 * the member's creation is marked abandoned here, in the same script that reads it, so the
 * submission's commit, which only records a group that is not abandoned, and this wait agree.
 */
@ApplicationScoped
public class GroupGate {
    /** KEYS[1] group. ARGV: give up (1 or 0), ttl seconds. Returns the state, '' while there is none. */
    private static final String STATE = """
            local state = redis.call('HGET', KEYS[1], 'state')
            if state then return state end
            if ARGV[1] == '1' then
              redis.call('HSET', KEYS[1], 'state', 'abandoned')
              redis.call('EXPIRE', KEYS[1], ARGV[2])
              return 'abandoned'
            end
            return ''
            """;
    private static final long FIRST_PAUSE_MS = 20;
    private static final long LONGEST_PAUSE_MS = 500;

    private final RedisDataSource redis;
    private final Duration gate;
    private final String ttlSeconds;

    public GroupGate(RedisDataSource redis, WorkerConfig config) {
        this.redis = redis;
        this.gate = config.worker().groupGate();
        this.ttlSeconds = Long.toString(config.tasks().resultTtl().toSeconds());
    }

    /**
     * Whether the member may run: true once its group is committed, false when it is abandoned;
     * waits meanwhile, on the calling (virtual) thread.
     */
    public boolean admits(TaskMessage member) throws InterruptedException {
        Instant giveUpAt = (member.createdAt() == null ? Instant.now() : member.createdAt()).plus(gate);
        long pause = FIRST_PAUSE_MS;
        while (true) {
            boolean late = Instant.now().isAfter(giveUpAt);
            String state = redis.execute("EVAL", STATE, "1", RedisKeys.group(member.group()), late ? "1" : "0", ttlSeconds)
                    .toString();
            if (GroupFields.COMMITTED.equals(state)) {
                return true;
            }
            if (GroupFields.ABANDONED.equals(state)) {
                return false;
            }
            Thread.sleep(pause);
            pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
        }
    }
}
