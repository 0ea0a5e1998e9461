package io.hotpot.worker.task;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.hotpot.common.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.redis.client.Response;

/**
 * Stops running tasks that were revoked: every {@code hotpot.worker.revoke-check-interval} it
 * reads, in one script, the status of every task running here, and interrupts those that
 * api-service has set to {@code REVOKED}. A plain read rather than a pub/sub subscription,
 * because a subscription silently lost in a Redis restart would let revoked tasks run on.
 */
@ApplicationScoped
public class RevokeJob {
    private static final Logger LOG = Logger.getLogger(RevokeJob.class);
    /** KEYS: the records of the running tasks. Returns the indexes (1-based) of those REVOKED. */
    private static final String REVOKED = """
            local out = {}
            for i, key in ipairs(KEYS) do
              if redis.call('HGET', key, 'status') == 'REVOKED' then out[#out + 1] = i end
            end
            return out
            """;

    private final RedisDataSource redis;
    private final TaskRunner runner;

    public RevokeJob(RedisDataSource redis, TaskRunner runner) {
        this.redis = redis;
        this.runner = runner;
    }

    @Scheduled(every = "${hotpot.worker.revoke-check-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        List<String> ids = runner.runningIds();
        if (ids.isEmpty()) {
            return;
        }
        try {
            List<String> args = new ArrayList<>(List.of(REVOKED, Integer.toString(ids.size())));
            ids.forEach(id -> args.add(RedisKeys.task(id)));
            Response revoked = redis.execute("EVAL", args.toArray(String[]::new));
            for (Response index : revoked) {
                String id = ids.get(index.toInteger() - 1);
                if (runner.revoke(id)) {
                    LOG.infof("HOTPOT-WORKER-051 task %s was revoked; interrupting its handler", id);
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("HOTPOT-WORKER-050 revoked tasks not checked (%s); next round tries again", e.getMessage());
        }
    }
}
