package io.hotpot.scheduler;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(OwnLeaderGroup.class)
class HealthTest {
    @Test
    void readyWhenItsBrokersAnswer() {
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                        .body("checks.name", hasItems("rabbitmq", "Redis connection health check")));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
