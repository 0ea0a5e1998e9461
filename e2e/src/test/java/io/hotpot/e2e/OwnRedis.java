package io.hotpot.e2e;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server of a test's own on a free port of 127.0.0.1 (never the shared one on 6379), with
 * the test's extra arguments; it can be stopped or killed and started again on the same port.
 */
final class OwnRedis implements AutoCloseable {
    private final int port;
    private final List<String> arguments;
    private final Path dir;
    private Process process;

    /** No persistence: a restart starts empty. */
    OwnRedis(String... arguments) throws IOException {
        this(null, arguments);
    }

    /** Keeps its files (and its log, redis.log) in {@code dir}, which it deletes when closed. */
    static OwnRedis in(Path dir, String... arguments) throws IOException {
        List<String> all = new ArrayList<>(List.of("--dir", dir.toString()));
        all.addAll(List.of(arguments));
        return new OwnRedis(dir, all.toArray(String[]::new));
    }

    private OwnRedis(Path dir, String... arguments) throws IOException {
        this.port = OwnBrokers.freePort();
        this.dir = dir;
        this.arguments = List.of(arguments);
    }

    /**
     * A Redis that keeps its data in an append-only file in a temp directory of its own, fsynced as
     * {@code appendfsync} says ({@code always}, {@code everysec}): a restart, even after SIGKILL,
     * finds it again, as a Redis pod with a volume does.
     */
    static OwnRedis appendOnly(String appendfsync) throws IOException {
        return in(OwnBrokers.tempDir("hotpot-redis-"), "--appendonly", "yes", "--appendfsync", appendfsync);
    }

    int port() {
        return port;
    }

    /** Starts it (in the foreground of its own process) and waits until it takes connections. */
    OwnRedis start() throws Exception {
        // Later arguments override earlier ones: a test's own come last.
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--daemonize", "no", "--save", "", "--appendonly", "no"));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.redirectOutput(dir == null ? ProcessBuilder.Redirect.DISCARD
                : ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()));
        process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!answersPong()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server on " + port + " did not start: " + command);
            }
            Thread.sleep(50);
        }
        return this;
    }

    /**
     * Listening, and done loading its data: PING answers PONG, or NOAUTH where the default user is
     * off or has a password, but not LOADING.
     */
    private boolean answersPong() throws Exception {
        if (!listening()) {
            return false;
        }
        Process ping = new ProcessBuilder("redis-cli", "-p", Integer.toString(port), "ping").redirectErrorStream(true).start();
        String answer = new String(ping.getInputStream().readAllBytes()).trim();
        return ping.waitFor(5, TimeUnit.SECONDS) && (answer.equals("PONG") || answer.startsWith("NOAUTH"));
    }

    /** A clean stop (SHUTDOWN: it writes what it holds), as a pod asked to stop. */
    void stop() throws Exception {
        OwnBrokers.run(List.of("redis-cli", "-p", Integer.toString(port), "shutdown"), java.util.Map.of(), 20);
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** SIGKILL, as a crashed or evicted Redis pod; waits until the process is gone. */
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
        if (dir != null) {
            OwnBrokers.deleteTree(dir);
        }
    }
}
