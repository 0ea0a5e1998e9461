package io.hotpot.e2e;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * A Redis that evicts keys would lose task records, leases, the due set and schedules: no service
 * starts against one, and each says why.
 */
class RedisServerCheckIT {
    @Test
    void noServiceStartsAgainstAnEvictingRedis() throws Exception {
        try (OwnRedis redis = new OwnRedis("--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru").start();
                Suite suite = new Suite().withEnvironment(Map.of("REDIS_PORT", Integer.toString(redis.port())))) {
            for (String service : Suite.SERVICES) {
                assertThrows(IllegalStateException.class, () -> suite.startReplica(service, service, List.of()),
                        service + " started against an evicting Redis");
                String log = Files.readString(suite.log(service));
                assertTrue(log.contains("Redis evicts keys (maxmemory-policy allkeys-lru)")
                        && log.contains("noeviction"), service + " did not say why:\n" + log);
            }
        }
    }
}
