package io.hotpot.api.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class DemoResourceTest {
    @Test
    void helloIsPlainText() {
        given().get("/api/demo/hello").then().statusCode(200).contentType(containsString("text/plain"))
                .body(equalTo("Hello from Hotpot"));
    }

    @Test
    void sleepWaitsAndAnswers() {
        long start = System.nanoTime();
        given().get("/api/demo/sleep?seconds=0.2").then().statusCode(200).body(containsString("Slept 0.2 s"));
        long waited = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waited >= 200, "answered after " + waited + " ms, before the 200 ms it was asked to wait");
        given().get("/api/demo/sleep?seconds=0").then().statusCode(200).body(containsString("Slept 0 s"));
    }

    @Test
    void sleepRefusesNonsense() {
        for (String seconds : new String[] { "abc", "-1", "61", "NaN" }) {
            given().get("/api/demo/sleep?seconds=" + seconds).then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", equalTo("seconds"));
        }
    }
}
