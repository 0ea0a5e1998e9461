package io.hotpot.scheduler;

import java.util.Map;
import java.util.UUID;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Tests run against the shared Redis: a leader group of this run's own, so this JVM never
 * competes with another build's scheduler for the lock.
 */
public class OwnLeaderGroup implements QuarkusTestProfile {
    public static final String NAME = "test-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("hotpot.leader.name", NAME, "hotpot.leader.instance-id", "test-" + NAME,
                "hotpot.leader.ttl", "2s", "hotpot.leader.renew-every", "0.3s");
    }
}
