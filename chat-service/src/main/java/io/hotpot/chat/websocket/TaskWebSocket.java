package io.hotpot.chat.websocket;

import io.hotpot.chat.service.TaskStreams;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;

/** {@code /ws/tasks/{id}}: one task's record, then its events until it is final. */
@WebSocket(path = "/ws/tasks/{id}")
public class TaskWebSocket {
    private final TaskStreams tasks;

    public TaskWebSocket(TaskStreams tasks) {
        this.tasks = tasks;
    }

    @OnOpen
    void open(WebSocketConnection connection) {
        tasks.openOne(connection);
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
