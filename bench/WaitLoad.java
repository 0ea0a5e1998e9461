import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The synchronous call, one at a time on one connection: {@code add} submitted and its result
 * received, either in one call ({@code POST /api/tasks?wait=PT30S}, answered on the task's final
 * event) or, for comparison, by polling ({@code POST}, then {@code GET /api/tasks/{id}} until
 * {@code SUCCESS}, with no pause between reads). Latency is from sending the POST to holding the
 * result.
 *
 *   java WaitLoad.java wait API_URL TASKS
 *   java WaitLoad.java poll API_URL TASKS
 *
 * Prints one line of key=value results.
 */
public class WaitLoad {
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    private static final Pattern STATUS = Pattern.compile("\"status\":\"([A-Z]+)\"");
    private static final String BODY = "{\"type\":\"add\",\"args\":{\"x\":2,\"y\":3}}";

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String api = args[1];
        int n = Integer.parseInt(args[2]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        long[] latencies = new long[n];
        int ok = 0;
        int errors = 0;
        long reads = 0;
        for (int i = 0; i < n; i++) {
            long sent = System.nanoTime();
            String status;
            if (mode.equals("wait")) {
                HttpResponse<String> response = http.send(post(api + "/api/tasks?wait=PT30S"), HttpResponse.BodyHandlers.ofString());
                status = response.statusCode() == 200 ? status(response.body()) : "HTTP" + response.statusCode();
            } else {
                HttpResponse<String> response = http.send(post(api + "/api/tasks"), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 202) {
                    status = "HTTP" + response.statusCode();
                } else {
                    HttpRequest read = HttpRequest.newBuilder(URI.create(api + "/api/tasks/" + id(response.body()))).build();
                    do {
                        status = status(http.send(read, HttpResponse.BodyHandlers.ofString()).body());
                        reads++;
                    } while (!status.equals("SUCCESS") && !status.equals("FAILURE") && System.nanoTime() - sent < 30e9);
                }
            }
            if (status.equals("SUCCESS")) {
                latencies[ok++] = System.nanoTime() - sent;
            } else {
                errors++;
            }
        }
        System.out.println(String.format("mode=%s tasks=%d ok=%d errors=%d reads_per_task=%.1f %s", mode, n, ok, errors,
                mode.equals("poll") ? (double) reads / Math.max(1, ok) : 0.0, percentiles(Arrays.copyOf(latencies, ok))));
    }

    private static HttpRequest post(String uri) {
        return HttpRequest.newBuilder(URI.create(uri)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(40)).POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
    }

    private static String id(String body) {
        Matcher m = ID.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no id in " + body);
        }
        return m.group(1);
    }

    private static String status(String body) {
        Matcher m = STATUS.matcher(body);
        return m.find() ? m.group(1) : "UNKNOWN";
    }

    private static String percentiles(long[] nanos) {
        if (nanos.length == 0) {
            return "p50_ms=NaN p99_ms=NaN";
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format("p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f", at(sorted, 0.50), at(sorted, 0.90),
                at(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
    }

    private static double at(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
