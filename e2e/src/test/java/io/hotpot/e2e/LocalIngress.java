package io.hotpot.e2e;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The local ingress of {@code ./hotpot up} (Debian's nginx, rendered from
 * {@code e2e/ingress/nginx.conf.template}, TLS with a self-signed certificate), on free ports,
 * in front of a {@link Suite}: {@code /ws/} to chat-service, the rest to api-service.
 */
final class LocalIngress implements AutoCloseable {
    private final Path dir;
    private final int httpPort;
    private final int httpsPort;
    private Process nginx;
    /** Extra static locations a test serves through the ingress: URL prefix → directory. */
    private final java.util.Map<String, Path> staticDirs = new java.util.LinkedHashMap<>();

    private final Path root;

    /** Picks the ports, so the origin is known before the services start; {@link #start} starts nginx. */
    LocalIngress(Path root) throws IOException {
        this.root = root;
        this.dir = Files.createTempDirectory("hotpot-ingress");
        this.httpPort = OwnBrokers.freePort();
        this.httpsPort = OwnBrokers.freePort();
    }

    /**
     * Serves the files of {@code dir} under {@code prefix} (e.g. {@code /channels-tutorial/}), as a
     * site's own pages beside Hotpot would be; call before {@link #start}.
     */
    LocalIngress serving(String prefix, Path dir) {
        staticDirs.put(prefix, dir);
        return this;
    }

    LocalIngress start(int apiPort, int chatPort) throws Exception {
        for (String sub : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
            Files.createDirectories(dir.resolve(sub));
        }
        Path cert = dir.resolve("hotpot.crt");
        Path key = dir.resolve("hotpot.key");
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key.toString(), "-out", cert.toString());
        String config = Files.readString(root.resolve("e2e/ingress/nginx.conf.template"))
                .replace("@STATE@", dir.toString())
                .replace("@BIND@", "127.0.0.1")
                .replace("@HTTP_PORT@", Integer.toString(httpPort))
                .replace("@HTTPS_PORT@", Integer.toString(httpsPort))
                .replace("@API_PORT@", Integer.toString(apiPort))
                .replace("@CHAT_PORT@", Integer.toString(chatPort))
                .replace("@CERT@", cert.toString())
                .replace("@KEY@", key.toString());
        StringBuilder locations = new StringBuilder();
        staticDirs.forEach((prefix, served) -> locations.append("        location ^~ ").append(prefix).append(" {\n")
                .append("            alias ").append(served).append("/;\n        }\n\n"));
        config = config.replace("        location / {", locations + "        location / {");
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, config);
        String binary = Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx";
        nginx = new ProcessBuilder(binary, "-c", conf.toString(), "-p", dir.toString(), "-e", dir.resolve("error.log").toString(),
                "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!listening(httpsPort)) {
            if (!nginx.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("nginx did not start: " + Files.readString(dir.resolve("nginx.out")));
            }
            Thread.sleep(100);
        }
        return this;
    }

    /** The plain http origin, e.g. {@code http://localhost:43122} (pages that open {@code ws://} as the Channels tutorial does). */
    String httpOrigin() {
        return "http://localhost:" + httpPort;
    }

    /** The https origin the browser uses, e.g. {@code https://localhost:43123}. */
    String httpsOrigin() {
        return "https://localhost:" + httpsPort;
    }

    private static boolean listening(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (nginx != null) {
            nginx.destroy();
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly();
            }
        }
    }
}
