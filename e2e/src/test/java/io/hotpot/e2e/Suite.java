package io.hotpot.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The four packaged services, each started as its own process ({@code java -jar
 * target/quarkus-app/quarkus-run.jar}) on a free port, against the local RabbitMQ and Redis,
 * plus any extra replicas a test starts. Logs go to {@code e2e/target/e2e-logs/<name>.log}.
 */
final class Suite implements AutoCloseable {
    static final String[] SERVICES = { "api-service", "worker-service", "chat-service", "scheduler-service" };

    private final Path root = Path.of(System.getProperty("hotpot.root", "..")).toAbsolutePath().normalize();
    private final Path logs = root.resolve("e2e/target/e2e-logs");
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, Process> byName = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Environment variables every service started afterwards gets (as a Kubernetes Deployment would set them). */
    Suite withEnvironment(Map<String, String> variables) {
        environment.putAll(variables);
        return this;
    }

    /** Starts every service with the given extra system properties per service, and waits until all are ready. */
    Suite start(Map<String, List<String>> extraProperties) throws Exception {
        try {
            for (String service : SERVICES) {
                launch(service, service, extraProperties.getOrDefault(service, List.of()));
            }
            for (String service : SERVICES) {
                awaitReady(service);
            }
        } catch (Exception | Error e) {
            // The caller never gets this Suite to close: stop what was started here.
            close();
            throw e;
        }
        return this;
    }

    /**
     * Starts one more process of a service under a name of its own (its port and log go by that
     * name, for {@link #uri}), with its own system properties, and waits until it is ready.
     * Works with or without {@link #start}.
     */
    Replica startReplica(String service, String name, List<String> properties) throws Exception {
        Process process = launch(service, name, properties);
        try {
            awaitReady(name);
        } catch (Exception | Error e) {
            byName.remove(name);
            process.destroyForcibly();
            throw e;
        }
        return new Replica(name, ports.get(name), process);
    }

    /** One extra process started by {@link #startReplica}. */
    record Replica(String name, int port, Process process) {
        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }

        /** SIGKILL: the process dies at once (no shutdown hooks, no lock release), as in an OOM kill or a lost node. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }

        /** SIGTERM: the process shuts down as Kubernetes asks a pod to. */
        void terminate() {
            process.destroy();
        }
    }

    /** Stops a process as Kubernetes does (SIGTERM) and waits until it has exited; its exit code. */
    int stop(String name) throws InterruptedException {
        Process process = byName.remove(name);
        process.destroy();
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return process.waitFor();
    }

    private Process launch(String service, String name, List<String> properties) throws IOException {
        Files.createDirectories(logs);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path jar = root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first (mvn package)");
        }
        int port = freePort();
        ports.put(name, port);
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.host=127.0.0.1"));
        command.addAll(properties);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        // Authentication off, as in ./hotpot up without HOTPOT_AUTH=on: the packaged services run
        // the prod profile, which has it on; api-service's own tests cover it. By environment, as a
        // Deployment sets it: services that have no such setting simply do not read it.
        builder.environment().put("HOTPOT_AUTH_ENABLED", "false");
        // The prod profile has no broker password (BrokerPasswordCheck): the local broker's, as ./hotpot up gives it.
        builder.environment().put("RABBITMQ_PASSWORD", "guest");
        builder.environment().putAll(environment);
        Process process = builder.redirectErrorStream(true).redirectOutput(logs.resolve(name + ".log").toFile()).start();
        byName.put(name, process);
        return process;
    }

    private void awaitReady(String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        Process process = byName.get(name);
        while (!ready(name)) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IllegalStateException(name + " did not become ready; see " + logs.resolve(name + ".log"));
            }
            Thread.sleep(200);
        }
    }

    /** A file of the e2e test resources, as an absolute path (for keys passed as system properties). */
    static String resource(String name) {
        try {
            return Path.of(Suite.class.getResource("/" + name).toURI()).toString();
        } catch (Exception e) {
            throw new IllegalStateException(name + " is not among the test resources", e);
        }
    }

    /** An address on a service or a named replica. */
    URI uri(String name, String path) {
        return URI.create("http://127.0.0.1:" + ports.get(name) + path);
    }

    /** A WebSocket address on a service or a named replica. */
    URI ws(String name, String path) {
        return URI.create("ws://127.0.0.1:" + ports.get(name) + path);
    }

    HttpClient http() {
        return http;
    }

    /** The console output of a service or replica (JSON lines: the services run in the prod profile). */
    Path log(String name) {
        return logs.resolve(name + ".log");
    }

    private boolean ready(String name) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(name, "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        List<Process> all = new ArrayList<>(byName.values());
        all.forEach(Process::destroy);
        for (Process process : all) {
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
