package io.hotpot.api.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.hotpot.common.Json;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class TokenResourceTest {

    @Test
    void issuesASignedTokenNamingTheUserAndRooms() throws Exception {
        String token = given().contentType("application/json").body("{\"user\":\"alice\",\"rooms\":[\"lobby\",\"ops\"]}")
                .post("/api/tokens").then().statusCode(200)
                .body("user", equalTo("alice")).body("rooms", hasItem("ops"))
                .extract().path("token");
        String[] parts = token.split("\\.");
        assertEquals(3, parts.length);
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(testPublicKey());
        rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(rs256.verify(Base64.getUrlDecoder().decode(parts[2])), "signed with the configured key");
        JsonNode claims = Json.newMapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertEquals("hotpot", claims.get("iss").asText());
        assertEquals("alice", claims.get("upn").asText());
        assertEquals("lobby", claims.get("rooms").get(0).asText());
        assertTrue(claims.get("exp").asLong() > claims.get("iat").asLong());
    }

    @Test
    void badRequestsGetAProblemAndNoToken() {
        given().contentType("application/json").body("{\"user\":\"\"}").post("/api/tokens").then().statusCode(422)
                .contentType("application/problem+json").body("errors.field", hasItem("user"));
        given().contentType("application/json").body("{\"user\":\"bob\",\"rooms\":[\"no spaces\"]}").post("/api/tokens")
                .then().statusCode(422).body("errors.field", hasItem("rooms[0]"));
        given().contentType("application/json").body("{\"user\":").post("/api/tokens").then().statusCode(400)
                .contentType("application/problem+json");
    }

    private static PublicKey testPublicKey() throws Exception {
        String pem;
        try (var in = TokenResourceTest.class.getResourceAsStream("/test-keys/publicKey.pem")) {
            pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    }
}
