package io.hotpot.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis of the test's own with failover, on free ports: a primary, one replica and three
 * Sentinels (quorum 2, a primary is down after 1 s without an answer), as a Redis operator or a
 * managed Redis with a replica runs it. Never the shared Redis on 6379.
 */
final class OwnSentinels implements AutoCloseable {
    static final String MASTER = "hotpot";

    final OwnRedis primary;
    final OwnRedis replica;
    private final List<Integer> ports = new ArrayList<>();
    private final List<Process> sentinels = new ArrayList<>();
    private final Path dir;

    OwnSentinels() throws Exception {
        dir = OwnBrokers.tempDir("hotpot-sentinel-");
        primary = new OwnRedis().start();
        // A replica writes the primary's snapshot to its directory when it syncs: the temp one, not the working one.
        replica = new OwnRedis("--replicaof", "127.0.0.1", Integer.toString(primary.port()), "--dir", dir.toString()).start();
    }

    OwnSentinels start() throws Exception {
        awaitTrue(() -> cli(replica.port(), "info", "replication").contains("master_link_status:up"), "the replica syncs");
        for (int i = 0; i < 3; i++) {
            int port = OwnBrokers.freePort();
            Path config = dir.resolve("sentinel-" + i + ".conf");
            // Sentinel rewrites its file as it learns the other Sentinels, the replica and failovers.
            Files.writeString(config, "port " + port + "\nbind 127.0.0.1\ndir " + dir + "\n"
                    + "sentinel monitor " + MASTER + " 127.0.0.1 " + primary.port() + " 2\n"
                    + "sentinel down-after-milliseconds " + MASTER + " 1000\n"
                    + "sentinel failover-timeout " + MASTER + " 5000\n");
            sentinels.add(new ProcessBuilder("redis-server", config.toString(), "--sentinel").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sentinel-" + i + ".log").toFile())).start());
            ports.add(port);
        }
        // Ready for a failover: every Sentinel knows the replica and the two other Sentinels.
        for (int i = 0; i < ports.size(); i++) {
            int port = ports.get(i);
            Path log = dir.resolve("sentinel-" + i + ".log");
            awaitTrue(() -> "1".equals(masterField(port, "num-slaves")) && "2".equals(masterField(port, "num-other-sentinels")),
                    () -> "Sentinel " + port + " knows the replica and the other Sentinels (it knows " + masterField(port, "num-slaves")
                            + " replica(s) and " + masterField(port, "num-other-sentinels") + " Sentinel(s)); its log: "
                            + (Files.exists(log) ? Files.readString(log) : "none"));
        }
        return this;
    }

    /** {@code redis.addresses}: the Sentinels. */
    String addresses() {
        return String.join(",", ports.stream().map(port -> "127.0.0.1:" + port).toList());
    }

    /** The port of the primary as the Sentinels name it now. */
    int primaryPort() throws Exception {
        String[] reply = cli(ports.get(0), "sentinel", "get-master-addr-by-name", MASTER).trim().split("\n");
        return Integer.parseInt(reply[reply.length - 1].trim());
    }

    /** A field of {@code SENTINEL MASTER}, as one Sentinel sees the primary. */
    private static String masterField(int port, String name) throws Exception {
        String[] lines = cli(port, "sentinel", "master", MASTER).split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].trim().equals(name)) {
                return lines[i + 1].trim();
            }
        }
        return null;
    }

    static String cli(int port, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        args.addAll(List.of(command));
        Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return out;
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private interface Description {
        String text() throws Exception;
    }

    private static void awaitTrue(Check check, String what) throws Exception {
        awaitTrue(check, () -> what);
    }

    private static void awaitTrue(Check check, Description what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not in 30 s: " + what.text());
            }
            Thread.sleep(200);
        }
    }

    @Override
    public void close() throws Exception {
        for (Process sentinel : sentinels) {
            sentinel.destroyForcibly();
            sentinel.waitFor(10, TimeUnit.SECONDS);
        }
        replica.close();
        primary.close();
        OwnBrokers.deleteTree(dir);
    }
}
