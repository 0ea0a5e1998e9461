package io.hotpot.api.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.hotpot.api.service.TokenService;

/** {@code POST /api/tokens}: a signed token chat-service accepts ({@code ?token=} or {@code Authorization: Bearer}). */
@Path("/api/tokens")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {
    private final TokenService tokens;

    public TokenResource(TokenService tokens) {
        this.tokens = tokens;
    }

    @POST
    public TokenService.IssuedToken issue(TokenService.TokenRequest request) {
        return tokens.issue(request);
    }
}
