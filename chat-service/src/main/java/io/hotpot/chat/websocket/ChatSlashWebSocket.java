package io.hotpot.chat.websocket;

import io.hotpot.chat.service.ChatService;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.buffer.Buffer;

/** {@code /ws/chat/{room}/}: a chat room (with the trailing slash the Channels tutorial uses). */
@WebSocket(path = "/ws/chat/{room}/")
public class ChatSlashWebSocket {
    private final ChatService chat;

    public ChatSlashWebSocket(ChatService chat) {
        this.chat = chat;
    }

    @OnOpen
    void open(WebSocketConnection connection) {
        chat.open(connection);
    }

    @OnTextMessage
    void text(WebSocketConnection connection, String message) {
        chat.message(connection, message);
    }

    @OnBinaryMessage
    void binary(WebSocketConnection connection, Buffer message) {
        chat.binary(connection);
    }

    @OnPongMessage
    void pong(WebSocketConnection connection, Buffer data) {
        chat.pong(connection);
    }

    @OnError
    void failure(WebSocketConnection connection, IllegalStateException failure) {
        chat.failed(connection, failure);
    }

    @OnClose
    void close(WebSocketConnection connection) {
        chat.closed(connection);
    }
}
