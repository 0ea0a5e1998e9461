package io.hotpot.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Just enough of the Redis protocol for tests to delete what they created (127.0.0.1:6379 or a given port, no password). */
final class RedisCli implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final BufferedReader in;

    RedisCli() throws IOException {
        this(6379);
    }

    /** A connection to a Redis of a test's own. */
    RedisCli(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        out = socket.getOutputStream();
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Sends one command and returns its (single-line) reply. */
    String command(String... args) throws IOException {
        StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
        for (String arg : args) {
            request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
        }
        out.write(request.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        return in.readLine();
    }

    void del(String... keys) throws IOException {
        String[] args = new String[keys.length + 1];
        args[0] = "DEL";
        System.arraycopy(keys, 0, args, 1, keys.length);
        command(args);
    }

    void zrem(String key, String member) throws IOException {
        command("ZREM", key, member);
    }

    /**
     * Removes a test's own queue from the task catalogue (workers advertised it; it would otherwise
     * stay there for the retention, 7 days, and be inspected by every api-service meanwhile).
     */
    static void forgetQueue(String queue) throws IOException {
        try (RedisCli redis = new RedisCli()) {
            redis.zrem(io.hotpot.common.RedisKeys.CATALOGUE_QUEUES, queue);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
