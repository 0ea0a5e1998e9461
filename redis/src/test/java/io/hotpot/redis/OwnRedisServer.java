package io.hotpot.redis;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server of a test's own on a free port of 127.0.0.1 (never the shared one on 6379), no
 * persistence, driven with redis-cli as an operator would.
 */
final class OwnRedisServer implements AutoCloseable {
    private final int port;
    private final Process server;

    private OwnRedisServer(int port, Process server) {
        this.port = port;
        this.server = server;
    }

    static OwnRedisServer start() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        OwnRedisServer redis = new OwnRedisServer(port, process);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!redis.cli("PING").equals("PONG")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                redis.close();
                throw new IllegalStateException("redis-server on " + port + " did not start");
            }
            Thread.sleep(50);
        }
        return redis;
    }

    int port() {
        return port;
    }

    /** One command through redis-cli; its output, stripped. */
    String cli(String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        args.addAll(List.of(command));
        Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        process.waitFor(10, TimeUnit.SECONDS);
        return output;
    }

    @Override
    public void close() throws Exception {
        server.destroyForcibly();
        server.waitFor(10, TimeUnit.SECONDS);
    }
}
