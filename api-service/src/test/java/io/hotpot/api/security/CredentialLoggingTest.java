package io.hotpot.api.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

import io.hotpot.api.security.AuthOnProfile.TestKey;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Refused and accepted credentials alike: no key, key hash or token ever reaches the log. */
@QuarkusTest
@TestProfile(AuthOnProfile.class)
class CredentialLoggingTest {
    @Test
    void credentialsNeverReachTheLog() {
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                Object[] params = record.getParameters();
                String text = record.getMessage() + (params == null ? "" : " " + List.of(params));
                lines.add(record.getThrown() == null ? text : text + " " + record.getThrown());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(Level.ALL);
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        String wrongKey = "hp_wrong-" + AuthOnProfile.RUN;
        String foreignToken = TestTokens.foreignKey("mallory", "admin");
        String token = TestTokens.token("zoe-" + AuthOnProfile.RUN, "read");
        try {
            given().header("Authorization", "Bearer " + wrongKey).get("/api/workers").then().statusCode(401);
            given().header("Authorization", "Bearer " + foreignToken).get("/api/workers").then().statusCode(401);
            given().header("Authorization", TestKey.READ.bearer()).delete("/api/tasks/x").then().statusCode(403);
            given().header("Authorization", "Bearer " + token).delete("/api/tasks/x").then().statusCode(403);
            given().header("Authorization", TestKey.READ.bearer()).get("/api/workers").then().statusCode(200);
        } finally {
            root.removeHandler(capture);
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("HOTPOT-API-103")), "the refusals were logged: " + lines);
        List<String> secrets = List.of(wrongKey, TestKey.READ.key, ApiKeys.hash(TestKey.READ.key),
                foreignToken.substring(foreignToken.lastIndexOf('.') + 1), token.substring(token.lastIndexOf('.') + 1),
                token.substring(0, token.indexOf('.')) + "." + token.split("\\.")[1]);
        assertEquals(List.of(), lines.stream().filter(l -> secrets.stream().anyMatch(l::contains)).toList());
    }
}
