package io.hotpot.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.hotpot.common.RedisKeys;

/**
 * A Redis that evicts keys would lose task records, leases, the due set and schedules: no service
 * starts against one, and each says why. Nor does any start against a Redis that holds Hotpot's
 * keys under their earlier names (before the {@code {hotpot}} hash tag): it would run without its
 * schedules and records; after {@code redis/migrate-keys.sh} they start and find them.
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

    @Test
    void noServiceStartsOnTheOldKeyLayoutUntilItIsMigrated() throws Exception {
        try (OwnRedis redis = new OwnRedis().start();
                Suite suite = new Suite().withEnvironment(Map.of("REDIS_PORT", Integer.toString(redis.port())))) {
            try (RedisCli cli = new RedisCli(redis.port())) {
                cli.command("ZADD", "hotpot:workers", "1", "w-old");
                cli.command("HSET", "hotpot:schedules", "nightly-old", "{}");
            }
            for (String service : Suite.SERVICES) {
                assertThrows(IllegalStateException.class, () -> suite.startReplica(service, service, List.of()),
                        service + " started on the old key layout");
                String log = Files.readString(suite.log(service));
                assertTrue(log.contains("HOTPOT-REDIS-015") && log.contains("redis/migrate-keys.sh"),
                        service + " did not say why:\n" + log);
            }
            Path root = Path.of(System.getProperty("hotpot.root", "..")).toAbsolutePath().normalize();
            assertEquals(0, OwnBrokers.run(List.of("bash", root.resolve("redis/migrate-keys.sh").toString(), "-p",
                    Integer.toString(redis.port())), Map.of(), 60));
            try (RedisCli cli = new RedisCli(redis.port())) {
                assertEquals(":1", cli.command("EXISTS", RedisKeys.SCHEDULES), "the schedules under their new name");
                assertEquals(":0", cli.command("EXISTS", "hotpot:schedules"));
            }
            // Started: the check finds nothing left under the old names.
            suite.startReplica("api-service", "api-service", List.of());
        }
    }
}
