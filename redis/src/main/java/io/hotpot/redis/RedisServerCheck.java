package io.hotpot.redis;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import io.hotpot.common.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.redis.client.Response;

/**
 * Checks the Redis server at start-up (docs/deploy.md, "Redis requirements"). Redis holds task
 * records, leases, the due set, schedules and chat history: a server that evicts keys under memory
 * pressure loses them silently, so a {@code maxmemory-policy} other than {@code noeviction} stops
 * the start with a clear message (a crash loop is seen at once; an eviction is not). A server
 * without persistence (no RDB snapshots, no AOF) only gets a warning: a local or test Redis
 * often runs so, and a restart of it loses data, not correctness of what is left. A server that
 * cannot be asked (down for now, or {@code INFO}/{@code CONFIG} denied to this user) is logged and
 * not judged; one whose TLS handshake fails (another CA, a plain port) stops the start. A Redis
 * that still holds Hotpot's keys under their earlier names ({@code hotpot:…}, before the hash tag)
 * stops the start too, naming the migration ({@code redis/migrate-keys.sh}): this release would
 * not see its schedules, records and due tasks. In a cluster the server checked is the primary
 * that holds Hotpot's keys.
 */
@ApplicationScoped
public class RedisServerCheck {
    private static final Logger LOG = Logger.getLogger(RedisServerCheck.class);

    /** Keys every installation of the earlier layout has once a worker ran (its heartbeat writes them), by their old names. */
    static final List<String> OLD_LAYOUT_KEYS = Stream.of(RedisKeys.WORKERS, RedisKeys.CATALOGUE_TYPES, RedisKeys.RECENT_TASKS,
            RedisKeys.SCHEDULES, RedisKeys.DUE, RedisKeys.CHAT_ROOMS)
            .map(key -> RedisKeys.OLD_PREFIX + key.substring(RedisKeys.PREFIX.length())).toList();

    private final RedisDataSource redis;
    private final RedisConfig config;

    public RedisServerCheck(RedisDataSource redis, RedisConfig config) {
        this.redis = redis;
        this.config = config;
    }

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 1) StartupEvent event) {
        String memory;
        String persistence;
        String save;
        long oldKeys;
        try {
            // In a cluster: the primary that holds Hotpot's keys.
            String[] answers = SlotPrimary.call(redis, config, server -> new String[] { server.execute("INFO", "memory").toString(),
                    server.execute("INFO", "persistence").toString(), configValue(server, "save") });
            memory = answers[0];
            persistence = answers[1];
            save = answers[2];
            // A cluster never held the old layout (the services refused one): its keys would be in several slots.
            oldKeys = config.mode() == RedisConfig.Mode.CLUSTER ? 0
                    : redis.execute("EXISTS", OLD_LAYOUT_KEYS.toArray(String[]::new)).toLong();
        } catch (RuntimeException e) {
            if (tlsRefused(e)) {
                // A configuration no retry can mend: stop, saying what to check, as for an evicting server.
                String message = "HOTPOT-REDIS-014 TLS to Redis failed (" + rootMessage(e) + "). Check that redis.tls.ca "
                        + "(REDIS_TLS_CA) is the CA that signed Redis's certificate, that the certificate names the host "
                        + "connected to, that the port is Redis's TLS port, and, if Redis asks for one, the client certificate "
                        + "(redis.tls.cert, redis.tls.key).";
                LOG.error(message);
                throw new IllegalStateException(message, e);
            }
            LOG.warnf("HOTPOT-REDIS-003 could not check the Redis server (%s): make sure its maxmemory-policy is "
                    + "noeviction and it persists (docs/deploy.md)", e.getMessage());
            return;
        }
        String policy = field(memory, "maxmemory_policy");
        if (policy != null && !"noeviction".equals(policy)) {
            String message = "HOTPOT-REDIS-001 Redis evicts keys (maxmemory-policy " + policy + "): it holds task records, "
                    + "leases, the due set and schedules, which eviction would lose without a trace. Set "
                    + "maxmemory-policy noeviction on the server (docs/deploy.md, Redis requirements).";
            LOG.error(message);
            throw new IllegalStateException(message);
        }
        if (oldKeys > 0) {
            String message = "HOTPOT-REDIS-015 Redis holds Hotpot's keys under their earlier names (" + RedisKeys.OLD_PREFIX
                    + "…, such as " + OLD_LAYOUT_KEYS.get(0) + "); this release names them " + RedisKeys.PREFIX + "… (one hash slot, "
                    + "for Redis Cluster). Stop every Hotpot service, run redis/migrate-keys.sh against this Redis, then start "
                    + "this release (docs/deploy.md, Upgrading to the {hotpot} key layout).";
            LOG.error(message);
            throw new IllegalStateException(message);
        }
        boolean aof = "1".equals(field(persistence, "aof_enabled"));
        if (!aof && (save == null || save.isBlank())) {
            LOG.warnf("HOTPOT-REDIS-002 Redis %s: a restart of it loses task records, schedules and chat history. "
                    + "Turn on AOF (appendonly yes, appendfsync everysec) or RDB snapshots in production (docs/deploy.md)",
                    save == null ? "has AOF off and its RDB snapshots could not be read (CONFIG GET denied)"
                            : "has no persistence (no AOF, no RDB snapshots)");
        }
    }

    /** Whether a TLS handshake failed somewhere under {@code e}. */
    private static boolean tlsRefused(Throwable e) {
        return Stream.iterate(e, Objects::nonNull, Throwable::getCause).anyMatch(javax.net.ssl.SSLException.class::isInstance);
    }

    /** The innermost cause's message: what the TLS layer said. */
    private static String rootMessage(Throwable e) {
        Throwable root = Stream.iterate(e, Objects::nonNull, Throwable::getCause).reduce((outer, inner) -> inner).orElse(e);
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    /** A field of an {@code INFO} section ({@code name:value} lines), or null. */
    static String field(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }

    /** {@code CONFIG GET name}'s value, or null when the command is denied (managed Redis, ACL). */
    private static String configValue(RedisDataSource server, String name) {
        try {
            Response answer = server.execute("CONFIG", "GET", name);
            if (answer == null || answer.size() == 0) {
                return null;
            }
            // RESP3 answers a map, RESP2 a flat [name, value] array.
            Response value = answer.containsKey(name) ? answer.get(name) : answer.get(1);
            return value == null ? "" : value.toString();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
