package io.hotpot.worker.task;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.common.Amqp;
import io.hotpot.common.RedisKeys;
import io.hotpot.common.TaskStatus;
import io.hotpot.messaging.QueueInspector;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.TimeoutException;
import io.vertx.mutiny.redis.client.Response;

/**
 * What happened to tasks over a span up to now, for the {@code report} task: tasks by type and
 * status, failures, the slowest types, and the depth of every queue in use. It reads the task
 * records themselves (they live 24 h after their last write, so they are the last day's tasks)
 * with {@code SCAN}, summarised step by step inside Redis: one pass over the records once a day,
 * and no index kept by the record writers.
 */
@ApplicationScoped
public class TaskSummary {
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);
    /** Longest wait for RabbitMQ to report the queue depths. */
    private static final Duration DEPTHS_WAIT = Duration.ofSeconds(10);

    private final ReactiveRedisDataSource redis;
    private final QueueInspector inspector;
    private final ObjectMapper mapper;

    public TaskSummary(ReactiveRedisDataSource redis, QueueInspector inspector, ObjectMapper mapper) {
        this.redis = redis;
        this.inspector = inspector;
        this.mapper = mapper;
    }

    /** A failed task as listed in the report. */
    public record Failure(String id, String type, Instant at, String error) {
    }

    /** Run time of one task type over the span, from the records with a start and a finish. */
    public record Slowness(String type, int runs, long averageMillis, long maxMillis) {
    }

    /** The summary; {@code queueDepths} holds -1 for a queue RabbitMQ does not know. */
    public record Summary(Instant from, Instant to, int tasks, Map<String, Map<TaskStatus, Integer>> byType,
            int failures, List<Failure> recentFailures, List<Slowness> slowest, Map<String, Integer> queueDepths) {
    }

    /**
     * One SCAN step over the task records, summarised inside Redis so a day of many records costs
     * one round trip per thousand. ARGV: cursor, match, count, from and to (epoch seconds), how
     * many failures to return at most. Returns {cursor, {type, status, n, ...},
     * {type, runs, total ms, max ms, ...}, {queue, ...}, {id, type, at, error, ...}}; the
     * failures are the newest of this step. Keys of another type under the pattern are skipped.
     */
    private static final String SCAN_STEP = """
            local function epoch(iso)
              if not iso then return nil end
              local y, mo, d, h, mi, s = string.match(iso, '^(%d+)-(%d+)-(%d+)T(%d+):(%d+):([%d%.]+)Z$')
              if not y then return nil end
              y, mo, d = tonumber(y), tonumber(mo), tonumber(d)
              if mo <= 2 then y = y - 1 end
              local era = math.floor(y / 400)
              local yoe = y - era * 400
              local doy = math.floor((153 * ((mo + 9) % 12) + 2) / 5) + d - 1
              local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
              return (era * 146097 + doe - 719468) * 86400 + tonumber(h) * 3600 + tonumber(mi) * 60 + tonumber(s)
            end
            local step = redis.call('SCAN', ARGV[1], 'MATCH', ARGV[2], 'COUNT', ARGV[3])
            local from, to = tonumber(ARGV[4]), tonumber(ARGV[5])
            local counts, runs, queues, failures = {}, {}, {}, {}
            for _, key in ipairs(step[2]) do
              if redis.call('TYPE', key).ok == 'hash' then
                local r = redis.call('HMGET', key, 'id', 'type', 'status', 'queue', 'createdAt', 'startedAt', 'finishedAt', 'error')
                local created = epoch(r[5])
                if r[2] and r[3] and created and created >= from and created <= to then
                  local k = r[2] .. '\t' .. r[3]
                  counts[k] = (counts[k] or 0) + 1
                  if r[4] then queues[r[4]] = true end
                  local s, f = epoch(r[6]), epoch(r[7])
                  if s and f then
                    local ms = math.floor((f - s) * 1000 + 0.5)
                    local acc = runs[r[2]] or {0, 0, 0}
                    acc[1] = acc[1] + 1
                    acc[2] = acc[2] + ms
                    if ms > acc[3] then acc[3] = ms end
                    runs[r[2]] = acc
                  end
                  if r[3] == 'FAILURE' then
                    failures[#failures + 1] = {r[1] or '', r[2], r[7] or r[5], r[8] or ''}
                  end
                end
              end
            end
            local outCounts, outRuns, outQueues, outFailures = {}, {}, {}, {}
            for k, n in pairs(counts) do
              local tab = string.find(k, '\t', 1, true)
              outCounts[#outCounts + 1] = string.sub(k, 1, tab - 1)
              outCounts[#outCounts + 1] = string.sub(k, tab + 1)
              outCounts[#outCounts + 1] = n
            end
            for t, acc in pairs(runs) do
              outRuns[#outRuns + 1] = t
              outRuns[#outRuns + 1] = acc[1]
              outRuns[#outRuns + 1] = acc[2]
              outRuns[#outRuns + 1] = acc[3]
            end
            for q in pairs(queues) do outQueues[#outQueues + 1] = q end
            table.sort(failures, function(a, b) return a[3] > b[3] end)
            for i = 1, math.min(#failures, tonumber(ARGV[6])) do
              for j = 1, 4 do outFailures[#outFailures + 1] = failures[i][j] end
            end
            return {step[1], outCounts, outRuns, outQueues, outFailures}
            """;

    /** Summarises the tasks created in the {@code window} up to now. */
    public Summary summarise(Duration window, int failuresListed) {
        Instant to = Instant.now();
        Instant from = to.minus(window);
        Map<String, Map<TaskStatus, Integer>> byType = new TreeMap<>();
        Map<String, long[]> runTimes = new TreeMap<>(); // type -> {runs, total ms, max ms}
        List<Failure> failures = new ArrayList<>();
        TreeSet<String> queues = new TreeSet<>(List.of(Amqp.DEFAULT_QUEUE));
        int tasks = 0;
        int failed = 0;
        String cursor = "0";
        do {
            // A batch job on a possibly busy Redis: each step may wait longer than a request would.
            Response step;
            try {
                step = redis.execute("EVAL", SCAN_STEP, "0", cursor, RedisKeys.task("*"), "1000",
                        Long.toString(from.getEpochSecond()), Long.toString(to.getEpochSecond() + 1),
                        Integer.toString(failuresListed)).await().atMost(STEP_TIMEOUT);
            } catch (TimeoutException e) {
                throw new IllegalStateException("Redis did not answer a step of the summary (SCAN cursor " + cursor
                        + ") within " + STEP_TIMEOUT.toSeconds() + " s", e);
            }
            cursor = step.get(0).toString();
            Response counts = step.get(1);
            for (int i = 0; i + 2 < counts.size(); i += 3) {
                TaskStatus status;
                try {
                    status = TaskStatus.valueOf(counts.get(i + 1).toString());
                } catch (IllegalArgumentException e) {
                    continue; // a status this worker does not know (a newer one): not counted
                }
                int n = counts.get(i + 2).toInteger();
                byType.computeIfAbsent(counts.get(i).toString(), t -> new TreeMap<>()).merge(status, n, Integer::sum);
                tasks += n;
                if (status == TaskStatus.FAILURE) {
                    failed += n;
                }
            }
            Response runs = step.get(2);
            for (int i = 0; i + 3 < runs.size(); i += 4) {
                long[] acc = runTimes.computeIfAbsent(runs.get(i).toString(), t -> new long[3]);
                acc[0] += runs.get(i + 1).toLong();
                acc[1] += runs.get(i + 2).toLong();
                acc[2] = Math.max(acc[2], runs.get(i + 3).toLong());
            }
            step.get(3).forEach(q -> queues.add(q.toString()));
            Response failing = step.get(4);
            for (int i = 0; i + 3 < failing.size(); i += 4) {
                failures.add(new Failure(failing.get(i).toString(), failing.get(i + 1).toString(),
                        Instant.parse(failing.get(i + 2).toString()), errorText(failing.get(i + 3).toString())));
            }
        } while (!"0".equals(cursor));
        failures.sort(Comparator.comparing(Failure::at).reversed());
        List<Slowness> slowest = runTimes.entrySet().stream()
                .map(e -> new Slowness(e.getKey(), (int) e.getValue()[0], e.getValue()[1] / e.getValue()[0], e.getValue()[2]))
                .sorted(Comparator.comparingLong(Slowness::averageMillis).reversed()).limit(5).toList();
        return new Summary(from, to, tasks, byType, failed,
                List.copyOf(failures.subList(0, Math.min(failuresListed, failures.size()))), slowest, depths(queues));
    }

    private String errorText(String json) {
        if (json == null || json.isEmpty()) {
            return null;
        }
        try {
            JsonNode error = mapper.readTree(json);
            return error.path("type").asText("") + ": " + error.path("message").asText("");
        } catch (IOException e) {
            return json;
        }
    }

    /** Messages waiting in each queue, as RabbitMQ reports them; -1 for a queue it does not know. */
    private Map<String, Integer> depths(TreeSet<String> queues) {
        Map<String, Integer> depths = new TreeMap<>();
        for (String queue : queues) {
            depths.put(queue, -1);
        }
        try {
            for (QueueInspector.QueueState state : inspector.inspect(List.copyOf(queues)).await().atMost(DEPTHS_WAIT)) {
                depths.put(state.name(), (int) state.depth());
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException("RabbitMQ is unreachable for the queue depths: " + e.getMessage(), e);
        }
        return depths;
    }
}
