package io.hotpot.api.rest;

import java.time.Duration;
import java.util.List;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.hotpot.api.service.Problem;
import io.smallrye.mutiny.Uni;

/**
 * The concurrency experiments of the Django post, as endpoints: a plain hello, and a sleep that
 * waits on a timer instead of a thread, so thousands of them can wait at once.
 */
@Path("/api/demo")
@Produces(MediaType.TEXT_PLAIN)
public class DemoResource {
    static final double MAX_SLEEP_SECONDS = 60;

    @GET
    @Path("/hello")
    public String hello() {
        return "Hello from Hotpot";
    }

    @GET
    @Path("/sleep")
    public Uni<String> sleep(@QueryParam("seconds") @DefaultValue("5") String seconds) {
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
        return Uni.createFrom().item(answer).onItem().delayIt().by(Duration.ofMillis((long) (value * 1000)));
    }
}
