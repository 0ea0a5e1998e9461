package io.hotpot.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis Cluster of the test's own on free ports: three primaries, each with one replica (six
 * redis-server processes with {@code cluster-enabled yes}, joined by {@code redis-cli --cluster
 * create}), as a Redis operator or a managed Redis Cluster runs it. Each node's bus port is a free
 * port of its own. Never the shared Redis on 6379.
 */
final class OwnRedisCluster implements AutoCloseable {
    private final List<OwnRedis> nodes = new ArrayList<>();

    OwnRedisCluster start() throws Exception {
        for (int i = 0; i < 6; i++) {
            OwnRedis node = OwnRedis.in(OwnBrokers.tempDir("hotpot-redis-cluster-"), "--cluster-enabled", "yes",
                    "--cluster-port", Integer.toString(OwnBrokers.freePort()), "--cluster-node-timeout", "2000");
            nodes.add(node);
            node.start();
        }
        List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        nodes.forEach(node -> create.add("127.0.0.1:" + node.port()));
        create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        int exit = OwnBrokers.run(create, java.util.Map.of(), 60);
        if (exit != 0) {
            throw new IllegalStateException("redis-cli --cluster create exited with " + exit);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!ready()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the cluster is not ok in 30 s: " + cli(nodes.get(0).port(), "cluster", "info")
                        + cli(nodes.get(0).port(), "cluster", "nodes"));
            }
            Thread.sleep(200);
        }
        return this;
    }

    /** Every node says the cluster is ok, and every replica is in sync with its primary. */
    private boolean ready() throws Exception {
        for (OwnRedis node : nodes) {
            if (!cli(node.port(), "cluster", "info").contains("cluster_state:ok")) {
                return false;
            }
            String replication = cli(node.port(), "info", "replication");
            if (replication.contains("role:slave") && !replication.contains("master_link_status:up")) {
                return false;
            }
        }
        return true;
    }

    /** {@code redis.addresses}: two of the nodes, as an operator gives some and the client finds the rest. */
    String addresses() {
        return "127.0.0.1:" + nodes.get(0).port() + ",127.0.0.1:" + nodes.get(3).port();
    }

    /** The ports of the primaries now. */
    List<Integer> primaries() throws Exception {
        List<Integer> primaries = new ArrayList<>();
        for (String line : cli(nodes.get(0).port(), "cluster", "nodes").split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length > 2 && fields[2].contains("master") && !fields[2].contains("fail")) {
                primaries.add(Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1, fields[1].indexOf('@'))));
            }
        }
        return primaries;
    }

    /** The port of the primary that serves {@code key}'s hash slot. */
    int primaryOf(String key) throws Exception {
        int slot = Integer.parseInt(cli(nodes.get(0).port(), "cluster", "keyslot", key).trim());
        for (String line : cli(nodes.get(0).port(), "cluster", "nodes").split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length < 9 || !fields[2].contains("master")) {
                continue;
            }
            for (int i = 8; i < fields.length; i++) {
                String[] range = fields[i].split("-");
                if (range[0].startsWith("[")) {
                    continue; // a slot being moved
                }
                int first = Integer.parseInt(range[0]);
                int last = range.length > 1 ? Integer.parseInt(range[1]) : first;
                if (slot >= first && slot <= last) {
                    return Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1, fields[1].indexOf('@')));
                }
            }
        }
        throw new IllegalStateException("no primary serves slot " + slot);
    }

    /** How many times a node has run {@code command} ({@code INFO commandstats}), 0 if never. */
    static long calls(int port, String command) throws Exception {
        for (String line : cli(port, "info", "commandstats").split("\n")) {
            if (line.startsWith("cmdstat_" + command + ":calls=")) {
                String calls = line.substring(("cmdstat_" + command + ":calls=").length());
                return Long.parseLong(calls.substring(0, calls.indexOf(',')));
            }
        }
        return 0;
    }

    /** One command through {@code redis-cli -c} (it follows the cluster's redirections); its output. */
    String command(String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of("-c"));
        args.addAll(List.of(command));
        return cli(nodes.get(0).port(), args.toArray(String[]::new));
    }

    static String cli(int port, String... command) throws Exception {
        return OwnSentinels.cli(port, command);
    }

    @Override
    public void close() throws Exception {
        for (OwnRedis node : nodes) {
            node.close();
        }
    }
}
