package io.hotpot.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server of a test's own on a free port of 127.0.0.1 (never the shared one on 6379), with
 * the test's extra arguments; it can be killed and started again on the same port.
 */
final class OwnRedis implements AutoCloseable {
    private final int port;
    private final List<String> arguments;
    private Process process;

    OwnRedis(String... arguments) throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            this.port = socket.getLocalPort();
        }
        this.arguments = List.of(arguments);
    }

    int port() {
        return port;
    }

    /** Starts it (in the foreground of its own process) and waits until it takes connections. */
    OwnRedis start() throws Exception {
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--daemonize", "no", "--save", "", "--appendonly", "no"));
        command.addAll(arguments);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!listening()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server on " + port + " did not start: " + command);
            }
            Thread.sleep(50);
        }
        return this;
    }

    /** SIGKILL, as a crashed or evicted Redis pod; waits until the port is free. */
    void kill() throws Exception {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    private boolean listening() {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            kill();
        }
    }
}
