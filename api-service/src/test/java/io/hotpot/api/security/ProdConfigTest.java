package io.hotpot.api.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * No API key, token signing key or other auth secret has a value in the {@code prod} profile of
 * any service's application.properties, nor in the chart's values.yaml; and {@code prod} has
 * authentication on. Secrets come from the environment (a Secret in the chart) or nowhere.
 */
class ProdConfigTest {
    private static final Path ROOT = Path.of("..");
    private static final List<String> SERVICES = List.of("api-service", "chat-service", "worker-service",
            "scheduler-service");
    /**
     * Property names that hold an API key, a token signing or verification key, a broker password
     * or another secret. {@code rabbitmq.password=guest} is set for {@code %dev} and {@code %test}
     * only; prod refuses to start without one (BrokerPasswordCheck).
     */
    private static final Pattern SECRET_PROPERTY = Pattern.compile(
            "(api-keys|sign\\.key|verify\\.publickey|encrypt\\.key|decrypt\\.key|secret|private-key"
                    + "|mailer\\.password|rabbitmq\\.password|redis\\.password)", Pattern.CASE_INSENSITIVE);
    /** values.yaml keys whose names look like a secret's but hold a name or a switch. */
    private static final java.util.Set<String> NOT_SECRETS = java.util.Set.of("existingSecret", "secretName",
            "imagePullSecrets", "automountServiceAccountToken");
    /** values.yaml keys that hold a credential or a key (not a name of one, such as existingSecret). */
    private static final Pattern SECRET_VALUE = Pattern.compile(
            "^\\s*(\\w*(password|privatekey|publickey|apikeys?|token|secret)\\w*):\\s*(.*)$", Pattern.CASE_INSENSITIVE);

    @Test
    void noAuthSecretHasAValueInTheProdProfileOfAnyService() throws IOException {
        List<String> found = new ArrayList<>();
        int read = 0;
        for (String service : SERVICES) {
            Path file = ROOT.resolve(service).resolve("src/main/resources/application.properties");
            if (!Files.isRegularFile(file)) {
                continue;
            }
            read++;
            Properties properties = new Properties();
            properties.load(new StringReader(Files.readString(file)));
            for (String name : properties.stringPropertyNames()) {
                String key = name.startsWith("%prod.") ? name.substring("%prod.".length()) : name;
                if (key.startsWith("%") || !SECRET_PROPERTY.matcher(key).find() || locationOnly(key)) {
                    continue;
                }
                // The value prod sees: its own override if there is one, the base value otherwise.
                String value = properties.getProperty("%prod." + key, properties.getProperty(key));
                if (!fromEnvironmentOnly(value)) {
                    found.add(service + ": " + key);
                }
            }
        }
        assertEquals(4, read, "read the application.properties of every service");
        assertEquals(List.of(), found, "secrets with a value in the prod profile");
    }

    @Test
    void prodHasAuthenticationOn() throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(Files.readString(
                ROOT.resolve("api-service/src/main/resources/application.properties"))));
        assertEquals("true", properties.getProperty("%prod.hotpot.auth.enabled",
                properties.getProperty("hotpot.auth.enabled", "true")));
    }

    @Test
    void noSecretHasADefaultInTheChart() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("helm/hotpot/values.yaml"));
        List<String> found = new ArrayList<>();
        int checked = 0;
        for (String line : lines) {
            Matcher m = SECRET_VALUE.matcher(line);
            if (!m.matches() || NOT_SECRETS.contains(m.group(1)) || m.group(1).endsWith("Roles")) {
                continue;
            }
            checked++;
            String value = m.group(3).replaceAll("\\s+#.*$", "").trim();
            if (!(value.equals("\"\"") || value.equals("''") || value.isEmpty())) {
                found.add(line.trim());
            }
        }
        assertTrue(checked >= 5, "found the secret values (passwords, JWT keys, API keys): " + checked);
        assertEquals(List.of(), found, "secrets with a default value in helm/hotpot/values.yaml");
        assertTrue(lines.stream().anyMatch(l -> l.matches("^auth:\\s*$")), "the chart has an auth section");
        assertTrue(String.join("\n", lines).matches("(?s).*\\nauth:\\n(  [^\\n]*\\n)*?  enabled: true\\n.*"),
                "the chart turns authentication on");
    }

    /** {@code ...publickey.location} and the like name a file or URL, not a secret. */
    private static boolean locationOnly(String key) {
        return key.endsWith(".location") || key.endsWith(".algorithm") || key.endsWith(".enabled");
    }

    /** Empty, or only an environment reference with no default ({@code ${NAME}} or {@code ${NAME:}}). */
    private static boolean fromEnvironmentOnly(String value) {
        String v = value == null ? "" : value.trim();
        return v.isEmpty() || v.matches("\\$\\{[A-Za-z0-9_.-]+:?}");
    }
}
