package io.hotpot.api.rest;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.hotpot.api.service.RoomService;
import io.hotpot.common.ChatMessage;
import io.smallrye.mutiny.Uni;

/** {@code /api/rooms}: chat rooms with their members, and a room's recent messages. */
@Path("/api/rooms")
@Produces(MediaType.APPLICATION_JSON)
public class RoomResource {
    private final RoomService rooms;

    public RoomResource(RoomService rooms) {
        this.rooms = rooms;
    }

    @GET
    public Uni<List<RoomService.RoomView>> list() {
        return rooms.rooms();
    }

    @GET
    @Path("/{room}/messages")
    public Uni<List<ChatMessage>> messages(@PathParam("room") String room, @QueryParam("limit") Integer limit,
            @QueryParam("before") String before) {
        return rooms.messages(room, limit, before);
    }
}
