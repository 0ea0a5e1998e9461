package io.hotpot.api.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;

/** The OpenAPI document describes the task API, its examples and its problem+json errors. */
@QuarkusTest
class OpenApiTest {
    @Inject
    ObjectMapper mapper;

    private JsonNode doc;

    @BeforeEach
    void fetch() throws Exception {
        doc = mapper.readTree(given().accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200).extract().asString());
    }

    /** Follows a {@code $ref} to a shared response, or returns the response itself. */
    private JsonNode response(JsonNode operation, String status) {
        JsonNode response = operation.path("responses").path(status);
        assertFalse(response.isMissingNode(), status + " is not documented: " + operation);
        String ref = response.path("$ref").asText(null);
        if (ref == null) {
            return response;
        }
        assertTrue(ref.startsWith("#/components/responses/"), ref);
        return doc.path("components").path("responses").path(ref.substring(ref.lastIndexOf('/') + 1));
    }

    private void assertProblem(JsonNode response, String status) {
        JsonNode problem = response.path("content").path("application/problem+json");
        assertFalse(problem.isMissingNode(), status + " is not problem+json: " + response);
        String schemaRef = problem.path("schema").path("$ref").asText();
        assertEquals("#/components/schemas/ProblemBody", schemaRef, status);
        JsonNode examples = problem.path("examples");
        assertTrue(examples.size() > 0, status + " has no example");
        examples.forEach(example -> assertTrue(example.path("value").path("status").asInt() == Integer.parseInt(status),
                status + " example: " + example));
    }

    @Test
    void submittingATaskIsDocumentedWithExamplesAndItsErrors() {
        JsonNode post = doc.path("paths").path("/api/tasks").path("post");
        assertFalse(post.isMissingNode(), "POST /api/tasks");
        JsonNode body = post.path("requestBody").path("content").path("application/json");
        assertEquals("add", body.path("examples").path("add").path("value").path("type").asText());
        JsonNode accepted = response(post, "202");
        assertEquals("PENDING", accepted.path("content").path("application/json").path("examples")
                .path("pending").path("value").path("status").asText());
        assertNotNull(accepted.path("headers").get("Location"));
        assertNotNull(accepted.path("headers").get("X-Correlation-Id"));
        for (String status : List.of("400", "413", "422", "503")) {
            assertProblem(response(post, status), status);
        }
    }

    @Test
    void readingATaskIsDocumentedWithItsNotFound() {
        JsonNode get = doc.path("paths").path("/api/tasks/{id}").path("get");
        assertFalse(get.isMissingNode(), "GET /api/tasks/{id}");
        assertEquals("SUCCESS", response(get, "200").path("content").path("application/json").path("examples")
                .path("succeeded").path("value").path("status").asText());
        assertProblem(response(get, "404"), "404");
    }

    @Test
    void theSubmissionAndProblemSchemasNameTheirFields() {
        JsonNode schemas = doc.path("components").path("schemas");
        assertEquals("string", schemas.path("TaskSubmission").path("properties").path("type").path("type").asText());
        assertEquals(9, schemas.path("TaskSubmission").path("properties").path("priority").path("maximum").asInt());
        for (String field : List.of("type", "title", "status", "detail", "errors")) {
            assertFalse(schemas.path("ProblemBody").path("properties").path(field).isMissingNode(), "ProblemBody." + field);
        }
        List<String> statuses = List.of("PENDING", "SCHEDULED", "STARTED", "RETRY", "SUCCESS", "FAILURE", "REVOKED");
        List<String> documented = mapper.convertValue(schemas.path("TaskStatus").path("enum"),
                mapper.getTypeFactory().constructCollectionType(List.class, String.class));
        assertTrue(documented.containsAll(statuses), "TaskStatus: " + documented);
    }

    @Test
    void waitingAndTheCatalogueAreDocumented() {
        JsonNode post = doc.path("paths").path("/api/tasks").path("post");
        JsonNode get = doc.path("paths").path("/api/tasks/{id}").path("get");
        for (JsonNode operation : List.of(post, get)) {
            JsonNode wait = null;
            for (JsonNode parameter : operation.path("parameters")) {
                if ("wait".equals(parameter.path("name").asText())) {
                    wait = parameter;
                }
            }
            assertNotNull(wait, "?wait= is documented: " + operation.path("parameters"));
            assertEquals("query", wait.path("in").asText());
            assertTrue(wait.path("description").asText().contains("ISO-8601"), wait.toString());
            assertProblem(response(operation, "400"), "400");
        }
        assertEquals("SUCCESS", response(post, "200").path("content").path("application/json").path("examples")
                .path("done within the wait").path("value").path("status").asText());
        JsonNode accepted = response(post, "202");
        assertNotNull(accepted.path("headers").get("Warning"));
        assertEquals(0, accepted.path("content").path("application/json").path("examples").path("pending").path("value")
                .path("workers").asInt(-1));
        assertFalse(doc.path("paths").path("/api/catalogue").path("get").isMissingNode());
        assertFalse(doc.path("paths").path("/api/catalogue/types/{type}").path("delete").isMissingNode());
        assertFalse(doc.path("paths").path("/api/catalogue/queues/{queue}").path("delete").isMissingNode());
    }

    @Test
    void workersAndDemosAreDocumented() {
        assertFalse(doc.path("paths").path("/api/workers").path("get").isMissingNode());
        assertFalse(doc.path("paths").path("/api/demo/hello").path("get").isMissingNode());
        assertProblem(response(doc.path("paths").path("/api/demo/sleep").path("get"), "400"), "400");
    }

    @Test
    void swaggerUiIsServed() {
        given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }
}
