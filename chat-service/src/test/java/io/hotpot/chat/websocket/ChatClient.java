package io.hotpot.chat.websocket;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.Json;

/** A real WebSocket client (java.net.http) that keeps every frame it receives and how it was closed. */
final class ChatClient implements AutoCloseable {
    private static final ObjectMapper MAPPER = Json.newMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    final WebSocket socket;

    /** The subprotocol the server selected, or "" for none. */
    final String subprotocol;

    private ChatClient(URI uri, Map<String, String> headers, List<String> subprotocols) throws Exception {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        if (!subprotocols.isEmpty()) {
            builder.subprotocols(subprotocols.get(0), subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
        }
        socket = builder.buildAsync(uri, new Listener()).get(10, TimeUnit.SECONDS);
        subprotocol = socket.getSubprotocol();
    }

    /** A client of Hotpot's extended frames (it offers the subprotocol hotpot.v1). */
    static ChatClient connect(URI uri) throws Exception {
        return new ChatClient(uri, Map.of(), List.of(io.hotpot.common.ChatProtocol.SUBPROTOCOL));
    }

    static ChatClient connect(URI uri, Map<String, String> headers) throws Exception {
        return new ChatClient(uri, headers, List.of(io.hotpot.common.ChatProtocol.SUBPROTOCOL));
    }

    /** A client offering exactly these subprotocols (none: a Django Channels page). */
    static ChatClient connectOffering(URI uri, List<String> subprotocols) throws Exception {
        return new ChatClient(uri, Map.of(), subprotocols);
    }

    void say(String message) {
        sendRaw(MAPPER.createObjectNode().put("message", message).toString());
    }

    void sendRaw(String text) {
        socket.sendText(text, true).join();
    }

    /** The next frame of a type, skipping others; fails after the timeout. */
    JsonNode next(String type) throws InterruptedException {
        return next(f -> type.equals(f.path("type").asText()));
    }

    JsonNode next(Predicate<JsonNode> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            JsonNode frame = frames.poll(100, TimeUnit.MILLISECONDS);
            if (frame != null && wanted.test(frame)) {
                return frame;
            }
        }
        throw new AssertionError("no such frame within 10 s");
    }

    /** Collects {@code count} chat messages (history or live), skipping other frames. */
    List<JsonNode> messages(int count) throws InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        while (out.size() < count) {
            out.add(next("message"));
        }
        return out;
    }

    int awaitClose() throws Exception {
        return closeCode.get(15, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    frames.add(MAPPER.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.completeExceptionally(error);
        }
    }
}
