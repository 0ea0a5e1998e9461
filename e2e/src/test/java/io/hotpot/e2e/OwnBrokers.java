package io.hotpot.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A RabbitMQ node of a test's own, on free ports under a temp directory, for fault tests that
 * restart or kill it (Redis: {@link OwnRedis}): the shared brokers on 5672 and 6379 are never touched.
 */
final class OwnBrokers {
    private OwnBrokers() {
    }

    /** Ports handed out by {@link #freePort()} in this run. */
    private static final java.util.Set<Integer> GIVEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A port free now and not handed out before in this run: the system can give the same free port
     * twice in a row, and a broker or Sentinel whose port another took does not start (seen: a
     * Sentinel that failed with "Address already in use").
     */
    static int freePort() throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                if (GIVEN.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
        }
    }

    static Path tempDir(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        // The Debian rabbitmq-server script runs the node as the rabbitmq user.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        return dir;
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: it is a temp directory
        }
    }

    static int run(List<String> command, Map<String, String> env, long timeoutSeconds) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    /**
     * Three nodes of a RabbitMQ cluster of the test's own, started at once and joined to the first:
     * the cluster a production deployment runs, with quorum queues replicated over all three.
     */
    static final class Cluster implements AutoCloseable {
        final List<Rabbit> nodes;

        Cluster(int size) throws IOException {
            List<Rabbit> made = new java.util.ArrayList<>();
            for (int i = 0; i < size; i++) {
                made.add(new Rabbit(""));
            }
            nodes = List.copyOf(made);
        }

        Cluster start() throws Exception {
            List<java.util.concurrent.CompletableFuture<Rabbit>> starting = new java.util.ArrayList<>();
            for (Rabbit node : nodes) {
                starting.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return node.start();
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                }));
            }
            starting.forEach(java.util.concurrent.CompletableFuture::join);
            for (Rabbit node : nodes.subList(1, nodes.size())) {
                node.join(nodes.get(0));
            }
            return this;
        }

        /** {@code rabbitmq.addresses} for the services: every node's {@code host:port}. */
        String addresses() {
            return String.join(",", nodes.stream().map(node -> "127.0.0.1:" + node.port).toList());
        }

        /** The node called {@code name}. */
        Rabbit node(String name) {
            return nodes.stream().filter(node -> node.node.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no node " + name + " in this cluster"));
        }

        @Override
        public void close() throws Exception {
            for (Rabbit node : nodes) {
                node.close();
            }
        }
    }

    /** A RabbitMQ node with its own name, ports, database, logs, config and (no) plugins. */
    static final class Rabbit implements AutoCloseable {
        final String node = "hotpot-e2e-" + UUID.randomUUID().toString().substring(0, 8) + "@localhost";
        final int port;
        final Path dir;
        private final Map<String, String> env;

        Rabbit(String extraConfig) throws IOException {
            this(extraConfig, null);
        }

        /**
         * A node with lines added to its rabbitmq.conf and, when {@code advancedConfig} is given, an
         * advanced.config (Erlang terms) for settings rabbitmq.conf has no key for.
         */
        Rabbit(String extraConfig, String advancedConfig) throws IOException {
            port = freePort();
            dir = tempDir("hotpot-rabbit-");
            Files.writeString(dir.resolve("enabled_plugins"), "[].\n");
            Files.writeString(dir.resolve("rabbitmq.conf"), "listeners.tcp.default = " + port + "\n" + extraConfig);
            for (String file : List.of("enabled_plugins", "rabbitmq.conf")) {
                Files.setPosixFilePermissions(dir.resolve(file), PosixFilePermissions.fromString("rw-rw-rw-"));
            }
            Map<String, String> variables = new java.util.HashMap<>(Map.of("RABBITMQ_NODENAME", node, "RABBITMQ_NODE_PORT", Integer.toString(port),
                    "RABBITMQ_DIST_PORT", Integer.toString(freePort()), "RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1",
                    "RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString(), "RABBITMQ_LOG_BASE", dir.resolve("log").toString(),
                    "RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq").toString(),
                    "RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString()));
            if (advancedConfig != null) {
                Path advanced = dir.resolve("advanced.config");
                Files.writeString(advanced, advancedConfig);
                Files.setPosixFilePermissions(advanced, PosixFilePermissions.fromString("rw-rw-rw-"));
                variables.put("RABBITMQ_ADVANCED_CONFIG_FILE", advanced.toString());
            }
            env = Map.copyOf(variables);
        }

        /** The node's queues with their ready and unacknowledged message counts, as rabbitmqctl lists them. */
        Map<String, int[]> queues() throws Exception {
            Process process = new ProcessBuilder("rabbitmqctl", "-n", node, "list_queues", "-q", "--no-table-headers", "name",
                    "messages_ready", "messages_unacknowledged").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("rabbitmqctl list_queues failed: " + out);
            }
            Map<String, int[]> queues = new java.util.HashMap<>();
            for (String line : out.split("\n")) {
                String[] cells = line.trim().split("\\s+");
                if (cells.length == 3) {
                    queues.put(cells[0], new int[] { Integer.parseInt(cells[1]), Integer.parseInt(cells[2]) });
                }
            }
            return queues;
        }

        Rabbit start() throws Exception {
            if (run(List.of("rabbitmq-server", "-detached"), env, 30) != 0) {
                throw new IllegalStateException("rabbitmq-server did not start; see " + dir.resolve("log"));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            // await_startup fails until the node has registered with epmd: try again until it answers.
            while (run(List.of("rabbitmqctl", "-n", node, "await_startup"), Map.of(), 60) != 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("RabbitMQ node " + node + " did not start; see " + dir.resolve("log"));
                }
                Thread.sleep(500);
            }
            return this;
        }

        void stop() throws Exception {
            run(List.of("rabbitmqctl", "-n", node, "stop"), Map.of(), 60);
        }

        /** Makes this (started, empty) node a member of the cluster of {@code first}. */
        void join(Rabbit first) throws Exception {
            for (List<String> step : List.of(List.of("stop_app"), List.of("join_cluster", first.node), List.of("start_app"))) {
                List<String> command = new java.util.ArrayList<>(List.of("rabbitmqctl", "-n", node));
                command.addAll(step);
                if (run(command, Map.of(), 60) != 0) {
                    throw new IllegalStateException("rabbitmqctl " + String.join(" ", command) + " failed; see " + dir.resolve("log"));
                }
            }
        }

        /** How many client connections this node holds now. */
        int connections() throws Exception {
            Process process = new ProcessBuilder("rabbitmqctl", "-n", node, "eval", "length(rabbit_networking:local_connections()).")
                    .redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes()).trim();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || !out.matches("\\d+")) {
                throw new IllegalStateException("the connections of " + node + " could not be counted: " + out);
            }
            return Integer.parseInt(out);
        }

        /** The node that leads a quorum queue now, as this node sees it. */
        String leaderOf(String queue) throws Exception {
            Process process = new ProcessBuilder("rabbitmqctl", "-n", node, "list_queues", "-q", "--no-table-headers", "name",
                    "leader").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("rabbitmqctl list_queues failed: " + out);
            }
            for (String line : out.split("\n")) {
                String[] cells = line.trim().split("\\s+");
                if (cells.length == 2 && cells[0].equals(queue)) {
                    return cells[1];
                }
            }
            throw new IllegalStateException("no queue " + queue + " on " + node + ": " + out);
        }

        /**
         * The nodes the consumers of {@code queue} are connected through, one entry per consumer, as
         * this node sees the cluster (from each consumer's channel, whose process lives on its
         * connection's node).
         */
        List<String> consumerNodes(String queue) throws Exception {
            Process process = new ProcessBuilder("rabbitmqctl", "-n", node, "list_consumers", "-q", "--no-table-headers",
                    "queue_name", "channel_pid").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("rabbitmqctl list_consumers failed: " + out);
            }
            List<String> nodes = new java.util.ArrayList<>();
            for (String line : out.split("\n")) {
                String[] cells = line.trim().split("\\s+");
                if (cells.length == 2 && cells[0].equals(queue)) {
                    // A channel's pid prints as <node.N.N.N>: the node name ends at the first dot after its '@'.
                    String pid = cells[1].replace("<", "");
                    int at = pid.indexOf('@');
                    nodes.add(pid.substring(0, pid.indexOf('.', at)));
                }
            }
            return nodes;
        }

        /**
         * SIGKILL of the node's Erlang VM: no clean shutdown, nothing flushed or closed, as an OOM
         * kill or a lost node; waits until the process is gone. {@link #start} brings it back with
         * what it had written to disk.
         */
        void kill() throws Exception {
            Process eval = new ProcessBuilder("rabbitmqctl", "-n", node, "eval", "os:getpid().").redirectErrorStream(true).start();
            String out = new String(eval.getInputStream().readAllBytes()).trim();
            if (!eval.waitFor(60, TimeUnit.SECONDS) || eval.exitValue() != 0 || !out.matches("\"\\d+\"")) {
                throw new IllegalStateException("the OS pid of " + node + " could not be read: " + out);
            }
            long pid = Long.parseLong(out.replace("\"", ""));
            ProcessHandle vm = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no process " + pid));
            if (run(List.of("kill", "-KILL", Long.toString(pid)), Map.of(), 10) != 0) {
                throw new IllegalStateException("kill -KILL " + pid + " failed");
            }
            vm.onExit().get(20, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws Exception {
            stop();
            deleteTree(dir);
        }
    }
}
