package io.hotpot.api.security;

import jakarta.enterprise.context.ApplicationScoped;

import io.hotpot.api.config.ApiConfig;
import io.hotpot.common.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;

/**
 * Token buckets per credential and action, in Redis so every api-service replica shares them.
 * One Lua script takes a token atomically, on Redis's clock (no skew between replicas).
 */
@ApplicationScoped
public class RateLimiter {
    /**
     * KEYS[1] bucket; ARGV[1] tokens per second, ARGV[2] burst. Refills by the time passed since
     * the last call, takes one token if there is one; returns 0, or the milliseconds until one is there.
     */
    private static final String TAKE = """
            local now_parts = redis.call('TIME')
            local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
            local rate = tonumber(ARGV[1]) / 1000
            local burst = tonumber(ARGV[2])
            local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
            local tokens = tonumber(bucket[1]) or burst
            local at = tonumber(bucket[2]) or now
            tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
            local wait = 0
            if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / rate) end
            redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
            redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 1000)
            return wait
            """;

    private final ReactiveRedisDataSource redis;
    private final ApiConfig.RateLimit config;

    public RateLimiter(ReactiveRedisDataSource redis, ApiConfig config) {
        this.redis = redis;
        this.config = config.auth().rateLimit();
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** Takes one request from the caller's bucket: 0 when allowed, else the milliseconds to wait. */
    public Uni<Long> take(EndpointPolicy.Limit limit, String credential) {
        ApiConfig.Bucket bucket = limit == EndpointPolicy.Limit.TASKS ? config.tasks() : config.tokens();
        return redis.execute("EVAL", TAKE, "1", RedisKeys.rateLimit(limit.id(), credential),
                Double.toString(bucket.rate()), Integer.toString(bucket.burst()))
                .map(response -> response.toLong());
    }
}
