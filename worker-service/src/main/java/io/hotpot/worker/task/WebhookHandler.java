package io.hotpot.worker.task;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.Workload;

/**
 * {@code webhook}: POSTs one JSON payload to many URLs at once through {@link TaskContext#fanOut},
 * and returns what each one answered. A URL that fails (refused, timed out, not 2xx) is one
 * failed outcome among the others, not the task's failure: the task succeeds once every URL was
 * tried, and its result says which answered. A revoke or the time limit cancels the outstanding
 * requests. Redirects are not followed.
 */
@ApplicationScoped
public class WebhookHandler implements TaskHandler<WebhookHandler.Args> {
    /** The most URLs one task may call. */
    static final int MAX_URLS = 10_000;
    static final double DEFAULT_TIMEOUT_SECONDS = 30;
    static final double MAX_TIMEOUT_SECONDS = 300;

    /**
     * @param urls        where to POST, {@code http} or {@code https}, 1 to 10,000
     * @param payload     the JSON body sent to each
     * @param headers     request headers added to each (e.g. a shared secret); shown masked in records
     * @param parallelism requests at once; {@code hotpot.tasks.fan-out.parallelism} when absent
     * @param timeout     seconds each request may take, 30 when absent, at most 300
     */
    public record Args(List<String> urls, JsonNode payload, Optional<Map<String, String>> headers,
            Optional<Integer> parallelism, Optional<Double> timeout) {
    }

    /**
     * What one URL answered: {@code status} and its time, or {@code error} when there was no answer.
     *
     * @param url    the URL
     * @param ok     whether it answered 2xx
     * @param status the HTTP status, absent without an answer
     * @param ms     milliseconds from sending to the answer or the error
     * @param error  why there was no answer (the exception's type and message)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Outcome(String url, boolean ok, Integer status, long ms, String error) {
    }

    /**
     * The task's result.
     *
     * @param calls     URLs called
     * @param succeeded how many answered 2xx
     * @param failed    how many did not
     * @param outcomes  per URL, in the order given
     */
    public record Result(int calls, int succeeded, int failed, List<Outcome> outcomes) {
    }

    private final ObjectMapper mapper;
    private final FanOut fanOut;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    public WebhookHandler(ObjectMapper mapper, FanOut fanOut) {
        this.mapper = mapper;
        this.fanOut = fanOut;
    }

    @Override
    public String type() {
        return "webhook";
    }

    @Override
    public Class<Args> argsType() {
        return Args.class;
    }

    @Override
    public Class<?> resultType() {
        return Result.class;
    }

    @Override
    public Workload workload() {
        return Workload.IO;
    }

    /** Headers often carry a secret. */
    @Override
    public Set<String> sensitiveArgs() {
        return Set.of("headers");
    }

    @Override
    public Object run(Args args, TaskContext context) throws Exception {
        List<URI> urls = checkedUrls(args.urls());
        int parallelism = args.parallelism().orElse(fanOut.parallelism());
        try {
            fanOut.check(parallelism);
        } catch (IllegalArgumentException e) {
            throw new PermanentTaskException(e.getMessage());
        }
        double timeoutSeconds = args.timeout().orElse(DEFAULT_TIMEOUT_SECONDS);
        if (!(timeoutSeconds > 0 && timeoutSeconds <= MAX_TIMEOUT_SECONDS)) {
            throw new PermanentTaskException("timeout must be more than 0 and at most " + (int) MAX_TIMEOUT_SECONDS
                    + " seconds, got " + timeoutSeconds);
        }
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(args.payload());
        } catch (JsonProcessingException e) {
            throw new PermanentTaskException("the payload cannot be written as JSON: " + e.getOriginalMessage());
        }
        HttpRequest.Builder template = HttpRequest.newBuilder()
                .timeout(Duration.ofMillis(Math.round(timeoutSeconds * 1000)))
                .header("Content-Type", "application/json")
                .header("User-Agent", "hotpot-webhook")
                .header("X-Hotpot-Task", context.taskId());
        try {
            args.headers().orElse(Map.of()).forEach(template::header);
        } catch (IllegalArgumentException e) {
            throw new PermanentTaskException("headers: " + e.getMessage());
        }
        List<Outcome> outcomes = context.fanOut(urls, parallelism, url -> post(template.copy().uri(url)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build()));
        int succeeded = (int) outcomes.stream().filter(Outcome::ok).count();
        return new Result(outcomes.size(), succeeded, outcomes.size() - succeeded, outcomes);
    }

    /** One request; a failure is its outcome. An interrupt (the task stopped) is not: it ends the fan-out. */
    private Outcome post(HttpRequest request) throws InterruptedException {
        long began = System.nanoTime();
        String url = request.uri().toString();
        try {
            HttpResponse<Void> answer = http.send(request, HttpResponse.BodyHandlers.discarding());
            int status = answer.statusCode();
            return new Outcome(url, status / 100 == 2, status, millisSince(began), null);
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("cancelled");
            }
            return new Outcome(url, false, null, millisSince(began), e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private static long millisSince(long began) {
        return (System.nanoTime() - began) / 1_000_000;
    }

    /** Every URL checked before any is called: a bad one fails the task with its position, and nothing is sent. */
    static List<URI> checkedUrls(List<String> urls) throws PermanentTaskException {
        if (urls == null || urls.isEmpty() || urls.size() > MAX_URLS) {
            throw new PermanentTaskException("urls must list 1 to " + MAX_URLS + " URLs, got "
                    + (urls == null ? 0 : urls.size()));
        }
        List<URI> checked = new ArrayList<>(urls.size());
        for (int i = 0; i < urls.size(); i++) {
            String url = urls.get(i);
            try {
                URI uri = new URI(url == null ? "" : url);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
                if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                    throw new URISyntaxException(String.valueOf(url), "not an http or https URL with a host");
                }
                checked.add(uri);
            } catch (URISyntaxException e) {
                throw new PermanentTaskException("urls[" + i + "] is not an http(s) URL: " + e.getMessage());
            }
        }
        return checked;
    }

    @PreDestroy
    void close() {
        http.shutdownNow();
    }
}
