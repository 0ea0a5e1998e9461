package io.hotpot.api.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.hotpot.api.service.TaskCatalogue;
import io.hotpot.common.Amqp;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * A fresh install with no worker: the configuration declares the catalogue, so submissions are
 * accepted (202, workers 0) before any worker ever ran. The test declares the RabbitMQ queue of
 * its declared queue itself (api-service's declaration of it at start-up belongs to the messaging
 * module), so nothing lands in the shared default queue.
 */
@QuarkusTest
@TestProfile(DeclaredCatalogueTest.Declared.class)
class DeclaredCatalogueTest {
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String TYPE = "declared-only-" + RUN;
    static final String LOOSE = "declared-loose-" + RUN;
    static final String QUEUE = "api-declared-" + RUN;

    public static class Declared implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hotpot.catalogue.types", "[{\"type\":\"" + TYPE + "\",\"workload\":\"IO\","
                    + "\"args\":[{\"name\":\"n\",\"type\":\"INTEGER\",\"required\":true}]},{\"type\":\"" + LOOSE + "\"}]",
                    "hotpot.catalogue.queues", QUEUE + ",api-declared-other-" + RUN);
        }
    }

    @Inject
    TaskCatalogue catalogue;

    @Test
    void declaredEntriesAreAcceptedWithNoWorker() throws Exception {
        assertEquals(List.of(QUEUE, "api-declared-other-" + RUN, "default"), catalogue.declaredQueues());
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (Connection amqp = factory.newConnection("api-service declared catalogue test");
                Channel channel = amqp.createChannel()) {
            channel.queueDeclare(Amqp.queueName(QUEUE), true, false, false, Amqp.queueArguments());
            channel.queueBind(Amqp.queueName(QUEUE), Amqp.TASKS_EXCHANGE, QUEUE);
            try {
                submitWithNoWorker();
                assertEquals(2, channel.messageCount(Amqp.queueName(QUEUE)));
            } finally {
                channel.queueDelete(Amqp.queueName(QUEUE));
            }
        }
    }

    private void submitWithNoWorker() {
        given().get("/api/catalogue").then().statusCode(200)
                .body("types.find { it.type == '" + TYPE + "' }.declared", equalTo(true))
                .body("types.find { it.type == '" + TYPE + "' }.lastAdvertisedAt", nullValue())
                .body("queues.name", hasItem(QUEUE));
        given().contentType(ContentType.JSON).body("{\"type\":\"" + TYPE + "\",\"args\":{\"n\":1},\"queue\":\"" + QUEUE + "\"}").post("/api/tasks")
                .then().statusCode(202).body("workers", equalTo(0)).header("Warning", containsString("no live worker"));
        given().contentType(ContentType.JSON).body("{\"type\":\"" + TYPE + "\",\"args\":{\"m\":1},\"queue\":\"" + QUEUE + "\"}").post("/api/tasks")
                .then().statusCode(422).body("errors.field", hasItem("args.m"));
        // Declared without args: any arguments, until a worker advertises the type.
        given().contentType(ContentType.JSON).body("{\"type\":\"" + LOOSE + "\",\"args\":{\"anything\":[1]},\"queue\":\"" + QUEUE + "\"}").post("/api/tasks")
                .then().statusCode(202);
        given().delete("/api/catalogue/types/" + TYPE).then().statusCode(409).body("detail", containsString("hotpot.catalogue.types"));
        given().delete("/api/catalogue/queues/" + QUEUE).then().statusCode(409);
    }
}
