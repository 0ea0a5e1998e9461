package io.hotpot.api.rest;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The OpenAPI document's header and the shared problem responses ({@code application/problem+json},
 * schema {@link ProblemBody}) that operations refer to by name: {@link #BAD_REQUEST},
 * {@link #NOT_FOUND}, {@link #TOO_LARGE}, {@link #UNPROCESSABLE}, {@link #UNAVAILABLE}. Served at
 * {@code /q/openapi}, browsable at {@code /q/swagger-ui}.
 */
@OpenAPIDefinition(
        info = @Info(title = "Hotpot API", version = "0.1.0",
                description = "Submit background tasks and read their status and results (Celery's statuses), "
                        + "see the live workers, and try the concurrency demos. Every error is "
                        + "application/problem+json (RFC 9457). Send X-Correlation-Id to follow a request "
                        + "into the worker's logs; one is made when absent and always echoed back.",
                license = @License(name = "Apache 2.0", url = "https://www.apache.org/licenses/LICENSE-2.0")),
        tags = {
                @Tag(name = "tasks", description = "Submit a task, read its record"),
                @Tag(name = "workers", description = "The live workers"),
                @Tag(name = "catalogue", description = "The task types and queues accepted, with or without a live worker"),
                @Tag(name = "demo", description = "The concurrency experiments")
        },
        components = @Components(responses = {
                @APIResponse(name = ApiDocs.BAD_REQUEST, responseCode = "400",
                        description = "The request is malformed: unreadable JSON, a missing or wrongly typed field. Nothing was accepted.",
                        content = @Content(mediaType = ProblemBody.MEDIA_TYPE, schema = @Schema(implementation = ProblemBody.class),
                                examples = @ExampleObject(name = "missing type", value = """
                                        {"type":"about:blank","title":"Bad Request","status":400,
                                         "detail":"The task type is missing.","errors":[{"field":"type","message":"is required"}]}"""))),
                @APIResponse(name = ApiDocs.NOT_FOUND, responseCode = "404",
                        description = "No such task: never submitted, or its record expired.",
                        content = @Content(mediaType = ProblemBody.MEDIA_TYPE, schema = @Schema(implementation = ProblemBody.class),
                                examples = @ExampleObject(name = "unknown id", value = """
                                        {"type":"about:blank","title":"Not Found","status":404,
                                         "detail":"No task with id '0b7e…': it was never submitted, or its record expired."}"""))),
                @APIResponse(name = ApiDocs.TOO_LARGE, responseCode = "413",
                        description = "The body is larger than hotpot.tasks.max-body-bytes (1 MiB by default). Nothing was accepted.",
                        content = @Content(mediaType = ProblemBody.MEDIA_TYPE, schema = @Schema(implementation = ProblemBody.class),
                                examples = @ExampleObject(name = "too large", value = """
                                        {"type":"about:blank","title":"Content Too Large","status":413,
                                         "detail":"The request body is larger than 1048576 bytes; nothing was accepted."}"""))),
                @APIResponse(name = ApiDocs.UNPROCESSABLE, responseCode = "422",
                        description = "Well-formed, but not in the catalogue (GET /api/catalogue): a type or queue no worker ever advertised "
                                + "and the configuration does not declare, or arguments that do not fit the type.",
                        content = @Content(mediaType = ProblemBody.MEDIA_TYPE, schema = @Schema(implementation = ProblemBody.class),
                                examples = {
                                        @ExampleObject(name = "unknown type", value = """
                                                {"type":"about:blank","title":"Unprocessable Content","status":422,
                                                 "detail":"The task type 'emial' is unknown: no worker has advertised it and the configuration does not declare it (hotpot.catalogue.types). Known types: add, email, sleep.",
                                                 "errors":[{"field":"type","message":"is not a known task type"}]}"""),
                                        @ExampleObject(name = "wrong argument", value = """
                                                {"type":"about:blank","title":"Unprocessable Content","status":422,
                                                 "detail":"The arguments do not fit the task type 'add'.",
                                                 "errors":[{"field":"args.x","message":"must be an integer, got string"}]}""")
                                })),
                @APIResponse(name = ApiDocs.UNAVAILABLE, responseCode = "503",
                        description = "RabbitMQ did not confirm the task (unreachable, refused, or too slow). Nothing was queued; try again.",
                        content = @Content(mediaType = ProblemBody.MEDIA_TYPE, schema = @Schema(implementation = ProblemBody.class),
                                examples = @ExampleObject(name = "broker down", value = """
                                        {"type":"about:blank","title":"Service Unavailable","status":503,
                                         "detail":"The task was not accepted: RabbitMQ is not connected. Nothing was queued; try again."}""")))
        }))
public class ApiDocs extends Application {
    public static final String BAD_REQUEST = "BadRequest";
    public static final String NOT_FOUND = "NotFound";
    public static final String TOO_LARGE = "ContentTooLarge";
    public static final String UNPROCESSABLE = "UnprocessableContent";
    public static final String UNAVAILABLE = "ServiceUnavailable";
}
