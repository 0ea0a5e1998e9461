package io.hotpot.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.Json;

/**
 * The four packaged services, each started as its own process ({@code java -jar
 * target/quarkus-app/quarkus-run.jar}) on a free port, against the local RabbitMQ and Redis,
 * plus any extra replicas a test starts. Logs go to {@code e2e/target/e2e-logs/<test class>/<name>.log}.
 *
 * <p>They run as production does: the prod profile with authentication on, API keys made by this
 * Suite (an admin key for the test's own calls, {@link #addKey} for more), tokens signed with the
 * e2e key pair and verified by chat-service, no anonymous chat. {@link #localMode()} runs them as
 * {@code ./hotpot up} does instead: authentication off, anonymous chat with {@code chat,read}.
 */
final class Suite implements AutoCloseable {
    static final String[] SERVICES = { "api-service", "worker-service", "chat-service", "scheduler-service" };
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root = Path.of(System.getProperty("hotpot.root", "..")).toAbsolutePath().normalize();
    /** One folder per test class, so a later class's services do not overwrite the logs of a failed one. */
    private final Path logs = root.resolve("e2e/target/e2e-logs").resolve(testClass());
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, Process> byName = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper mapper = Json.newMapper();
    private final boolean authentication;
    /** API key entries as api-service reads them ({@code name:sha256:role+role}); the first is the admin key. */
    private final List<String> keyEntries = new ArrayList<>();
    private final String adminKey;

    /** Authentication on, as in production. */
    Suite() {
        this(true);
    }

    private Suite(boolean authentication) {
        this.authentication = authentication;
        this.adminKey = authentication ? addKey("e2e-admin", "admin") : null;
    }

    /** The services as {@code ./hotpot up} runs them without {@code HOTPOT_AUTH=on}: authentication off, anonymous chat. */
    static Suite localMode() {
        return new Suite(false);
    }

    /**
     * Makes an API key with the given roles ({@code "chat+read"}), known to the api-service processes
     * started after this call; the key itself, which only the test holds.
     */
    String addKey(String name, String roles) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String key = "hp_" + HexFormat.of().formatHex(bytes);
        try {
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
            keyEntries.add(name + ":" + hash + ":" + roles);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return key;
    }

    boolean authentication() {
        return authentication;
    }

    /**
     * A request to a service with the test's admin key as its bearer credential (none in local
     * mode), with a 10 s timeout beyond the {@code ?wait=} the path asks the server for: what a
     * backend calling the API sends.
     */
    HttpRequest.Builder request(String name, String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(name, path))
                .timeout(Duration.ofSeconds(10).plus(waitIn(path)));
        return authentication ? builder.header("Authorization", "Bearer " + adminKey) : builder;
    }

    /** The {@code wait=} of a path's query (an ISO-8601 duration), zero without one. */
    static Duration waitIn(String path) {
        java.util.regex.Matcher wait = java.util.regex.Pattern.compile("[?&]wait=(PT[^&]+)").matcher(path);
        return wait.find() ? Duration.parse(wait.group(1)) : Duration.ZERO;
    }

    /** {@link #request} with a JSON body, POSTed. */
    HttpRequest.Builder post(String name, String path, String json) {
        return request(name, path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    }

    /**
     * A token from api-service's {@code POST /api/tokens} for {@code user} carrying {@code roles}
     * (chat alone when none), as a backend gets one for its users with its key; in local mode,
     * without a key.
     */
    String token(String user, String... roles) throws IOException, InterruptedException {
        var body = mapper.createObjectNode().put("user", user);
        if (authentication) {
            body.put("key", adminKey);
        }
        if (roles.length > 0) {
            var list = body.putArray("roles");
            for (String role : roles) {
                list.add(role);
            }
        }
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("api-service", "/api/tokens"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("POST /api/tokens answered " + response.statusCode() + ": " + response.body());
        }
        return mapper.readTree(response.body()).get("token").asText();
    }

    /**
     * A WebSocket client of a chat-service process for {@code user} with {@code roles}: the token
     * in the {@code hotpot.bearer.} subprotocol, as the pages send it; anonymous in local mode.
     */
    WsClient chat(String name, String path, String user, String... roles) throws Exception {
        return authentication ? new WsClient(ws(name, path), token(user, roles)) : new WsClient(ws(name, path));
    }

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
        int port = OwnBrokers.freePort();
        ports.put(name, port);
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.host=127.0.0.1"));
        command.addAll(properties);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        // By environment, as a Deployment sets it: services that have no such setting do not read it.
        if (authentication) {
            // The prod profile's own default is authentication on; keys and the token key pair have no default.
            builder.environment().put("HOTPOT_AUTH_API_KEYS", String.join(",", keyEntries));
            builder.environment().put("MP_JWT_VERIFY_PUBLICKEY", pem("test-keys/publicKey.pem"));
            if (service.equals("api-service")) {
                builder.environment().put("SMALLRYE_JWT_SIGN_KEY", pem("test-keys/privateKey.pem"));
            }
        } else {
            // As ./hotpot up sets it without HOTPOT_AUTH=on.
            builder.environment().put("HOTPOT_AUTH_ENABLED", "false");
            builder.environment().put("HOTPOT_CHAT_ALLOW_ANONYMOUS", "true");
            builder.environment().put("HOTPOT_CHAT_ANONYMOUS_ROLES", "chat,read");
        }
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

    private static String pem(String resource) throws IOException {
        return Files.readString(Path.of(resource(resource)));
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

    /** The simple name of the test class ({@code …IT}) that makes this suite. */
    private static String testClass() {
        return StackWalker.getInstance().walk(frames -> frames.map(StackWalker.StackFrame::getClassName)
                .map(name -> name.substring(name.lastIndexOf('.') + 1))
                .filter(name -> name.endsWith("IT")).findFirst().orElse("other"));
    }

    /** The console output of a service or replica (JSON lines: the services run in the prod profile). */
    Path log(String name) {
        return logs.resolve(name + ".log");
    }

    /**
     * The status ({@code UP}, {@code DOWN}) of one readiness check of a service or replica, or ""
     * when it does not answer or has no such check.
     */
    String readiness(String name, String check) throws InterruptedException {
        HttpResponse<String> response = readyAnswer(name);
        if (response == null) {
            return "";
        }
        try {
            for (com.fasterxml.jackson.databind.JsonNode each : mapper.readTree(response.body()).path("checks")) {
                if (check.equals(each.path("name").asText())) {
                    return each.path("status").asText();
                }
            }
        } catch (IOException e) {
            // not a health answer
        }
        return "";
    }

    private boolean ready(String name) {
        try {
            HttpResponse<String> response = readyAnswer(name);
            return response != null && response.statusCode() == 200;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The answer of {@code /q/health/ready}, or null when the service does not answer. */
    private HttpResponse<String> readyAnswer(String name) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(uri(name, "/q/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
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
