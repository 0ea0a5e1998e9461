package io.hotpot.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisClusterTransactions;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import io.vertx.redis.client.RedisRole;

/** Every client of a service connects as {@code redis.*} says: one server, Sentinels or a cluster. */
class RedisConnectionsTest {
    private static RedisConfig config(String... pairs) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        // Quarkus's own converter reads durations such as "1s", as in the services.
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(RedisConfig.class).withDefaultValues(values)
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter()).build();
        return config.getConfigMapping(RedisConfig.class);
    }

    private static RedisOptions customized(RedisConfig config) {
        RedisOptions options = new RedisOptions().setConnectionString("redis://ignored:1");
        new RedisConnections(config).customize("any", options);
        return options;
    }

    @Test
    void aStandaloneServerWithItsUserAndThePasswordAsItIs() {
        RedisOptions options = customized(config("redis.host", "redis.data", "redis.port", "6380", "redis.username", "hot pot",
                "redis.password", "p#ss$w%rd@:/"));
        assertEquals(List.of("redis://redis.data:6380?user=hot+pot"), options.getEndpoints());
        assertEquals("p#ss$w%rd@:/", options.getPassword());
        assertEquals(RedisClientType.STANDALONE, options.getType());
    }

    @Test
    void sentinelsFindThePrimary() {
        RedisOptions options = customized(config("redis.mode", "sentinel", "redis.addresses", "s-0:26379,s-1:26379",
                "redis.master-name", "hotpot"));
        assertEquals(RedisClientType.SENTINEL, options.getType());
        assertEquals(List.of("redis://s-0:26379?user=default", "redis://s-1:26379?user=default"), options.getEndpoints());
        assertEquals("hotpot", options.getMasterName());
        assertEquals(RedisRole.MASTER, options.getRole(), "every command goes to the primary");
        assertNull(options.getPassword());
    }

    @Test
    void aClusterFromSomeOfItsNodesWithEveryCommandOnAPrimary() {
        RedisOptions options = customized(config("redis.mode", "cluster", "redis.addresses", "r-0:6379,r-1:6379"));
        assertEquals(RedisClientType.CLUSTER, options.getType());
        assertEquals(List.of("redis://r-0:6379?user=default", "redis://r-1:6379?user=default"), options.getEndpoints());
        assertEquals(RedisReplicas.NEVER, options.getUseReplicas(), "a replica may not have a write yet");
        assertEquals(RedisClusterTransactions.SINGLE_NODE, options.getClusterTransactions(),
                "ReplicaAcks pins its connection to the primary of Hotpot's slot with WATCH");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> customized(config("redis.mode", "cluster")));
        assertTrue(e.getMessage().contains("redis.mode=cluster needs redis.addresses") && e.getMessage().contains("some nodes"),
                e.getMessage());
    }

    @Test
    void tlsIsRedissWithTheHostNameChecked() {
        RedisOptions options = customized(config("redis.mode", "sentinel", "redis.addresses", "s-0:26379", "redis.tls.enabled", "true"));
        assertEquals(List.of("rediss://s-0:26379?user=default"), options.getEndpoints());
        assertTrue(options.getNetClientOptions().isSsl());
        assertEquals("HTTPS", options.getNetClientOptions().getHostnameVerificationAlgorithm());
    }

    @Test
    void sentinelsWithoutAddressesAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> customized(config("redis.mode", "sentinel")));
        assertTrue(e.getMessage().contains("HOTPOT-REDIS-010") && e.getMessage().contains("REDIS_ADDRESSES"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> customized(config("redis.mode", "sentinel", "redis.addresses", "s-0")));
        assertTrue(e.getMessage().contains("'s-0' is not host:port"), e.getMessage());
    }
}
