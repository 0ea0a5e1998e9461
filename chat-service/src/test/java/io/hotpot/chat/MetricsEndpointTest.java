package io.hotpot.chat;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Prometheus scrapes chat-service at /q/metrics like every Hotpot service. */
@QuarkusTest
class MetricsEndpointTest {
    @Test
    void prometheusMetricsAreServed() {
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("jvm_memory_used_bytes"))
                .body(containsString("process_uptime_seconds"));
    }
}
