import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Chat load against chat-service's WebSocket rooms (ws://host:port/ws/chat/{room}/), with the
 * JDK's own WebSocket client; no dependencies.
 *
 * <pre>
 * java ChatLoad fanout host port clients messages rate chatPid
 *     N receivers join a fresh room (each waits for its "history" frame), 5 s pass (the joins'
 *     presence frames must not be measured; -Dchatload.settleMs), then one more connection
 *     sends `messages` messages at `rate` per second; each text carries the sequence number and the
 *     send time (System.nanoTime, one clock: sender and receivers are this one process). Every
 *     receiver keeps a bit per sequence number, so lost and duplicated messages are counted per
 *     receiver. Prints one line of key=value: deliveries/s (deliveries / first send to last
 *     receipt), latency p50/p90/p99/max, lost, duplicates, closed connections, this process's CPU
 *     and chat-service's CPU during the send phase. The receivers are plain non-blocking sockets
 *     read by one thread (NioReceivers), about 7 microseconds of CPU per frame; -Dchatload.client=jdk
 *     uses the JDK's WebSocket client instead (about twice that, and more at 100,000 frames/s).
 * java ChatLoad storm host port clients seconds rate chatPid
 *     A join storm: one member (the watcher) and the sender in a fresh room; the sender sends at
 *     `rate` per second for `seconds`, and after the first second N more members join at once (at
 *     most 200 handshakes in flight). The watcher's latency p50/p99/max over the whole run (it
 *     is in the room throughout), messages it lost, and the presence frames all members received.
 * java ChatLoad idle host port connections rooms holdSeconds chatPid
 *     Memory per connection: chat-service's VmRSS and heap used (after a GC through jcmd) before
 *     and with `connections` idle members spread over `rooms` fresh rooms (NIO receivers too).
 * </pre>
 * -Dchatload.deflate=true makes the NIO receivers offer permessage-deflate in their upgrade, as
 * every browser does, and inflate the frames the server compresses; `deflate=` in the output
 * counts the connections on which the server accepted it.
 */
