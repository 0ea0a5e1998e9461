package io.hotpot.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.ChatProtocol;
import io.hotpot.common.Json;

/** A real WebSocket client (java.net.http) that keeps every frame it receives and how it was closed. */
final class WsClient implements AutoCloseable {
    private static final ObjectMapper MAPPER = Json.newMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final WebSocket socket;
    private CompletableFuture<WebSocket> sending = null;

    /** A client of Hotpot's extended frames (it offers the subprotocol hotpot.v1), without a token. */
    WsClient(URI uri) throws Exception {
        socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .subprotocols(ChatProtocol.SUBPROTOCOL)
                .buildAsync(uri, new Listener()).get(10, TimeUnit.SECONDS);
    }

    /**
     * A client of the extended frames that sends its token as the pages do: in the subprotocol
     * {@code hotpot.bearer.<token>} offered beside hotpot.v1, so it stays out of the URL.
     */
    WsClient(URI uri, String token) throws Exception {
        socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .subprotocols(ChatProtocol.SUBPROTOCOL, ChatProtocol.BEARER_SUBPROTOCOL_PREFIX + token)
                .buildAsync(uri, new Listener()).get(10, TimeUnit.SECONDS);
    }

    /** Sends {"message": text}; sends of one client go out in order. */
    synchronized void say(String text) {
        String frame = MAPPER.createObjectNode().put("message", text).toString();
        sending = sending == null ? socket.sendText(frame, true) : sending.thenCompose(ws -> ws.sendText(frame, true));
    }

    synchronized void flush() {
        if (sending != null) {
            sending.join();
        }
    }

    JsonNode next(String type, Duration within) throws InterruptedException {
        return next(f -> type.equals(f.path("type").asText()), within);
    }

    JsonNode next(Predicate<JsonNode> wanted, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode frame = frames.poll(100, TimeUnit.MILLISECONDS);
            if (frame != null && wanted.test(frame)) {
                return frame;
            }
        }
        throw new AssertionError("no such frame within " + within);
    }

    /** Chat messages (history or live) until {@code count} arrived or the time is up. */
    List<JsonNode> messages(int count, Duration within) throws InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        long deadline = System.nanoTime() + within.toNanos();
        while (out.size() < count && System.nanoTime() < deadline) {
            JsonNode frame = frames.poll(100, TimeUnit.MILLISECONDS);
            if (frame != null && "message".equals(frame.path("type").asText())) {
                out.add(frame);
            }
        }
        return out;
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
