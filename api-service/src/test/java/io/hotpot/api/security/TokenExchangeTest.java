package io.hotpot.api.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.hotpot.common.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * {@code POST /api/tokens} with authentication on: a key buys a token carrying the key's roles,
 * which the REST API then honours; no key or a wrong one buys nothing.
 */
@QuarkusTest
@TestProfile(AuthOnProfile.class)
class TokenExchangeTest {
    /** A client address of this test's own, so the per-address token bucket is not shared with other tests. */
    private final String address = "10.9." + (int) (Math.random() * 250) + "." + (int) (Math.random() * 250);

    @Test
    void aKeyBuysATokenWithTheRolesItNamesWhichTheApiHonours() throws Exception {
        String token = given().header("X-Forwarded-For", address).contentType("application/json")
                .body("{\"key\":\"" + AuthOnProfile.TestKey.SUBMIT_READ.key + "\",\"rooms\":[\"lobby\"],"
                        + "\"roles\":[\"read\",\"submit\"]}")
                .post("/api/tokens").then().statusCode(200)
                .body("user", equalTo(AuthOnProfile.TestKey.SUBMIT_READ.name))
                .body("roles", hasItems("read", "submit"))
                .extract().path("token");
        JsonNode claims = Json.newMapper().readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertEquals(AuthOnProfile.TestKey.SUBMIT_READ.name, claims.get("upn").asText());
        assertEquals("lobby", claims.get("rooms").get(0).asText());

        given().header("Authorization", "Bearer " + token).get("/api/workers").then().statusCode(200);
        given().header("Authorization", "Bearer " + token).get("/api/dead-letters").then().statusCode(403)
                .contentType("application/problem+json");
    }

    @Test
    void aBackendNamesItsOwnUsers() {
        given().header("X-Forwarded-For", address).contentType("application/json")
                .body("{\"key\":\"" + AuthOnProfile.TestKey.READ.key + "\",\"user\":\"carol\",\"roles\":[\"read\"]}")
                .post("/api/tokens").then().statusCode(200).body("user", equalTo("carol"));
    }

    @Test
    void withoutRolesATokenIsAChatTokenThatTheRestApiRefuses() throws Exception {
        // An admin key minting tokens for a backend's users hands out chat, not admin.
        String token = given().header("X-Forwarded-For", address).contentType("application/json")
                .body("{\"key\":\"" + AuthOnProfile.TestKey.ADMIN.key + "\",\"user\":\"dave\"}")
                .post("/api/tokens").then().statusCode(200)
                .body("roles", equalTo(java.util.List.of("chat")))
                .extract().path("token");
        JsonNode claims = Json.newMapper().readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertEquals("[\"chat\"]", claims.get("groups").toString());
        for (String path : java.util.List.of("/api/tasks", "/api/workers", "/api/dead-letters", "/api/rooms")) {
            given().header("Authorization", "Bearer " + token).get(path).then().statusCode(403)
                    .contentType("application/problem+json");
        }
    }

    @Test
    void adminNeedsAnExplicitRequestAndAnAdminKey() {
        given().header("X-Forwarded-For", address).contentType("application/json")
                .body("{\"key\":\"" + AuthOnProfile.TestKey.ADMIN.key + "\",\"roles\":[\"admin\"]}")
                .post("/api/tokens").then().statusCode(200).body("roles", equalTo(java.util.List.of("admin")));
        given().header("X-Forwarded-For", address).contentType("application/json")
                .body("{\"key\":\"" + AuthOnProfile.TestKey.SUBMIT_READ.key + "\",\"roles\":[\"read\",\"admin\"]}")
                .post("/api/tokens").then().statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("does not hold admin"));
    }

    @Test
    void aTokenNeverCarriesMoreThanTheKeyHolds() {
        // A read key has no chat: not even the default chat token.
        given().header("X-Forwarded-For", address).contentType("application/json")
                .body("{\"key\":\"" + AuthOnProfile.TestKey.READ.key + "\"}")
                .post("/api/tokens").then().statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("does not hold chat"));
        given().header("X-Forwarded-For", address).contentType("application/json")
                .body("{\"key\":\"" + AuthOnProfile.TestKey.CHAT_READ.key + "\",\"roles\":[\"chat\",\"submit\"]}")
                .post("/api/tokens").then().statusCode(403).body("detail", containsString("does not hold submit"));
        given().header("X-Forwarded-For", address).contentType("application/json")
                .body("{\"key\":\"" + AuthOnProfile.TestKey.CHAT_READ.key + "\",\"roles\":[\"chat\",\"read\"],"
                        + "\"rooms\":[\"support-42\"]}")
                .post("/api/tokens").then().statusCode(200)
                .body("roles", equalTo(java.util.List.of("chat", "read")))
                .body("rooms", equalTo(java.util.List.of("support-42")));
        given().header("X-Forwarded-For", address).contentType("application/json")
                .body("{\"key\":\"" + AuthOnProfile.TestKey.CHAT_READ.key + "\",\"roles\":[\"root\"]}")
                .post("/api/tokens").then().statusCode(422)
                .contentType("application/problem+json").body("errors.field", org.hamcrest.Matchers.hasItem("roles[0]"));
        given().header("X-Forwarded-For", address).contentType("application/json")
                .body("{\"key\":\"" + AuthOnProfile.TestKey.CHAT_READ.key + "\",\"roles\":[]}")
                .post("/api/tokens").then().statusCode(422).body("errors.field", org.hamcrest.Matchers.hasItem("roles"));
    }

    @Test
    void noKeyOrAWrongKeyBuysNothing() {
        given().header("X-Forwarded-For", address).contentType("application/json").body("{\"user\":\"mallory\"}")
                .post("/api/tokens").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("detail", containsString("API key"));
        given().header("X-Forwarded-For", address).contentType("application/json")
                .body(("{\"key\":\"" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8))
                .post("/api/tokens").then().statusCode(401)
                .header("WWW-Authenticate", containsString("invalid_token"));
    }
}
