package io.hotpot.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.Json;

/**
 * amqps and rediss (issue 16): a RabbitMQ node and a Redis of the test's own whose TLS listeners
 * have certificates from a self-signed CA and ask every client for a certificate of that CA. The
 * services connect over TLS only (the plain ports are not given to them) and a task goes end to
 * end; a worker given another CA for either stops at start-up, saying what to check.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrokerTlsIT {
    private final ObjectMapper mapper = Json.newMapper();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private Path certificates;
    private TestCa ca;
    private OwnBrokers.Rabbit rabbit;
    private int tlsPort;
    private OwnRedis redis;
    private int redisTlsPort;
    private Suite suite;

    @BeforeAll
    void start() throws Exception {
        certificates = OwnBrokers.tempDir("hotpot-tls-");
        ca = TestCa.create(certificates, "hotpot-test-ca");
        Path server = ca.sign("rabbitmq", true);
        ca.sign("hotpot", false);
        tlsPort = OwnBrokers.freePort();
        rabbit = new OwnBrokers.Rabbit("listeners.ssl.default = " + tlsPort + "\n"
                + "ssl_options.cacertfile = " + ca.ca() + "\n"
                + "ssl_options.certfile = " + server + "\n"
                + "ssl_options.keyfile = " + ca.key("rabbitmq") + "\n"
                + "ssl_options.verify = verify_peer\n"
                + "ssl_options.fail_if_no_peer_cert = true\n").start();
        Path redisServer = ca.sign("redis", true);
        redisTlsPort = OwnBrokers.freePort();
        redis = new OwnRedis("--tls-port", Integer.toString(redisTlsPort), "--tls-cert-file", redisServer.toString(),
                "--tls-key-file", ca.key("redis").toString(), "--tls-ca-cert-file", ca.ca().toString(),
                "--tls-auth-clients", "yes").start();
        List<String> tls = properties(ca.ca(), ca.ca());
        suite = new Suite().start(Map.of("api-service", tls, "worker-service", tls, "scheduler-service", tls,
                "chat-service", redisProperties(ca.ca())));
    }

    @AfterAll
    void stop() throws Exception {
        if (suite != null) {
            suite.close();
        }
        if (rabbit != null) {
            rabbit.close();
        }
        if (redis != null) {
            redis.close();
        }
        if (certificates != null) {
            OwnBrokers.deleteTree(certificates);
        }
    }

    /** TLS to both on their TLS ports with a client certificate, trusting {@code rabbitCa} and {@code redisCa}. */
    private List<String> properties(Path rabbitCa, Path redisCa) {
        List<String> properties = new ArrayList<>(List.of("-Drabbitmq.port=" + tlsPort, "-Drabbitmq.tls.enabled=true",
                "-Drabbitmq.tls.ca=" + rabbitCa, "-Drabbitmq.tls.cert=" + certificates.resolve("hotpot-test-ca-hotpot.pem"),
                "-Drabbitmq.tls.key=" + ca.key("hotpot")));
        properties.addAll(redisProperties(redisCa));
        return properties;
    }

    private List<String> redisProperties(Path trusted) {
        return List.of("-Dredis.port=" + redisTlsPort, "-Dredis.tls.enabled=true", "-Dredis.tls.ca=" + trusted,
                "-Dredis.tls.cert=" + certificates.resolve("hotpot-test-ca-hotpot.pem"), "-Dredis.tls.key=" + ca.key("hotpot"));
    }

    @Test
    void aTaskGoesEndToEndOverAmqpsAndRediss() throws Exception {
        HttpResponse<String> accepted = suite.http().send(suite.post("api-service", "/api/tasks",
                "{\"type\":\"add\",\"args\":{\"x\":20,\"y\":22}}").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode(), accepted.body());
        String id = mapper.readTree(accepted.body()).get("id").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> "SUCCESS".equals(mapper.readTree(suite.http().send(
                suite.request("api-service", "/api/tasks/" + id).build(), HttpResponse.BodyHandlers.ofString()).body())
                .path("status").asText()));
        assertEquals(42, mapper.readTree(suite.http().send(suite.request("api-service", "/api/tasks/" + id).build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("result").asInt());

        List<String> connections = connections();
        assertTrue(connections.stream().anyMatch(line -> line.startsWith("hotpot worker-service")), connections.toString());
        assertTrue(connections.stream().anyMatch(line -> line.startsWith("hotpot api-service")), connections.toString());
        for (String connection : connections) {
            assertTrue(connection.endsWith("\ttrue"), "every connection of the services is TLS: " + connection);
        }
    }

    @Test
    void aWorkerGivenAnotherCaForRabbitmqStopsAtStartSayingWhatToCheck() throws Exception {
        String log = failingStart("e2e-wrong-rabbit-ca-" + run, properties(TestCa.create(certificates, "another-ca").ca(), ca.ca()));
        assertTrue(log.contains("HOTPOT-MSG-009 TLS to RabbitMQ at amqps") && log.contains("rabbitmq.tls.ca"), log);
        assertFalse(log.contains("HOTPOT-MSG-001"), "it never connected");
    }

    @Test
    void aWorkerGivenAnotherCaForRedisStopsAtStartSayingWhatToCheck() throws Exception {
        String log = failingStart("e2e-wrong-redis-ca-" + run, properties(ca.ca(), TestCa.create(certificates, "other-redis-ca").ca()));
        assertTrue(log.contains("HOTPOT-REDIS-014 TLS to Redis failed") && log.contains("redis.tls.ca"), log);
    }

    /** Starts a worker that must not become ready; its log. */
    private String failingStart(String name, List<String> properties) throws Exception {
        assertThrows(IllegalStateException.class, () -> suite.startReplica("worker-service", name, properties),
                name + " became ready without trusting the broker's certificate");
        return Files.readString(suite.log(name));
    }

    /** The broker's client connections: "name<TAB>ssl" each. */
    private List<String> connections() throws Exception {
        Process process = new ProcessBuilder("rabbitmqctl", "-n", rabbit.node, "list_connections", "-q", "--no-table-headers",
                "client_properties", "ssl").redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, out);
        List<String> lines = new ArrayList<>();
        for (String line : out.split("\n")) {
            java.util.regex.Matcher named = java.util.regex.Pattern.compile("\\{\"connection_name\",\"([^\"]*)\"\\}")
                    .matcher(line);
            if (named.find()) {
                lines.add(named.group(1) + "\t" + line.trim().substring(line.trim().lastIndexOf('\t') + 1));
            }
        }
        return lines;
    }

    @Test
    void helmTestsBrokerCheckSpeaksTlsWithTheMountedCaAndClientKey() throws Exception {
        HelmBrokerCheck.Result check = HelmBrokerCheck.run(tlsCheckEnv(ca.ca()));
        assertEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().contains("ok   RabbitMQ reachable") && check.output().contains("ok   Redis reachable"),
                check.output());
        HelmBrokerCheck.Result wrongCa = HelmBrokerCheck.run(tlsCheckEnv(TestCa.create(certificates, "check-other-ca").ca()));
        assertEquals(1, wrongCa.exitCode(), wrongCa.output());
        assertEquals(2, wrongCa.output().lines().filter(l -> l.startsWith("FAIL") && l.contains("CERTIFICATE_VERIFY_FAILED")).count(),
                wrongCa.output());
    }

    /** What the chart gives the helm test pod with rabbitmq.tls and redis.tls on, the secrets' files here. */
    private Map<String, String> tlsCheckEnv(Path trusted) {
        String cert = certificates.resolve("hotpot-test-ca-hotpot.pem").toString();
        String key = ca.key("hotpot").toString();
        return Map.ofEntries(Map.entry("RABBITMQ_HOST", "127.0.0.1"), Map.entry("RABBITMQ_PORT", Integer.toString(tlsPort)),
                Map.entry("RABBITMQ_USERNAME", "guest"), Map.entry("RABBITMQ_PASSWORD", "guest"),
                Map.entry("RABBITMQ_TLS_ENABLED", "true"), Map.entry("RABBITMQ_TLS_CA", trusted.toString()),
                Map.entry("RABBITMQ_TLS_CERT", cert), Map.entry("RABBITMQ_TLS_KEY", key),
                Map.entry("REDIS_HOST", "127.0.0.1"), Map.entry("REDIS_PORT", Integer.toString(redisTlsPort)),
                Map.entry("REDIS_TLS_ENABLED", "true"), Map.entry("REDIS_TLS_CA", trusted.toString()),
                Map.entry("REDIS_TLS_CERT", cert), Map.entry("REDIS_TLS_KEY", key));
    }
}
