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
 * target/quarkus-app/quarkus-run.jar}) on a free port, against the local RabbitMQ and Redis.
 * Extra replicas of a service can be started under names of their own ({@link #startReplica}).
 * Logs go to {@code e2e/target/e2e-logs/}.
 */
final class Suite implements AutoCloseable {
    static final String[] SERVICES = { "api-service", "worker-service", "chat-service", "scheduler-service" };

    private final Path root = Path.of(System.getProperty("hotpot.root", "..")).toAbsolutePath().normalize();
    private final Path logs = root.resolve("e2e/target/e2e-logs");
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final List<Process> processes = new ArrayList<>();
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
        for (String service : SERVICES) {
            launch(service, service, extraProperties.getOrDefault(service, List.of()));
        }
        for (String service : SERVICES) {
            awaitReady(service);
        }
        return this;
    }

    /**
     * Starts one more replica of a service under its own name (its port and log file go by that
     * name, for {@link #uri}), with extra system properties, and waits until it is ready.
     */
    Suite startReplica(String service, String name, List<String> extraProperties) throws Exception {
        launch(service, name, extraProperties);
        awaitReady(name);
        return this;
    }

    /** Stops a replica as Kubernetes does (SIGTERM) and waits until it has exited; its exit code. */
    int stop(String name) throws InterruptedException {
        Process process = byName.remove(name);
        process.destroy();
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return process.exitValue();
    }

    private void launch(String service, String name, List<String> extraProperties) throws IOException {
        Files.createDirectories(logs);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int port = freePort();
        ports.put(name, port);
        Path jar = root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first (mvn package)");
        }
        // Authentication off, as in ./hotpot up without HOTPOT_AUTH=on: the packaged services run
        // the prod profile, which has it on; api-service's own tests cover it.
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.host=127.0.0.1", "-Dhotpot.auth.enabled=false"));
        command.addAll(extraProperties);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Process process = builder
                .redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile())
                .start();
        processes.add(process);
        byName.put(name, process);
    }

    private void awaitReady(String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!ready(name)) {
            if (System.nanoTime() > deadline) {
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

    URI uri(String service, String path) {
        return URI.create("http://127.0.0.1:" + ports.get(service) + path);
    }

    /** A WebSocket address on a service or replica. */
    URI ws(String service, String path) {
        return URI.create("ws://127.0.0.1:" + ports.get(service) + path);
    }

    HttpClient http() {
        return http;
    }

    private boolean ready(String service) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(service, "/q/health/ready"))
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
        processes.stream().filter(Process::isAlive).forEach(Process::destroy);
        for (Process process : processes) {
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
