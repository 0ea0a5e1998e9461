package io.hotpot.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.hotpot.common.RedisKeys;

/**
 * {@code redis/migrate-keys.sh}, run as an operator runs it (bash and redis-cli), against a
 * redis-server of this test's own on a free port holding keys of the earlier layout; and the
 * start-up check's list of old keys names keys that layout had.
 */
class MigrateKeysTest {
    private OwnRedisServer redis;

    @BeforeEach
    void startRedis() throws Exception {
        redis = OwnRedisServer.start();
    }

    @AfterEach
    void stopRedis() throws Exception {
        redis.close();
    }

    @Test
    void everyOldKeyGetsItsNewNameWithItsValueAndExpiry() throws Exception {
        cli("HSET", "hotpot:task:t-1", "status", "SUCCESS", "result", "5");
        cli("EXPIRE", "hotpot:task:t-1", "3600");
        cli("ZADD", "hotpot:workers", "1", "w-1");
        cli("XADD", "hotpot:chat:room:two words", "*", "user", "ada", "text", "hi");
        cli("SET", "hotpot:idempotency:order 17", "t-1");
        cli("HSET", "hotpot:schedules", "nightly", "{}");
        // Not Hotpot's: left alone.
        cli("SET", "hotpotato", "1");
        // 2,500 keys: more than one batch of the script's SCAN.
        for (int i = 0; i < 2_500; i += 500) {
            List<String> mset = new ArrayList<>(List.of("MSET"));
            for (int j = i; j < i + 500; j++) {
                mset.addAll(List.of("hotpot:tombstone:t-" + j, "1"));
            }
            cli(mset.toArray(String[]::new));
        }

        Result run = migrate();
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("renamed 2505 key(s)"), run.output());

        assertEquals("SUCCESS", cli("HGET", RedisKeys.task("t-1"), "status"));
        long ttl = Long.parseLong(cli("TTL", RedisKeys.task("t-1")));
        assertTrue(ttl > 3500 && ttl <= 3600, "the expiry is kept: " + ttl);
        assertEquals("1", cli("ZSCORE", RedisKeys.WORKERS, "w-1"));
        assertEquals("1", cli("XLEN", RedisKeys.chatRoom("two words")));
        assertEquals("t-1", cli("GET", RedisKeys.idempotency("order 17")));
        assertEquals("{}", cli("HGET", RedisKeys.SCHEDULES, "nightly"));
        assertEquals("1", cli("EXISTS", RedisKeys.tombstone("t-2499")));
        assertEquals("0", cli("EXISTS", "hotpot:task:t-1"));
        Set<String> left = new TreeSet<>(List.of(cli("KEYS", "hotpot*").split("\n")));
        assertEquals(Set.of("hotpotato"), left, "only the key that is not Hotpot's keeps its name");

        Result again = migrate();
        assertEquals(0, again.exitCode(), again.output());
        assertTrue(again.output().contains("renamed 0 key(s)"), again.output());
    }

    @Test
    void aKeyThatExistsUnderBothNamesIsKeptAndReported() throws Exception {
        cli("SET", "hotpot:idempotency:k", "old");
        cli("SET", RedisKeys.idempotency("k"), "new");
        Result run = migrate();
        assertEquals(1, run.exitCode(), run.output());
        assertTrue(run.output().contains("kept hotpot:idempotency:k") && run.output().contains("1 left under their old names"),
                run.output());
        assertEquals("new", cli("GET", RedisKeys.idempotency("k")), "nothing written by this release is overwritten");
        assertEquals("old", cli("GET", "hotpot:idempotency:k"));
    }

    @Test
    void theStartUpCheckLooksForKeysTheOldLayoutHad() {
        assertTrue(RedisServerCheck.OLD_LAYOUT_KEYS.contains("hotpot:workers"), RedisServerCheck.OLD_LAYOUT_KEYS.toString());
        assertTrue(RedisServerCheck.OLD_LAYOUT_KEYS.contains("hotpot:catalogue:types"), RedisServerCheck.OLD_LAYOUT_KEYS.toString());
        assertTrue(RedisServerCheck.OLD_LAYOUT_KEYS.stream().allMatch(key -> key.startsWith(RedisKeys.OLD_PREFIX)));
    }

    private record Result(int exitCode, String output) {
    }

    private Result migrate() throws Exception {
        Process process = new ProcessBuilder("bash", "migrate-keys.sh", "-p", Integer.toString(redis.port())).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "migrate-keys.sh did not end");
        return new Result(process.exitValue(), output);
    }

    private String cli(String... command) throws Exception {
        return redis.cli(command);
    }
}
