package io.hotpot.redis;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.inject.Singleton;

import io.quarkus.redis.client.RedisOptionsCustomizer;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisClusterTransactions;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import io.vertx.redis.client.RedisRole;

/**
 * Makes every Redis client of a service (the default one and each named one, such as a
 * subscriber's) connect as {@link RedisConfig} says: one server, a primary found through its
 * Sentinels, or the primaries of a Redis Cluster; with the user and password; over TLS when asked. The services'
 * {@code quarkus.redis.*hosts} only name the clients; where they connect is decided here, once.
 */
@Singleton
public class RedisConnections implements RedisOptionsCustomizer {
    private final RedisConfig config;

    public RedisConnections(RedisConfig config) {
        this.config = config;
    }

    @Override
    public void customize(String clientName, RedisOptions options) {
        options.setEndpoints(endpoints(config));
        options.setPassword(config.password().filter(p -> !p.isEmpty()).orElse(null));
        switch (config.mode()) {
            case STANDALONE -> options.setType(RedisClientType.STANDALONE);
            // Every command to the primary: a replica may not have a write yet.
            case SENTINEL -> options.setType(RedisClientType.SENTINEL).setMasterName(config.masterName())
                    .setRole(RedisRole.MASTER);
            // Every command to a primary, as with Sentinel. SINGLE_NODE transactions let a WATCH pin a
            // connection to the primary of its key's slot, which ReplicaAcks needs for WAIT.
            case CLUSTER -> options.setType(RedisClientType.CLUSTER).setUseReplicas(RedisReplicas.NEVER)
                    .setClusterTransactions(RedisClusterTransactions.SINGLE_NODE);
        }
        RedisConfig.Tls tls = config.tls();
        if (tls.enabled()) {
            NetClientOptions net = options.getNetClientOptions() == null ? new NetClientOptions() : options.getNetClientOptions();
            net.setSsl(true).setHostnameVerificationAlgorithm("HTTPS");
            tls.ca().ifPresent(ca -> net.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
            if (tls.cert().isPresent() != tls.key().isPresent()) {
                throw new IllegalArgumentException("HOTPOT-REDIS-011 redis.tls.cert and redis.tls.key go together: "
                        + "give both (a client certificate and its key) or neither");
            }
            tls.cert().ifPresent(cert -> net.setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.toString())
                    .setKeyPath(tls.key().orElseThrow().toString())));
            options.setNetClientOptions(net);
        }
    }

    /**
     * The URIs the client starts from: the server, the Sentinels or some nodes of the cluster, each
     * {@code redis://} (or {@code rediss://}) with the ACL user; never the password.
     */
    static List<String> endpoints(RedisConfig config) {
        String scheme = config.tls().enabled() ? "rediss://" : "redis://";
        String user = "?user=" + URLEncoder.encode(config.username(), StandardCharsets.UTF_8);
        if (config.mode() == RedisConfig.Mode.STANDALONE) {
            return List.of(scheme + config.host() + ":" + config.port() + user);
        }
        List<String> addresses = config.addresses().filter(list -> !list.isEmpty()).orElseThrow(
                () -> new IllegalArgumentException("HOTPOT-REDIS-010 redis.mode=" + config.mode().name().toLowerCase()
                        + " needs redis.addresses (REDIS_ADDRESSES): " + (config.mode() == RedisConfig.Mode.SENTINEL
                                ? "the Sentinels" : "some nodes of the cluster") + ", host:port each"));
        return addresses.stream().map(String::trim).map(address -> {
            if (!address.matches("[^\\s/:@]+:\\d{1,5}")) {
                throw new IllegalArgumentException("HOTPOT-REDIS-010 redis.addresses: '" + address + "' is not host:port");
            }
            return scheme + address + user;
        }).toList();
    }
}
