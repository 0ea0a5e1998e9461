package io.hotpot.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Test;

/**
 * No packaged service carries a private key or a secret the tests use: every file of every
 * {@code <module>/target/quarkus-app} (the app, its generated code and its lib/), jars opened
 * entry by entry. What a test or dev mode needs stays in {@code src/test/resources} and
 * {@code dev/keys}, and production keys come from the environment (docs/deploy.md).
 */
class ArtifactSecretsIT {
    private static final Path ROOT = Path.of(System.getProperty("hotpot.root", ".."));
    private static final Set<String> SERVICES = Set.of("api-service", "chat-service", "worker-service",
            "scheduler-service");
    private static final Pattern PRIVATE_KEY = Pattern.compile("-----BEGIN ([A-Z]+ )*PRIVATE KEY-----");
    private static final Set<String> KEY_STORES = Set.of(".p12", ".pfx", ".jks", ".jceks", ".keystore", ".bks");
    private static final int LARGEST_TEXT = 4 * 1024 * 1024;

    @Test
    void noPackagedServiceHoldsAKeyOrATestSecret() throws IOException {
        Map<String, String> secrets = knownSecrets();
        List<Path> apps;
        try (Stream<Path> modules = Files.list(ROOT)) {
            apps = modules.map(m -> m.resolve("target/quarkus-app")).filter(Files::isDirectory).sorted().toList();
        }
        Set<String> packaged = new TreeSet<>();
        apps.forEach(app -> packaged.add(app.getParent().getParent().getFileName().toString()));
        assertTrue(packaged.containsAll(SERVICES), "every service is packaged before this test: " + packaged);

        List<String> found = new ArrayList<>();
        int jars = 0;
        for (Path app : apps) {
            try (Stream<Path> files = Files.walk(app)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String where = ROOT.relativize(file).toString();
                    if (file.toString().endsWith(".jar")) {
                        jars++;
                        try (ZipInputStream jar = new ZipInputStream(Files.newInputStream(file))) {
                            for (ZipEntry entry; (entry = jar.getNextEntry()) != null;) {
                                if (!entry.isDirectory()) {
                                    check(where + "!/" + entry.getName(), entry.getName(), jar, secrets, found);
                                }
                            }
                        }
                    } else {
                        try (InputStream in = Files.newInputStream(file)) {
                            check(where, file.getFileName().toString(), in, secrets, found);
                        }
                    }
                }
            }
        }

        assertTrue(jars > SERVICES.size() * 20, "the services' jars and libraries were read: " + jars);
        assertEquals(List.of(), found, "private material inside a packaged service");
    }

    private static void check(String where, String name, InputStream in, Map<String, String> secrets,
            List<String> found) throws IOException {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.contains("test-keys/") || KEY_STORES.stream().anyMatch(lower::endsWith)) {
            found.add(where + ": a test key or a key store");
            return;
        }
        // Classes outside Hotpot's own are libraries' code; their text resources are still read.
        boolean ours = !lower.endsWith(".class") || lower.startsWith("io/hotpot/") || where.contains("generated-bytecode");
        if (!ours) {
            return;
        }
        byte[] bytes = in.readNBytes(LARGEST_TEXT);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        if (PRIVATE_KEY.matcher(text).find()) {
            found.add(where + ": a PEM private key");
        }
        secrets.forEach((secret, what) -> {
            if (text.contains(secret)) {
                found.add(where + ": " + what);
            }
        });
    }

    /**
     * The secrets the repository itself holds for tests and dev mode: a line of each private
     * key's PEM body (a key pasted whole into a file carries it), and the password of the
     * Redis that RedisPasswordIT starts.
     */
    private static Map<String, String> knownSecrets() throws IOException {
        Map<String, String> secrets = new LinkedHashMap<>();
        List<Path> keys;
        try (Stream<Path> files = Files.walk(ROOT, 6)) {
            keys = files.filter(f -> f.getFileName().toString().equals("privateKey.pem"))
                    .filter(f -> !f.toString().contains("/target/") && !f.toString().contains("/.hotpot/")).toList();
        }
        for (Path key : keys) {
            String body = Files.readAllLines(key).stream().filter(l -> !l.startsWith("-----") && l.length() >= 60)
                    .skip(1).findFirst().orElseThrow(() -> new IllegalStateException("no PEM body in " + key));
            secrets.put(body, "the private key " + ROOT.relativize(key));
        }
        assertTrue(secrets.size() >= 2, "the dev and test keys were read: " + keys);
        secrets.put(RedisPasswordIT.PASSWORD, "the Redis password of RedisPasswordIT");
        return secrets;
    }
}
