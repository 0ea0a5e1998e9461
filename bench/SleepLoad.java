import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * N concurrent GET requests, each on its own connection, sent at once from one thread (NIO), so
 * the client holds no thread per request. Prints one line: n, ok, errors, wall seconds (first
 * connect to last answer), and when (seconds after the start) the connections were established,
 * the requests sent and the answers complete: p50, p99 and the last of each.
 * Usage: java SleepLoad N host port path
 */
public class SleepLoad {
    public static void main(String[] args) throws IOException {
        int n = Integer.parseInt(args[0]);
        InetSocketAddress address = new InetSocketAddress(args[1], Integer.parseInt(args[2]));
        byte[] request = ("GET " + args[3] + " HTTP/1.1\r\nHost: " + args[1] + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        Selector selector = Selector.open();
        Conn[] conns = new Conn[n];
        long start = System.nanoTime();
        int errors = 0;
        for (int i = 0; i < n; i++) {
            try {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.connect(address);
                Conn conn = new Conn(request);
                conns[i] = conn;
                channel.register(selector, SelectionKey.OP_CONNECT, conn);
            } catch (IOException e) {
                errors++;
            }
        }
        int ok = 0;
        int open = n - errors;
        long deadline = start + 120_000_000_000L;
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (open > 0 && System.nanoTime() < deadline) {
            selector.select(1000);
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                SocketChannel channel = (SocketChannel) key.channel();
                Conn conn = (Conn) key.attachment();
                try {
                    if (key.isConnectable()) {
                        channel.finishConnect();
                        conn.connected = System.nanoTime();
                        key.interestOps(SelectionKey.OP_WRITE);
                    } else if (key.isWritable()) {
                        channel.write(conn.out);
                        if (!conn.out.hasRemaining()) {
                            conn.sent = System.nanoTime();
                            key.interestOps(SelectionKey.OP_READ);
                        }
                    } else if (key.isReadable()) {
                        buffer.clear();
                        int read = channel.read(buffer);
                        if (read > 0 && conn.status == null) {
                            conn.status = new String(buffer.array(), 0, Math.min(read, 12), StandardCharsets.US_ASCII);
                        }
                        if (read < 0) {
                            conn.done = System.nanoTime();
                            channel.close();
                            open--;
                            if (conn.status != null && conn.status.startsWith("HTTP/1.1 200")) {
                                ok++;
                            } else {
                                errors++;
                            }
                        }
                    }
                } catch (IOException e) {
                    key.cancel();
                    channel.close();
                    open--;
                    errors++;
                }
            }
        }
        errors += open; // still waiting at the deadline
        double wall = (System.nanoTime() - start) / 1e9;
        System.out.printf("n=%d ok=%d errors=%d wall_s=%.3f connected_s=%s sent_s=%s answered_s=%s%n", n, ok, errors, wall,
                spread(conns, start, c -> c.connected), spread(conns, start, c -> c.sent), spread(conns, start, c -> c.done));
    }

    /** p50/p99/last of a moment, in seconds after the start, over the connections that reached it. */
    static String spread(Conn[] conns, long start, java.util.function.ToLongFunction<Conn> moment) {
        long[] t = java.util.Arrays.stream(conns).filter(c -> c != null && moment.applyAsLong(c) > 0)
                .mapToLong(c -> moment.applyAsLong(c) - start).sorted().toArray();
        if (t.length == 0) {
            return "none";
        }
        return String.format("%.2f/%.2f/%.2f", t[t.length / 2] / 1e9, t[Math.min(t.length - 1, (int) (t.length * 0.99))] / 1e9,
                t[t.length - 1] / 1e9);
    }

    static final class Conn {
        final ByteBuffer out;
        String status;
        long connected;
        long sent;
        long done;

        Conn(byte[] request) {
            out = ByteBuffer.wrap(request);
        }
    }
}
