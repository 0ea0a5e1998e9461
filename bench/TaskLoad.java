import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tasks end to end: submits {@code add} tasks over REST and learns of their SUCCESS from the
 * task events Redis publishes (hotpot:events:tasks), so it never polls. Latency is from sending
 * the POST to receiving the SUCCESS event, on this machine's clock.
 *
 *   java TaskLoad.java throughput API_URL REDIS_HOST REDIS_PORT TASKS CONCURRENCY
 *   java TaskLoad.java roundtrip  API_URL REDIS_HOST REDIS_PORT TASKS
 *
 * Prints one line of key=value results.
 */
public class TaskLoad {
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    private static final Pattern STATUS = Pattern.compile("\"status\":\"([A-Z]+)\"");
    /** An {@code add}, to the queue named by TASKLOAD_QUEUE when set (a bench's own worker), else the default queue. */
    private static final String BODY = System.getenv("TASKLOAD_QUEUE") == null
            ? "{\"type\":\"add\",\"args\":{\"x\":2,\"y\":3}}"
            : "{\"type\":\"add\",\"args\":{\"x\":2,\"y\":3},\"queue\":\"" + System.getenv("TASKLOAD_QUEUE") + "\"}";

    private static final Map<String, CompletableFuture<Long>> finals = new ConcurrentHashMap<>();
    /** Ids whose final event was FAILURE: other clients' tasks share the channel, so only ours are counted. */
    private static final java.util.Set<String> failedIds = ConcurrentHashMap.newKeySet();
    private static final java.util.Set<String> ours = ConcurrentHashMap.newKeySet();

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        URI tasks = URI.create(args[1] + "/api/tasks");
        Thread events = Thread.ofPlatform().daemon().name("events").start(() -> listen(args[2], Integer.parseInt(args[3])));
        Thread.sleep(300); // subscribed before the first task
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        int n = Integer.parseInt(args[4]);
        if (mode.equals("roundtrip")) {
            roundTrips(http, tasks, n);
        } else {
            throughput(http, tasks, n, Integer.parseInt(args[5]));
        }
        events.interrupt();
    }

    private static HttpRequest post(URI tasks) {
        return HttpRequest.newBuilder(tasks).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
    }

    private static CompletableFuture<Long> finalOf(String id) {
        return finals.computeIfAbsent(id, k -> new CompletableFuture<>());
    }

    private static void throughput(HttpClient http, URI tasks, int n, int concurrency) throws Exception {
        Semaphore window = new Semaphore(concurrency);
        List<CompletableFuture<long[]>> all = new ArrayList<>(n);
        AtomicInteger refused = new AtomicInteger();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            window.acquire();
            long sent = System.nanoTime();
            all.add(http.sendAsync(post(tasks), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> window.release())
                    .thenCompose(response -> {
                        if (response.statusCode() != 202) {
                            refused.incrementAndGet();
                            return CompletableFuture.completedFuture(new long[] { sent, -1 });
                        }
                        String id = id(response.body());
                        ours.add(id);
                        return finalOf(id).thenApply(done -> new long[] { sent, done });
                    })
                    .exceptionally(e -> {
                        refused.incrementAndGet();
                        return new long[] { sent, -1 };
                    }));
        }
        long submitted = System.nanoTime();
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
        long[] latencies = all.stream().map(CompletableFuture::join).filter(t -> t[1] > 0).mapToLong(t -> t[1] - t[0]).toArray();
        long last = all.stream().map(CompletableFuture::join).mapToLong(t -> t[1]).max().orElse(start);
        double wall = (last - start) / 1e9;
        report("tasks=%d ok=%d refused=%d failed=%d submit_s=%.2f wall_s=%.2f tasks_per_s=%.0f %s", n, latencies.length,
                refused.get(), failures(), (submitted - start) / 1e9, wall, latencies.length / wall, percentiles(latencies));
    }

    private static void roundTrips(HttpClient http, URI tasks, int n) throws Exception {
        long[] latencies = new long[n];
        int errors = 0;
        for (int i = 0; i < n; i++) {
            long sent = System.nanoTime();
            HttpResponse<String> response = http.send(post(tasks), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 202) {
                errors++;
                continue;
            }
            String id = id(response.body());
            ours.add(id);
            long done = finalOf(id).get(30, TimeUnit.SECONDS);
            latencies[i] = done - sent;
        }
        report("tasks=%d errors=%d failed=%d %s", n, errors, failures(), percentiles(latencies));
    }

    private static long failures() {
        return failedIds.stream().filter(ours::contains).count();
    }

    private static String id(String body) {
        Matcher m = ID.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no id in " + body);
        }
        return m.group(1);
    }

    private static String percentiles(long[] nanos) {
        if (nanos.length == 0) {
            return "p50_ms=NaN p99_ms=NaN";
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format("p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f", at(sorted, 0.50), at(sorted, 0.90),
                at(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
    }

    private static double at(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    private static void report(String format, Object... values) {
        System.out.println(String.format(format, values));
    }

    /** SUBSCRIBE over plain RESP: array replies of message, channel, payload. */
    private static void listen(String host, int port) {
        try (Socket socket = new Socket(host, port)) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            String password = System.getenv("REDIS_PASSWORD");
            if (password != null && !password.isEmpty()) {
                out.write(command("AUTH", password));
            }
            out.write(command("SUBSCRIBE", "hotpot:events:tasks"));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            while (!Thread.currentThread().isInterrupted()) {
                Object reply = read(in);
                if (reply instanceof Object[] parts && parts.length == 3 && "message".equals(parts[0])) {
                    long now = System.nanoTime();
                    String payload = (String) parts[2];
                    Matcher status = STATUS.matcher(payload);
                    if (!status.find()) {
                        continue;
                    }
                    String s = status.group(1);
                    if (s.equals("SUCCESS") || s.equals("FAILURE")) {
                        Matcher id = ID.matcher(payload);
                        if (id.find()) {
                            if (s.equals("FAILURE")) {
                                failedIds.add(id.group(1));
                            }
                            finalOf(id.group(1)).complete(now);
                        }
                    }
                }
            }
        } catch (IOException e) {
            if (!Thread.currentThread().isInterrupted()) {
                System.err.println("event subscription ended: " + e);
            }
        }
    }

    private static byte[] command(String... words) {
        StringBuilder b = new StringBuilder("*").append(words.length).append("\r\n");
        for (String w : words) {
            b.append('$').append(w.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(w).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Object read(InputStream in) throws IOException {
        String line = line(in);
        switch (line.charAt(0)) {
            case '*' -> {
                int n = Integer.parseInt(line.substring(1));
                Object[] parts = new Object[Math.max(n, 0)];
                for (int i = 0; i < n; i++) {
                    parts[i] = read(in);
                }
                return parts;
            }
            case '$' -> {
                int n = Integer.parseInt(line.substring(1));
                if (n < 0) {
                    return null;
                }
                byte[] data = in.readNBytes(n + 2);
                return new String(data, 0, n, StandardCharsets.UTF_8);
            }
            default -> {
                return line.substring(1);
            }
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("Redis closed the connection");
            }
            b.append((char) c);
        }
        in.read();
        return b.toString();
    }
}