public class ChatLoad {
    static final String TAG = "cb" + Long.toString(ThreadLocalRandom.current().nextLong() & 0xffffffffL, 36);
    static final ExecutorService EXECUTOR = Executors.newFixedThreadPool(
            Integer.getInteger("chatload.threads", 4), r -> {
                Thread t = new Thread(r, "chatload");
                t.setDaemon(true);
                return t;
            });

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "fanout" -> fanout(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Double.parseDouble(args[5]), Long.parseLong(args[6]));
            case "storm" -> storm(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Double.parseDouble(args[5]), Long.parseLong(args[6]));
            case "idle" -> idle(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]), Long.parseLong(args[6]));
            default -> throw new IllegalArgumentException("fanout, storm or idle");
        }
        System.exit(0);
    }

    /** One connection: counts what it receives. Callbacks of one WebSocket never run concurrently. */
    static final class Receiver implements WebSocket.Listener {
        final int messages;
        final BitSet got;
        final CountDownLatch joined;
        final Stats stats;
        volatile int count;
        volatile int duplicates;
        volatile int closeCode = -1;
        volatile Throwable error;
        /** Presence frames received (joins, leaves, summaries). */
        volatile int presenceFrames;
        /** Whether its history marker arrived: messages before it are history, not live deliveries. */
        volatile boolean live;
        private StringBuilder partial;

        Receiver(int messages, CountDownLatch joined, Stats stats) {
            this.messages = messages;
            this.got = new BitSet(Math.max(messages, 1));
            this.joined = joined;
            this.stats = stats;
        }

        @Override
        public void onOpen(WebSocket ws) {
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (!last) {
                (partial == null ? partial = new StringBuilder() : partial).append(data);
                ws.request(1);
                return null;
            }
            String text;
            if (partial != null) {
                text = partial.append(data).toString();
                partial = null;
            } else {
                text = data.toString();
            }
            handle(text, System.nanoTime());
            ws.request(1);
            return null;
        }

        void handle(String text, long now) {
            int at = text.indexOf(TAG + ":");
            if (at >= 0 && live && text.contains("\"type\":\"message\"")) {
                int p = at + TAG.length() + 1;
                int q = text.indexOf(':', p);
                int seq = Integer.parseInt(text, p, q, 10);
                int r = q + 1;
                while (r < text.length() && Character.isDigit(text.charAt(r))) {
                    r++;
                }
                long sent = Long.parseLong(text, q + 1, r, 10);
                if (got.get(seq)) {
                    duplicates++;
                } else {
                    got.set(seq);
                    count++;
                    stats.record(now - sent, now);
                }
            } else if (text.contains("\"type\":\"history\"")) {
                live = true;
                joined.countDown();
            } else if (text.contains("\"type\":\"presence\"")) {
                presenceFrames++;
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closeCode = statusCode;
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable e) {
            error = e;
        }
    }

    /**
     * Receivers on plain non-blocking sockets, all read by one thread: the HTTP upgrade written by
     * hand, then server frames (never masked) parsed in place; each text frame goes to its
     * {@link Receiver#handle} as Latin-1 text (the tag, numbers and JSON keys are ASCII). Pings are
     * answered. Far cheaper per frame than the JDK client, so the client stays well under a core.
     */
    static final class NioReceivers implements AutoCloseable {
        private final Selector selector = Selector.open();
        private final List<SocketChannel> channels = new ArrayList<>();
        private final Thread loop;
        private volatile boolean running = true;

        /** Offer permessage-deflate as browsers do (-Dchatload.deflate=true); compressed frames are inflated. */
        static final boolean DEFLATE = Boolean.getBoolean("chatload.deflate");
        /** Connections whose upgrade answer accepted permessage-deflate. */
        static final AtomicInteger DEFLATED = new AtomicInteger();
        private static final byte[] DEFLATE_TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

        private static final class Conn {
            final SocketChannel channel;
            final Receiver receiver;
            ByteBuffer in = ByteBuffer.allocate(1 << 16);
            boolean upgraded;
            /** The connection's inflater when the server compresses (kept: the server may take over its context). */
            Inflater inflater;
            byte[] inflated = new byte[1 << 12];

            Conn(SocketChannel channel, Receiver receiver) {
                this.channel = channel;
                this.receiver = receiver;
            }
        }

        NioReceivers(String host, int port, String path, List<Receiver> receivers) throws IOException {
            this(host, port, java.util.Collections.nCopies(receivers.size(), path), receivers);
        }

        NioReceivers(String host, int port, List<String> paths, List<Receiver> receivers) throws IOException {
            for (int i = 0; i < receivers.size(); i++) {
                Receiver receiver = receivers.get(i);
                byte[] handshake = ("GET " + paths.get(i) + " HTTP/1.1\r\nHost: " + host + ":" + port
                        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="
                        + "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: hotpot.v1"
                        + (DEFLATE ? "\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits" : "")
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                SocketChannel channel = SocketChannel.open(new InetSocketAddress(host, port));
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ByteBuffer out = ByteBuffer.wrap(handshake);
                while (out.hasRemaining()) {
                    channel.write(out);
                }
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ, new Conn(channel, receiver));
                channels.add(channel);
            }
            loop = Thread.ofPlatform().name("chatload-nio").daemon().start(this::run);
        }

        int connected() {
            return channels.size();
        }

        private void run() {
            try {
                while (running) {
                    selector.select(100);
                    for (var it = selector.selectedKeys().iterator(); it.hasNext();) {
                        SelectionKey key = it.next();
                        it.remove();
                        Conn conn = (Conn) key.attachment();
                        if (!key.isValid()) {
                            continue;
                        }
                        int read = conn.channel.read(conn.in);
                        if (read < 0) {
                            conn.receiver.closeCode = Math.max(conn.receiver.closeCode, 1006);
                            key.cancel();
                            continue;
                        }
                        parse(conn, System.nanoTime());
                    }
                }
            } catch (IOException e) {
                if (running) {
                    System.err.println("nio receivers: " + e);
                }
            }
        }

        private static void parse(Conn conn, long now) throws IOException {
            ByteBuffer in = conn.in;
            in.flip();
            byte[] a = in.array();
            if (!conn.upgraded) {
                int end = -1;
                for (int i = 3; i < in.limit(); i++) {
                    if (a[i - 3] == '\r' && a[i - 2] == '\n' && a[i - 1] == '\r' && a[i] == '\n') {
                        end = i + 1;
                        break;
                    }
                }
                if (end < 0) {
                    in.position(in.limit());
                    in.limit(in.capacity());
                    return;
                }
                String answer = new String(a, 0, end, StandardCharsets.US_ASCII);
                if (!answer.substring(0, Math.min(end, 16)).contains(" 101")) {
                    throw new IOException("no upgrade: " + answer);
                }
                if (answer.toLowerCase(Locale.ROOT).contains("permessage-deflate")) {
                    conn.inflater = new Inflater(true);
                    DEFLATED.incrementAndGet();
                }
                conn.upgraded = true;
                in.position(end);
            }
            while (in.remaining() >= 2) {
                int start = in.position();
                int b0 = a[start] & 0xff;
                int b1 = a[start + 1] & 0x7f;
                int header = 2;
                long length = b1;
                if (b1 == 126) {
                    header = 4;
                    if (in.remaining() < header) {
                        break;
                    }
                    length = ((a[start + 2] & 0xff) << 8) | (a[start + 3] & 0xff);
                } else if (b1 == 127) {
                    header = 10;
                    if (in.remaining() < header) {
                        break;
                    }
                    length = in.getLong(start + 2);
                }
                if (header + length > in.capacity()) { // a frame bigger than the buffer: grow it
                    ByteBuffer bigger = ByteBuffer.allocate((int) (header + length) * 2);
                    bigger.put(in);
                    conn.in = bigger;
                    return;
                }
                if (in.remaining() < header + length) {
                    break;
                }
                int opcode = b0 & 0x0f;
                int payload = start + header;
                if (opcode == 1 && (b0 & 0x40) != 0) { // compressed (RSV1): inflate the message and its tail
                    conn.receiver.handle(inflate(conn, a, payload, (int) length), now);
                } else if (opcode == 1) {
                    conn.receiver.handle(new String(a, payload, (int) length, StandardCharsets.ISO_8859_1), now);
                } else if (opcode == 8) {
                    conn.receiver.closeCode = length >= 2 ? ((a[payload] & 0xff) << 8) | (a[payload + 1] & 0xff) : 1005;
                } else if (opcode == 9) { // ping: pong with the same payload, masked with a zero key
                    ByteBuffer pong = ByteBuffer.allocate(6 + (int) length);
                    pong.put((byte) 0x8a).put((byte) (0x80 | length)).putInt(0).put(a, payload, (int) length).flip();
                    while (pong.hasRemaining()) {
                        conn.channel.write(pong);
                    }
                }
                in.position(payload + (int) length);
            }
            in.compact();
        }

        private static String inflate(Conn conn, byte[] a, int offset, int length) throws IOException {
            Inflater inflater = conn.inflater;
            if (inflater == null) {
                throw new IOException("a compressed frame on a connection without permessage-deflate");
            }
            byte[] input = Arrays.copyOfRange(a, offset, offset + length + 4);
            System.arraycopy(DEFLATE_TAIL, 0, input, length, 4);
            inflater.setInput(input);
            int size = 0;
            try {
                while (!inflater.needsInput()) {
                    if (size == conn.inflated.length) {
                        conn.inflated = Arrays.copyOf(conn.inflated, size * 2);
                    }
                    size += inflater.inflate(conn.inflated, size, conn.inflated.length - size);
                }
            } catch (DataFormatException e) {
                throw new IOException("bad deflate data", e);
            }
            return new String(conn.inflated, 0, size, StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            running = false;
            selector.wakeup();
            try {
                loop.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (SocketChannel channel : channels) {
                channel.close();
            }
            selector.close();
        }
    }

    /** Latencies of every delivery (microseconds) and the time of the last one. */
    static final class Stats {
        final int[] micros;
        final AtomicInteger n = new AtomicInteger();
        final AtomicLong last = new AtomicLong();

        Stats(int capacity) {
            micros = new int[capacity];
        }

        void record(long nanos, long now) {
            int i = n.getAndIncrement();
            if (i < micros.length) {
                micros[i] = (int) Math.min(Integer.MAX_VALUE, nanos / 1000);
            }
            last.accumulateAndGet(now, Math::max);
        }
    }

    static HttpClient[] clients(int connections) {
        int k = Math.max(1, Math.min(8, connections / 250));
        HttpClient[] clients = new HttpClient[k];
        for (int i = 0; i < k; i++) {
            clients[i] = HttpClient.newBuilder().executor(EXECUTOR).build();
        }
        return clients;
    }

    /** Opens the connections, at most 200 handshakes at a time; returns the ones that opened. */
    static List<WebSocket> connect(HttpClient[] clients, List<URI> uris, List<? extends WebSocket.Listener> listeners)
            throws InterruptedException {
        Semaphore inFlight = new Semaphore(200);
        WebSocket[] sockets = new WebSocket[uris.size()];
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(uris.size());
        for (int i = 0; i < uris.size(); i++) {
            inFlight.acquire();
            int index = i;
            clients[i % clients.length].newWebSocketBuilder().subprotocols("hotpot.v1").buildAsync(uris.get(i), listeners.get(i))
                    .whenComplete((ws, e) -> {
                        if (e != null) {
                            if (failed.getAndIncrement() < 3) {
                                System.err.println("connect failed: " + e);
                            }
                        } else {
                            sockets[index] = ws;
                        }
                        inFlight.release();
                        done.countDown();
                    });
        }
        done.await(120, TimeUnit.SECONDS);
        List<WebSocket> open = new ArrayList<>();
        for (WebSocket ws : sockets) {
            if (ws != null) {
                open.add(ws);
            }
        }
        return open;
    }

    static void fanout(String host, int port, int n, int messages, double rate, long chatPid) throws Exception {
        String room = TAG + "-" + n;
        URI uri = URI.create("ws://" + host + ":" + port + "/ws/chat/" + room + "/");
        HttpClient[] clients = clients(n + 1);
        Stats stats = new Stats(n * messages);
        CountDownLatch joined = new CountDownLatch(n + 1);
        List<Receiver> receivers = new ArrayList<>();
        List<URI> uris = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            receivers.add(new Receiver(messages, joined, stats));
            uris.add(uri);
        }
        long t0 = System.nanoTime();
        // The receivers: raw NIO sockets on one thread (the default, cheap enough to leave chat-service
        // the CPU), or the JDK's WebSocket client (-Dchatload.client=jdk).
        boolean jdk = "jdk".equals(System.getProperty("chatload.client", "nio"));
        List<WebSocket> open = jdk ? connect(clients, uris, receivers) : List.of();
        NioReceivers nio = jdk ? null : new NioReceivers(host, port, uri.getPath(), receivers);
        int connected = jdk ? open.size() : nio.connected();
        Receiver senderListener = new Receiver(messages, joined, new Stats(messages));
        WebSocket sender = clients[0].newWebSocketBuilder().subprotocols("hotpot.v1").buildAsync(uri, senderListener).get(30, TimeUnit.SECONDS);
        boolean allJoined = joined.await(60, TimeUnit.SECONDS);
        double connectSeconds = (System.nanoTime() - t0) / 1e9;
        if (connected < n || !allJoined) {
            System.err.println("only " + connected + " of " + n + " receivers connected; joined all: " + allJoined);
        }
        Thread.sleep(Long.getLong("chatload.settleMs", 5000)); // let the join presence frames (N x N) pass

        long cpu0 = ownCpuNanos();
        double chatCpu0 = procCpuSeconds(chatPid);
        long interval = (long) (1e9 / rate);
        long start = System.nanoTime();
        int sent = 0;
        for (int seq = 0; seq < messages; seq++) {
            long due = start + seq * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            String text = "{\"message\":\"" + TAG + ":" + seq + ":" + System.nanoTime() + "\"}";
            sender.sendText(text, true).get(10, TimeUnit.SECONDS); // one send in flight at a time (the API's rule)
            sent++;
        }
        long sendEnd = System.nanoTime();
        long expected = (long) connected * sent;
        // Wait for everything, or until nothing has arrived for 5 s (at most 60 s).
        long deadline = sendEnd + 60_000_000_000L;
        int seen = -1;
        long quietSince = System.nanoTime();
        while (stats.n.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
            int now = stats.n.get();
            if (now != seen) {
                seen = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > 5_000_000_000L) {
                break;
            }
        }
        long cpu1 = ownCpuNanos();
        double chatCpu1 = procCpuSeconds(chatPid);
        long delivered = 0, duplicates = 0, closed = 0, errors = 0;
        for (Receiver r : receivers) {
            delivered += r.count;
            duplicates += r.duplicates;
            closed += r.closeCode >= 0 ? 1 : 0;
            errors += r.error != null ? 1 : 0;
        }
        long lastReceipt = stats.last.get();
        double wall = (Math.max(lastReceipt, sendEnd) - start) / 1e9;
        int[] lat = Arrays.copyOf(stats.micros, Math.min(stats.n.get(), stats.micros.length));
        Arrays.sort(lat);
        System.out.println(String.format(Locale.ROOT,
                "clients=%d connected=%d messages=%d sent=%d rate=%.0f expected=%d delivered=%d lost=%d duplicates=%d "
                        + "closed=%d errors=%d connect_s=%.2f send_s=%.3f wall_s=%.3f deliveries_per_s=%.0f "
                        + "p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f client_send_cpu_s=%.2f chat_send_cpu_s=%.2f deflate=%d",
                n, connected, messages, sent, rate, (long) n * sent, delivered, (long) n * sent - delivered, duplicates,
                closed, errors, connectSeconds, (sendEnd - start) / 1e9, wall, delivered / wall,
                pct(lat, 50), pct(lat, 90), pct(lat, 99), lat.length == 0 ? Double.NaN : lat[lat.length - 1] / 1000.0,
                (cpu1 - cpu0) / 1e9, chatCpu1 - chatCpu0, NioReceivers.DEFLATED.get()));
        if (nio != null) {
            nio.close();
        } else {
            closeAll(open);
        }
        sender.sendClose(WebSocket.NORMAL_CLOSURE, "");
    }

    static void storm(String host, int port, int n, int seconds, double rate, long chatPid) throws Exception {
        String room = TAG + "-storm-" + n;
        URI uri = URI.create("ws://" + host + ":" + port + "/ws/chat/" + room + "/");
        int messages = (int) (rate * seconds);
        HttpClient[] clients = clients(n + 2);
        Stats stats = new Stats(messages);
        CountDownLatch first = new CountDownLatch(2);
        Receiver watcher = new Receiver(messages, first, stats);
        Receiver senderListener = new Receiver(messages, first, new Stats(messages));
        WebSocket watching = clients[0].newWebSocketBuilder().subprotocols("hotpot.v1").buildAsync(uri, watcher).get(30, TimeUnit.SECONDS);
        WebSocket sender = clients[0].newWebSocketBuilder().subprotocols("hotpot.v1").buildAsync(uri, senderListener).get(30, TimeUnit.SECONDS);
        first.await(30, TimeUnit.SECONDS);
        Thread.sleep(1000); // the two joins' presence frames pass

        CountDownLatch joined = new CountDownLatch(n);
        List<Receiver> receivers = new ArrayList<>();
        List<URI> uris = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            receivers.add(new Receiver(messages, joined, new Stats(0)));
            uris.add(uri);
        }
        List<List<WebSocket>> opened = new ArrayList<>();
        long[] joinedAt = new long[1];
        Thread joiner = Thread.ofPlatform().unstarted(() -> {
            try {
                opened.add(connect(clients, uris, receivers));
                joined.await(120, TimeUnit.SECONDS);
                joinedAt[0] = System.nanoTime();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long cpu0 = ownCpuNanos();
        double chatCpu0 = procCpuSeconds(chatPid);
        long interval = (long) (1e9 / rate);
        long start = System.nanoTime();
        for (int seq = 0; seq < messages; seq++) {
            long due = start + seq * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (seq == (int) rate) {
                joiner.start(); // after the first second
            }
            String text = "{\"message\":\"" + TAG + ":" + seq + ":" + System.nanoTime() + "\"}";
            sender.sendText(text, true).get(10, TimeUnit.SECONDS);
        }
        joiner.join();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (stats.n.get() < messages && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(2000); // the last presence summaries
        long cpu1 = ownCpuNanos();
        double chatCpu1 = procCpuSeconds(chatPid);
        long presence = watcher.presenceFrames;
        for (Receiver r : receivers) {
            presence += r.presenceFrames;
        }
        int[] lat = Arrays.copyOf(stats.micros, Math.min(stats.n.get(), stats.micros.length));
        Arrays.sort(lat);
        int connected = opened.isEmpty() ? 0 : opened.get(0).size();
        System.out.println(String.format(Locale.ROOT,
                "clients=%d connected=%d joined_s=%.2f messages=%d rate=%.0f watcher_lost=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f "
                        + "presence_frames=%d client_cpu_s=%.2f chat_cpu_s=%.2f",
                n, connected, joinedAt[0] == 0 ? Double.NaN : (joinedAt[0] - start) / 1e9 - 1, messages, rate,
                messages - watcher.count, pct(lat, 50), pct(lat, 99), lat.length == 0 ? Double.NaN : lat[lat.length - 1] / 1000.0,
                presence, (cpu1 - cpu0) / 1e9, chatCpu1 - chatCpu0));
        if (!opened.isEmpty()) {
            closeAll(opened.get(0));
        }
        watching.sendClose(WebSocket.NORMAL_CLOSURE, "");
        sender.sendClose(WebSocket.NORMAL_CLOSURE, "");
    }

    static void idle(String host, int port, int n, int rooms, int hold, long chatPid) throws Exception {
        String base = "http://" + host + ":" + port;
        gc(chatPid);
        long rss0 = rssKb(chatPid);
        long heap0 = heapUsed(base);
        HttpClient[] clients = clients(n);
        CountDownLatch joined = new CountDownLatch(n);
        Stats stats = new Stats(0);
        List<Receiver> receivers = new ArrayList<>();
        List<URI> uris = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            receivers.add(new Receiver(0, joined, stats));
            uris.add(URI.create("ws://" + host + ":" + port + "/ws/chat/" + TAG + "-idle-" + (i % rooms) + "/"));
        }
        long t0 = System.nanoTime();
        // The first member of a room makes chat-service read the room's stream on its relay
        // connection, whose pool queues at most 24 waiters (more fail the join): open one member
        // per room first, 16 rooms at a time, each batch joined before the next. The members are
        // NIO sockets as in fanout (-Dchatload.client=jdk for the JDK client; -Dchatload.deflate=true
        // offers permessage-deflate as browsers do).
        boolean jdk = "jdk".equals(System.getProperty("chatload.client", "nio"));
        List<WebSocket> open = new ArrayList<>();
        List<NioReceivers> nio = new ArrayList<>();
        List<String> paths = uris.stream().map(URI::getPath).toList();
        int firsts = Math.min(rooms, n);
        for (int from = 0; from < firsts; from += 16) {
            int to = Math.min(firsts, from + 16);
            if (jdk) {
                open.addAll(connect(clients, uris.subList(from, to), receivers.subList(from, to)));
            } else {
                nio.add(new NioReceivers(host, port, paths.subList(from, to), receivers.subList(from, to)));
            }
            long until = System.nanoTime() + 30_000_000_000L;
            while (joined.getCount() > n - to && System.nanoTime() < until) {
                Thread.sleep(10);
            }
        }
        if (jdk) {
            open.addAll(connect(clients, uris.subList(firsts, n), receivers.subList(firsts, n)));
        } else {
            nio.add(new NioReceivers(host, port, paths.subList(firsts, n), receivers.subList(firsts, n)));
        }
        boolean allJoined = joined.await(120, TimeUnit.SECONDS);
        double connectSeconds = (System.nanoTime() - t0) / 1e9;
        Thread.sleep(Math.max(1, hold) * 1000L); // idle: only presence and pings
        long closed = receivers.stream().filter(r -> r.closeCode >= 0).count();
        long peakRss = rssKb(chatPid);
        gc(chatPid);
        long rss1 = rssKb(chatPid);
        long heap1 = heapUsed(base);
        int connected = (jdk ? open.size() : nio.stream().mapToInt(NioReceivers::connected).sum()) - (int) closed;
        System.out.println(String.format(Locale.ROOT,
                "connections=%d rooms=%d connected=%d joined_all=%b joined=%d closed=%d deflate=%d connect_s=%.2f rss_before_mb=%.1f rss_after_mb=%.1f "
                        + "rss_peak_mb=%.1f rss_per_conn_kb=%.1f heap_before_mb=%.1f heap_after_mb=%.1f heap_per_conn_kb=%.1f client_cpu_s=%.2f",
                n, rooms, connected, allJoined, n - joined.getCount(), closed, NioReceivers.DEFLATED.get(), connectSeconds,
                rss0 / 1024.0, rss1 / 1024.0, peakRss / 1024.0,
                (rss1 - rss0) / (double) Math.max(1, connected), heap0 / 1048576.0, heap1 / 1048576.0,
                (heap1 - heap0) / 1024.0 / Math.max(1, connected), ownCpuNanos() / 1e9));
        closeAll(open);
        for (NioReceivers receiversOnOneThread : nio) {
            receiversOnOneThread.close();
        }
    }

    static void closeAll(List<WebSocket> sockets) throws InterruptedException {
        for (WebSocket ws : sockets) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
        }
        Thread.sleep(1000);
        for (WebSocket ws : sockets) {
            ws.abort();
        }
    }

    static double pct(int[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1000.0;
    }

    static long ownCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** User + system CPU seconds of a process, from /proc/PID/stat (clock ticks of 1/100 s). */
    static double procCpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** Heap used (all heap pools summed) from chat-service's /q/metrics, or -1 without it. */
    static long heapUsed(String base) {
        try {
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            double sum = 0;
            boolean any = false;
            for (String line : body.split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    any = true;
                }
            }
            return any ? (long) sum : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    /** A full GC in chat-service (jcmd GC.run) so that heap and RSS readings are of live data. */
    static void gc(long pid) throws Exception {
        String jcmd = System.getProperty("java.home") + "/bin/jcmd";
        Process p = new ProcessBuilder(jcmd, Long.toString(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor(30, TimeUnit.SECONDS);
        Thread.sleep(500);
    }
}
