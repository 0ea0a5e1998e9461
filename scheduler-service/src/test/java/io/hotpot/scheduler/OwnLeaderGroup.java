package io.hotpot.scheduler;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.hotpot.common.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Tests run against the shared Redis: a leader group of this run's own, so this JVM never
 * competes with another build's scheduler for the lock.
 */
public class OwnLeaderGroup implements QuarkusTestProfile {
    public static final String NAME = "test-" + UUID.randomUUID().toString().substring(0, 8);

    /**
     * Ends this group's leadership for good (the lock taken by a value no replica has, until it
     * expires after the run) and removes the keys the group's leader wrote.
     */
    public static void endLeadership(RedisDataSource redis) {
        redis.value(String.class).set(RedisKeys.leaderLock(NAME), "test-over#0", new SetArgs().px(Duration.ofSeconds(30)));
        redis.key().del(RedisKeys.leaderEpoch(NAME), RedisKeys.configSchedules(NAME));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("hotpot.leader.name", NAME, "hotpot.leader.instance-id", "test-" + NAME,
                "hotpot.leader.ttl", "2s", "hotpot.leader.renew-every", "0.3s");
    }
}
