package io.hotpot.redis;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import io.hotpot.common.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;

/**
 * Runs commands that name no key (such as {@code WAIT} and {@code INFO}) on the Redis server that
 * holds Hotpot's keys. With one server or Sentinel that is where every command goes. In a Redis
 * Cluster a keyless command would go to any primary; there the connection first watches a key of
 * Hotpot's hash slot, which pins it to that slot's primary (the client's single-node transactions,
 * see {@link RedisConnections}), and unwatches after. Blocking: call from a worker thread.
 */
final class SlotPrimary {
    private SlotPrimary() {
    }

    static <T> T call(RedisDataSource redis, RedisConfig config, Function<RedisDataSource, T> commands) {
        boolean cluster = config.mode() == RedisConfig.Mode.CLUSTER;
        AtomicReference<T> result = new AtomicReference<>();
        redis.withConnection(connection -> {
            if (cluster) {
                connection.execute("WATCH", RedisKeys.WORKERS);
            }
            try {
                result.set(commands.apply(connection));
            } finally {
                if (cluster) {
                    connection.execute("UNWATCH");
                }
            }
        });
        return result.get();
    }
}
