package io.hotpot.chat.websocket;

import io.hotpot.chat.service.TaskStreams;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;

/** {@code /ws/tasks}: every task event, filtered by ?type= and ?status=. */
@WebSocket(path = "/ws/tasks")
public class TaskEventsWebSocket {
    private final TaskStreams tasks;

    public TaskEventsWebSocket(TaskStreams tasks) {
        this.tasks = tasks;
    }

    @OnOpen
    void open(WebSocketConnection connection) {
        tasks.openAll(connection);
    }

    @OnTextMessage
    void text(WebSocketConnection connection, String ignored) {
        // Listen-only: what a client sends is not read.
    }

    @OnClose
    void close(WebSocketConnection connection) {
        tasks.closed(connection);
    }
}
