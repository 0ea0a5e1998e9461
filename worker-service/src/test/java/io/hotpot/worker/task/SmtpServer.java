package io.hotpot.worker.task;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real SMTP server on a free localhost port for the worker's tests: Debian's aiosmtpd
 * ({@code apt-get install python3-aiosmtpd}; {@code ./hotpot test} installs it), storing what
 * it receives in a Maildir the tests read. The worker's mailer is pointed at it.
 */
public class SmtpServer implements QuarkusTestResourceLifecycleManager {
    /** Recipients of the report in the tests. */
    public static final String REPORT_TO = "boss@example.com,ops@example.com";
    private static volatile Path maildir;
    private Process process;

    @Override
    public Map<String, String> start() {
        try {
            if (new ProcessBuilder("/usr/bin/python3", "-c", "import aiosmtpd").start().waitFor() != 0) {
                throw new IllegalStateException("aiosmtpd is missing: apt-get install python3-aiosmtpd (./hotpot test does it)");
            }
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            maildir = Files.createTempDirectory("hotpot-maildir");
            Path log = Files.createTempFile("hotpot-smtp", ".log");
            process = new ProcessBuilder("/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + port,
                    "-c", "aiosmtpd.handlers.Mailbox", maildir.resolve("mail").toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!accepts(port)) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new IllegalStateException("the SMTP server did not start; see " + log);
                }
                Thread.sleep(100);
            }
            return Map.of("quarkus.mailer.host", "127.0.0.1", "quarkus.mailer.port", Integer.toString(port),
                    "quarkus.mailer.mock", "false", "quarkus.mailer.from", "hotpot-test@localhost",
                    "hotpot.report.to", REPORT_TO);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Every message the server received so far, as raw RFC 5322 text. */
    public static List<String> received() throws IOException {
        List<String> messages = new ArrayList<>();
        for (String sub : List.of("new", "cur")) {
            Path dir = maildir.resolve("mail").resolve(sub);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path file : files.toList()) {
                        messages.add(Files.readString(file));
                    }
                }
            }
        }
        return messages;
    }

    @Override
    public void stop() {
        if (process != null) {
            process.destroy();
        }
    }
}
