package io.hotpot.api.security;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * api-service with authentication on, API keys of this run's own (random, so concurrent builds on
 * the shared Redis never share a rate-limit bucket) and rate limits small enough to reach.
 */
public class AuthOnProfile implements QuarkusTestProfile {
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    /** A key per role set; the name is what the caller id and the rate-limit bucket say. */
    public enum TestKey {
        SUBMIT("submit"), READ("read"), SUBMIT_READ("submit+read"), ADMIN("admin"), LIMITED("submit"),
        CHAT_READ("chat+read");

        final String name;
        final String roles;
        final String key;

        TestKey(String roles) {
            this.name = name().toLowerCase().replace('_', '-') + "-" + RUN;
            this.roles = roles;
            this.key = "hp_" + UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
        }

        String bearer() {
            return "Bearer " + key;
        }
    }

    /** Tasks bucket: 3 at once, then one every 100 s; what the rate-limit test exhausts. */
    static final int TASKS_BURST = 3;
    /** Tokens bucket: 5 at once, then one every 100 s. */
    static final int TOKENS_BURST = 5;

    @Override
    public Map<String, String> getConfigOverrides() {
        StringBuilder keys = new StringBuilder();
        for (TestKey key : TestKey.values()) {
            keys.append(keys.isEmpty() ? "" : ",").append(key.name).append(':').append(ApiKeys.hash(key.key))
                    .append(':').append(key.roles);
        }
        return Map.of("hotpot.auth.enabled", "true",
                "hotpot.auth.rate-limit.tokens.rate", "0.01",
                "hotpot.auth.rate-limit.tokens.burst", Integer.toString(TOKENS_BURST),
                "hotpot.auth.api-keys", keys.toString(),
                "hotpot.auth.rate-limit.enabled", "true",
                "hotpot.auth.rate-limit.tasks.rate", "0.01",
                "hotpot.auth.rate-limit.tasks.burst", Integer.toString(TASKS_BURST));
    }

    /** Every rate-limit bucket this run may have made, to delete after. */
    static Set<String> bucketCredentials() {
        Set<String> credentials = new java.util.HashSet<>();
        for (TestKey key : TestKey.values()) {
            credentials.add("key:" + key.name);
        }
        credentials.add("token:alice-" + RUN);
        return credentials;
    }
}
