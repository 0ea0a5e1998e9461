package io.hotpot.api.rest;

import java.time.Duration;
import java.util.List;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.hotpot.api.service.Problem;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;

/**
 * The concurrency experiments of the Django post, as endpoints: a plain hello, and a sleep that
 * waits on a timer instead of a thread, so thousands of them can wait at once.
 */
@Path("/api/demo")
@Produces(MediaType.TEXT_PLAIN)
@Tag(name = "demo")
public class DemoResource {
    static final double MAX_SLEEP_SECONDS = 60;

    @GET
    @Path("/hello")
    @NonBlocking // answered on the event loop: no hop to a worker thread (see docs/BENCHMARKS.md)
    @Operation(summary = "Say hello", description = "The cheapest request the API answers: the HTTP benchmark's target.")
    @APIResponse(responseCode = "200", description = "A greeting",
            content = @Content(mediaType = MediaType.TEXT_PLAIN, examples = @ExampleObject(name = "hello", value = "Hello from Hotpot")))
    public String hello() {
        return "Hello from Hotpot";
    }

    @GET
    @Path("/sleep")
    @Operation(summary = "Wait without holding a thread",
            description = "Answers after the given time, waiting on a timer: thousands can wait at once.")
    @APIResponse(responseCode = "200", description = "Slept",
            content = @Content(mediaType = MediaType.TEXT_PLAIN,
                    examples = @ExampleObject(name = "five seconds", value = "Slept 5 s without holding a thread")))
    @APIResponse(responseCode = "400", ref = ApiDocs.BAD_REQUEST)
    public Uni<String> sleep(@Parameter(description = "How long to wait, 0 to 60", example = "5") @QueryParam("seconds") @DefaultValue("5") String seconds) {
        double value;
        try {
            value = Double.parseDouble(seconds);
        } catch (NumberFormatException e) {
            value = Double.NaN;
        }
        if (!(value >= 0 && value <= MAX_SLEEP_SECONDS)) {
            throw Problem.badRequest("seconds must be a number from 0 to " + (int) MAX_SLEEP_SECONDS + ".",
                    List.of(new Problem.FieldError("seconds", "must be a number from 0 to " + (int) MAX_SLEEP_SECONDS)));
        }
        String answer = "Slept " + seconds + " s without holding a thread";
        long millis = (long) (value * 1000);
        // Mutiny refuses a delay of zero: under a millisecond answers at once.
        return millis < 1 ? Uni.createFrom().item(answer)
                : Uni.createFrom().item(answer).onItem().delayIt().by(Duration.ofMillis(millis));
    }
}
