package io.hotpot.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The chart's {@code helm test} broker check ({@code helm/hotpot/files/check_brokers.py}), run here
 * as its pod runs it: Debian's python3 with the services' RABBITMQ_* and REDIS_* environment, against
 * the brokers a test started.
 */
final class HelmBrokerCheck {
    private static final Path SCRIPT = Path.of(System.getProperty("hotpot.root", "..")).toAbsolutePath().normalize()
            .resolve("helm/hotpot/files/check_brokers.py");

    /**
     * What the check printed and its exit code.
     *
     * @param exitCode 0 when every broker answered
     * @param output   one line per broker or node
     */
    record Result(int exitCode, String output) {
    }

    private HelmBrokerCheck() {
    }

    static Result run(Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", SCRIPT.toString()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("RABBITMQ_") || name.startsWith("REDIS_"));
        builder.environment().putAll(env);
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the broker check did not end within 60 s");
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
