package io.hotpot.api.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.oneOf;
import static org.hamcrest.Matchers.startsWith;

import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import io.hotpot.api.security.AuthOnProfile.TestKey;
import io.hotpot.api.security.EndpointTable.Row;
import io.hotpot.common.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * Every endpoint of {@link EndpointTable} × {no credential, wrong key, a key lacking the role, the
 * right key}, then the same with tokens, each answer asserted. Against the real Redis and RabbitMQ.
 */
@QuarkusTest
@TestProfile(AuthOnProfile.class)
class EndpointAccessTest {
    private static final String PROBLEM = "application/problem+json";

    @TestFactory
    Stream<DynamicTest> everyEndpointWithEveryKindOfCredential() {
        return EndpointTable.ROWS.stream().flatMap(row -> Stream.of(
                DynamicTest.dynamicTest(row.name() + " without credentials", () -> withoutCredentials(row)),
                DynamicTest.dynamicTest(row.name() + " with a wrong key", () -> wrongKey(row)),
                DynamicTest.dynamicTest(row.name() + " with a key lacking the role", () -> lackingRole(row)),
                DynamicTest.dynamicTest(row.name() + " with the right key", () -> rightKey(row))));
    }

    @TestFactory
    Stream<DynamicTest> everyEndpointWithTokens() {
        return EndpointTable.ROWS.stream().filter(row -> row.role() != null).flatMap(row -> Stream.of(
                DynamicTest.dynamicTest(row.name() + " with a token holding the role", () -> rightAnswer(row,
                        call(row, "Bearer " + TestTokens.token("alice-" + AuthOnProfile.RUN, row.role().id())))),
                DynamicTest.dynamicTest(row.name() + " with a token lacking the role", () -> forbidden(
                        call(row, "Bearer " + TestTokens.token("bob-" + AuthOnProfile.RUN, lacking(row.role()).id())))),
                DynamicTest.dynamicTest(row.name() + " with an expired token", () -> unauthorized(
                        call(row, "Bearer " + TestTokens.expired("carol", row.role().id())), true)),
                DynamicTest.dynamicTest(row.name() + " with a token of another issuer", () -> unauthorized(
                        call(row, "Bearer " + TestTokens.otherIssuer("dave", row.role().id())), true)),
                DynamicTest.dynamicTest(row.name() + " with a token signed by another key", () -> unauthorized(
                        call(row, "Bearer " + TestTokens.foreignKey("eve", row.role().id())), true))));
    }

    @Test
    void adminMayDoEverything() {
        for (Row row : EndpointTable.ROWS) {
            if (row.role() != null && !(row.method().equals("POST") && row.template().equals("/api/tasks"))) {
                rightAnswer(row, call(row, TestKey.ADMIN.bearer()));
            }
        }
    }

    @Test
    void unlistedApiPathsNeedAdminAndOtherPathsStayOpen() {
        given().get("/api/not-yet-written").then().statusCode(401);
        given().header("Authorization", TestKey.SUBMIT_READ.bearer()).get("/api/not-yet-written").then().statusCode(403);
        given().header("Authorization", TestKey.ADMIN.bearer()).get("/api/not-yet-written").then().statusCode(404);
        // Other spellings of /api/workers never serve its data without a credential.
        given().get("/API/workers").then().statusCode(401);
        given().get("/api//workers").then().statusCode(oneOf(401, 404));
        given().get("/x/../api/workers").then().statusCode(oneOf(401, 404));
        given().get("/api/workers;x=1").then().statusCode(401);
        for (String open : new String[] { "/", "/dashboard/", "/assets/hotpot.js", "/q/health/live", "/signin.html" }) {
            given().get(open).then().statusCode(200);
            // Credentials are not even looked at outside /api, so a bad one breaks no page or probe.
            given().header("Authorization", "Bearer wrong").get(open).then().statusCode(200);
        }
    }

    @Test
    void otherSchemesAreRefusedWithAChallenge() {
        given().header("Authorization", "Basic dXNlcjpwYXNz").get("/api/workers").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer")).contentType(PROBLEM);
        given().header("Authorization", "Bearer").get("/api/workers").then().statusCode(401);
    }

    @AfterAll
    static void deleteBuckets() {
        // Rate-limit buckets of this run's keys and token subjects; created only by POST /api/tasks and /api/tokens.
        RedisDataSource redis = io.quarkus.arc.Arc.container().instance(RedisDataSource.class).get();
        for (String credential : AuthOnProfile.bucketCredentials()) {
            redis.key().del(RedisKeys.rateLimit("tasks", credential), RedisKeys.rateLimit("tokens", credential));
        }
        // The anonymous call of POST /api/tokens is counted by the client's address.
        redis.key().del(RedisKeys.rateLimit("tokens", "addr:127.0.0.1"));
    }

    private void withoutCredentials(Row row) {
        ValidatableResponse response = call(row, null);
        if (row.role() == null) {
            response.statusCode(not(oneOf(401, 403)));
        } else {
            unauthorized(response, false);
        }
    }

    private void wrongKey(Row row) {
        unauthorized(call(row, "Bearer hp_not-a-key-of-this-hotpot"), true);
    }

    private void lackingRole(Row row) {
        if (row.role() == null) {
            // Anyone may call it: a read-only key passes the gate as well.
            call(row, TestKey.READ.bearer()).statusCode(not(oneOf(401, 403)));
            return;
        }
        TestKey key = switch (row.role()) {
            case SUBMIT -> TestKey.READ;
            case READ -> TestKey.SUBMIT;
            case ADMIN -> TestKey.SUBMIT_READ;
            case CHAT -> throw new IllegalStateException("no REST endpoint needs chat: " + row);
        };
        forbidden(call(row, key.bearer()));
    }

    private void rightKey(Row row) {
        TestKey key = row.role() == null ? TestKey.READ : switch (row.role()) {
            case SUBMIT -> TestKey.SUBMIT;
            case READ -> TestKey.READ;
            case ADMIN -> TestKey.ADMIN;
            case CHAT -> throw new IllegalStateException("no REST endpoint needs chat: " + row);
        };
        rightAnswer(row, call(row, key.bearer()));
    }

    private static void rightAnswer(Row row, ValidatableResponse response) {
        if (row.answer() != null) {
            response.statusCode(row.answer());
        } else {
            response.statusCode(not(oneOf(401, 403, 429)));
        }
    }

    private static void unauthorized(ValidatableResponse response, boolean credentialSent) {
        response.statusCode(401).contentType(PROBLEM)
                .header("WWW-Authenticate", credentialSent
                        ? equalTo("Bearer realm=\"hotpot\", error=\"invalid_token\"")
                        : equalTo("Bearer realm=\"hotpot\""))
                .body("status", equalTo(401)).body("title", equalTo("Unauthorized"))
                .body("detail", containsString(credentialSent ? "not valid" : "Authorization: Bearer"));
    }

    private static void forbidden(ValidatableResponse response) {
        response.statusCode(403).contentType(PROBLEM).body("status", equalTo(403))
                .body("detail", containsString("needs the role"));
    }

    private static Role lacking(Role role) {
        return role == Role.READ ? Role.SUBMIT : Role.READ;
    }

    private static ValidatableResponse call(Row row, String authorization) {
        RequestSpecification request = given();
        if (authorization != null) {
            request = request.header("Authorization", authorization);
        }
        if (row.body() != null) {
            request = request.contentType("application/json").body(row.body());
        }
        return request.request(row.method(), row.path()).then();
    }
}
