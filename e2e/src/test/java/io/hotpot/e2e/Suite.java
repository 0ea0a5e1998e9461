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
 * and any extra replicas a test starts (and may kill).
 * Logs go to {@code e2e/target/e2e-logs/}.
 */
final class Suite implements AutoCloseable {
    static final String[] SERVICES = { "api-service", "worker-service", "chat-service", "scheduler-service" };

    private final Path root = Path.of(System.getProperty("hotpot.root", "..")).toAbsolutePath().normalize();
    private final Path logs = root.resolve("e2e/target/e2e-logs");
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Starts every service with the given extra system properties per service, and waits until all are ready. */
    Suite start(Map<String, List<String>> extraProperties) throws Exception {
        Files.createDirectories(logs);
        for (String service : SERVICES) {
            int port = freePort();
            ports.put(service, port);
            processes.add(launch(service, service, port, extraProperties.getOrDefault(service, List.of())));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        for (String service : SERVICES) {
            awaitReady(service, deadline);
        }
        return this;
    }

    /**
     * Starts one more replica of a service (a second worker, say) with its own system
     * properties, logging to {@code <name>.log}, and waits until it is ready.
     */
    Replica startReplica(String service, String name, List<String> properties) throws Exception {
        int port = freePort();
        ports.put(name, port);
        Process process = launch(service, name, port, properties);
        processes.add(process);
        awaitReady(name, System.nanoTime() + TimeUnit.SECONDS.toNanos(90));
        return new Replica(name, process);
    }

    /** A replica started by {@link #startReplica}. */
    record Replica(String name, Process process) {
        /** SIGKILL: the process dies at once, as in an OOM kill or a lost node. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }

        /** SIGTERM: the process shuts down as Kubernetes asks a pod to. */
        void terminate() {
            process.destroy();
        }
    }

    private Process launch(String service, String name, int port, List<String> properties) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path jar = root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first (mvn package)");
        }
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.host=127.0.0.1"));
        command.addAll(properties);
        command.addAll(List.of("-jar", jar.toString()));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile())
                .start();
    }

    private void awaitReady(String name, long deadline) throws InterruptedException {
        while (!ready(name)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not become ready; see " + logs.resolve(name + ".log"));
            }
            Thread.sleep(200);
        }
    }

    URI uri(String service, String path) {
        return URI.create("http://127.0.0.1:" + ports.get(service) + path);
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
