package io.hotpot.api.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.hotpot.api.security.AuthOnProfile.TestKey;
import io.hotpot.common.RedisKeys;
import io.quarkus.arc.Arc;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Token buckets per credential in the real Redis: a burst, then 429 with Retry-After, others unaffected. */
@QuarkusTest
@TestProfile(AuthOnProfile.class)
class RateLimitTest {
    private static final String TASK = "{\"type\":\"no-such-type\"}";

    @Test
    void taskSubmissionsBeyondTheBurstAreRefusedWith429AndRetryAfter() {
        for (int i = 0; i < AuthOnProfile.TASKS_BURST; i++) {
            // 422: the body still reached the resource after the asynchronous check in Redis.
            submit(TestKey.LIMITED).statusCode(422).body("detail", containsString("no-such-type"));
        }
        submit(TestKey.LIMITED).statusCode(429).contentType("application/problem+json")
                .header("Retry-After", matchesPattern("[1-9][0-9]*"))
                .body("status", equalTo(429)).body("detail", containsString("try again in"));
        // Another credential has a bucket of its own; other endpoints are not limited.
        submit(TestKey.ADMIN).statusCode(422);
        given().header("Authorization", TestKey.READ.bearer())
                .get("/api/tasks?limit=1").then().statusCode(200);
    }

    @Test
    void tokenIssuingIsLimitedPerCredentialToo() {
        for (int i = 0; i < AuthOnProfile.TOKENS_BURST; i++) {
            tokens().statusCode(not(equalTo(429)));
        }
        tokens().statusCode(429).header("Retry-After", matchesPattern("[1-9][0-9]*"));
    }

    @AfterAll
    static void deleteBuckets() {
        RedisDataSource redis = Arc.container().instance(RedisDataSource.class).get();
        for (String credential : AuthOnProfile.bucketCredentials()) {
            redis.key().del(RedisKeys.rateLimit("tasks", credential), RedisKeys.rateLimit("tokens", credential));
        }
    }

    private static io.restassured.response.ValidatableResponse submit(TestKey key) {
        return given().header("Authorization", key.bearer()).contentType("application/json").body(TASK)
                .post("/api/tasks").then();
    }

    private static io.restassured.response.ValidatableResponse tokens() {
        // The bucket is the bearer's when one is sent (the key to exchange may be in the body).
        return given().header("Authorization", TestKey.SUBMIT_READ.bearer()).contentType("application/json")
                .body("{\"key\":\"x\"}").post("/api/tokens").then();
    }
}
