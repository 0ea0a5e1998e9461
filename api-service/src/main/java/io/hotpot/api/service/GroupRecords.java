package io.hotpot.api.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hotpot.api.config.ApiConfig;
import io.hotpot.common.GroupEvent;
import io.hotpot.common.GroupFields;
import io.hotpot.common.RedisKeys;
import io.hotpot.common.TaskError;
import io.hotpot.common.TaskEvent;
import io.hotpot.common.TaskFields;
import io.hotpot.common.TaskMessage;
import io.hotpot.common.TaskStatus;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * Groups in Redis ({@link RedisKeys#group}, {@link RedisKeys#groupTasks}): their commit, which
 * records every member at once, their abandonment, and reading them back with their members.
 * Every member key is in Hotpot's hash slot (docs/decisions/0034), so the scripts may name them.
 */
@ApplicationScoped
@Startup // made at start: its first use may be on a publish's timeout thread, where a config mapping cannot be injected
public class GroupRecords {
    /**
     * Records a group and all its members in one step, unless a worker gave the group up first.
     * KEYS: group, group tasks, recent index, due set, due messages, recent groups. ARGV: group id,
     * created (ISO), created epoch ms, group ttl, channel, index cap, total, task key prefix, tombstone
     * prefix, tombstone ttl; the chord's callback: id ('' for none), record fields JSON, event, message
     * JSON (its results a placeholder), chordError; the group's event, the recent groups' cap; then
     * per member: id, due epoch ms ('' at once),
     * message JSON ('' at once), event, record ttl, fields JSON. Returns the group's state after.
     * The callback's record waits as {@code SCHEDULED} until the last member schedules it
     * ({@code WorkflowScripts}).
     */
    private static final String COMMIT = """
            local state = redis.call('HGET', KEYS[1], 'state')
            if state then return state end
            redis.call('HSET', KEYS[1], 'id', ARGV[1], 'state', 'committed', 'total', ARGV[7], 'createdAt', ARGV[2])
            redis.call('EXPIRE', KEYS[1], ARGV[4])
            if ARGV[11] ~= '' then
              local key = ARGV[8] .. ARGV[11]
              local flat = {}
              for k, v in pairs(cjson.decode(ARGV[12])) do
                flat[#flat + 1] = k
                flat[#flat + 1] = v
              end
              redis.call('HSET', key, unpack(flat))
              redis.call('HSET', key, 'status', 'SCHEDULED', 'attempts', '0')
              redis.call('EXPIRE', key, ARGV[4])
              redis.call('SET', ARGV[9] .. ARGV[11], '1', 'EX', ARGV[10])
              redis.call('ZADD', KEYS[3], ARGV[3], ARGV[11])
              redis.call('PUBLISH', ARGV[5], ARGV[13])
              redis.call('HSET', KEYS[1], 'callbackId', ARGV[11], 'callback', ARGV[14], 'chordError', ARGV[15])
            end
            local i = 18
            while i <= #ARGV do
              local id = ARGV[i]
              local key = ARGV[8] .. id
              local flat = {}
              for k, v in pairs(cjson.decode(ARGV[i + 5])) do
                flat[#flat + 1] = k
                flat[#flat + 1] = v
              end
              redis.call('HSET', key, unpack(flat))
              if ARGV[i + 1] ~= '' then
                redis.call('HSET', key, 'status', 'SCHEDULED', 'attempts', '0')
                redis.call('ZADD', KEYS[4], ARGV[i + 1], id)
                redis.call('HSET', KEYS[5], id, ARGV[i + 2])
              else
                redis.call('HSETNX', key, 'status', 'PENDING')
                redis.call('HSETNX', key, 'attempts', '0')
              end
              redis.call('EXPIRE', key, ARGV[i + 4])
              redis.call('SET', ARGV[9] .. id, '1', 'EX', ARGV[10])
              redis.call('ZADD', KEYS[3], ARGV[3], id)
              redis.call('RPUSH', KEYS[2], id)
              redis.call('PUBLISH', ARGV[5], ARGV[i + 3])
              i = i + 6
            end
            redis.call('EXPIRE', KEYS[2], ARGV[4])
            redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -1 - tonumber(ARGV[6]))
            redis.call('ZADD', KEYS[6], ARGV[3], ARGV[1])
            redis.call('ZREMRANGEBYRANK', KEYS[6], 0, -1 - tonumber(ARGV[17]))
            redis.call('PUBLISH', ARGV[5], ARGV[16])
            return 'committed'
            """;

    /** KEYS[1] group. ARGV[1] ttl. Marks a group not yet recorded abandoned; returns its state after. */
    private static final String ABANDON = """
            local state = redis.call('HGET', KEYS[1], 'state')
            if state then return state end
            redis.call('HSET', KEYS[1], 'state', 'abandoned')
            redis.call('EXPIRE', KEYS[1], ARGV[1])
            return 'abandoned'
            """;

    /**
     * KEYS: group, group tasks. ARGV[1] task key prefix. Returns {} when there is no committed group,
     * else {created, total, chordError, the callback's id, type, status, result, error ('' each
     * without one), then per member: id, type, status, result, error}, '' where absent.
     */
    private static final String VIEW = """
            if redis.call('HGET', KEYS[1], 'state') ~= 'committed' then return {} end
            local out = {redis.call('HGET', KEYS[1], 'createdAt'), redis.call('HGET', KEYS[1], 'total'),
              redis.call('HGET', KEYS[1], 'chordError') or ''}
            local cb = redis.call('HGET', KEYS[1], 'callbackId')
            if cb then
              local f = redis.call('HMGET', ARGV[1] .. cb, 'type', 'status', 'result', 'error')
              for _, v in ipairs({cb, f[1] or '', f[2] or '', f[3] or '', f[4] or ''}) do out[#out + 1] = v end
            else
              for _ = 1, 5 do out[#out + 1] = '' end
            end
            for _, id in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
              local f = redis.call('HMGET', ARGV[1] .. id, 'type', 'status', 'result', 'error')
              out[#out + 1] = id
              out[#out + 1] = f[1] or ''
              out[#out + 1] = f[2] or ''
              out[#out + 1] = f[3] or ''
              out[#out + 1] = f[4] or ''
            end
            return out
            """;

    /**
     * KEYS: group, its finished set. 1 when every member is final (counted by the final-status
     * hook, {@code WorkflowScripts}) or the group is gone, else 0.
     */
    private static final String ALL_FINISHED = """
            local total = redis.call('HGET', KEYS[1], 'total')
            if not total then return 1 end
            if redis.call('SCARD', KEYS[2]) >= tonumber(total) then return 1 end
            return 0
            """;

    /**
     * KEYS[1] recent groups. ARGV: how many, group key prefix, task key prefix, the finished counters'
     * prefix. The newest committed groups, per group: id, created, total, finished, the SUCCESS,
     * FAILURE and REVOKED counters, the callback's id, type and status ('' without one).
     */
    private static final String RECENT = """
            local out = {}
            for _, id in ipairs(redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)) do
              local g = ARGV[2] .. id
              local p = ARGV[4]
              local f = redis.call('HMGET', g, 'state', 'createdAt', 'total', 'callbackId', p .. 'SUCCESS', p .. 'FAILURE',
                p .. 'REVOKED')
              if f[1] == 'committed' then
                local cb = {'', ''}
                if f[4] then
                  local c = redis.call('HMGET', ARGV[3] .. f[4], 'type', 'status')
                  cb = {c[1] or '', c[2] or ''}
                end
                for _, v in ipairs({id, f[2] or '', f[3] or '0', tostring(redis.call('SCARD', g .. ':finished')),
                    f[5] or '0', f[6] or '0', f[7] or '0', f[4] or '', cb[1], cb[2]}) do
                  out[#out + 1] = v
                end
              end
            end
            return out
            """;

    private final ReactiveRedisDataSource redis;
    private final TaskRecords records;
    private final ObjectMapper mapper;
    private final Duration ttl;
    private final Duration tombstoneTtl;

    public GroupRecords(ReactiveRedisDataSource redis, TaskRecords records, ObjectMapper mapper, ApiConfig config) {
        this.redis = redis;
        this.records = records;
        this.mapper = mapper;
        this.ttl = config.tasks().resultTtl();
        this.tombstoneTtl = config.tasks().tombstoneTtl();
    }

    /** One member to record: its message, and when it is due ({@code null}: queued now). */
    public record Member(TaskMessage message, Instant due) {
    }

    /**
     * A chord's callback: its message as recorded (its own arguments) and as it will be sent (with
     * the results placeholder), and whether a failed member keeps it from running.
     */
    public record Callback(TaskMessage recorded, TaskMessage sent, String chordError) {
    }

    /**
     * Records the group and every member: those queued as {@code PENDING}, the delayed ones as
     * {@code SCHEDULED} in the due set. The answer is the group's state after:
     * {@value GroupFields#COMMITTED}, or {@value GroupFields#ABANDONED} when a worker had given
     * it up already (then nothing was recorded).
     */
    public Uni<String> commit(String groupId, Instant createdAt, List<Member> members, Callback callback) {
        Instant now = Instant.now();
        Duration longest = Duration.ZERO;
        List<String> args = new ArrayList<>();
        for (Member member : members) {
            TaskMessage task = member.message();
            Duration untilDue = member.due() == null ? Duration.ZERO : Duration.between(now, member.due());
            if (untilDue.isNegative()) {
                untilDue = Duration.ZERO;
            }
            longest = untilDue.compareTo(longest) > 0 ? untilDue : longest;
            TaskStatus status = member.due() == null ? TaskStatus.PENDING : TaskStatus.SCHEDULED;
            args.addAll(List.of(task.id(), member.due() == null ? "" : Long.toString(member.due().toEpochMilli()),
                    member.due() == null ? "" : json(task),
                    json(new TaskEvent(task.id(), task.type(), status, 0, null, null, null, task.createdAt())),
                    Long.toString(ttl.plus(untilDue).toSeconds()), json(fields(task))));
        }
        List<String> command = new ArrayList<>(List.of(COMMIT, "6", RedisKeys.group(groupId), RedisKeys.groupTasks(groupId),
                RedisKeys.RECENT_TASKS, RedisKeys.DUE, RedisKeys.DUE_MESSAGES, RedisKeys.RECENT_GROUPS, groupId, createdAt.toString(),
                Long.toString(createdAt.toEpochMilli()), Long.toString(ttl.plus(longest).toSeconds()),
                RedisKeys.TASK_EVENTS_CHANNEL, Integer.toString(RedisKeys.RECENT_TASKS_CAP), Integer.toString(members.size()),
                RedisKeys.task(""), RedisKeys.tombstone(""), Long.toString(ttl.plus(longest).plus(tombstoneTtl).toSeconds())));
        if (callback == null) {
            command.addAll(List.of("", "", "", "", ""));
        } else {
            TaskMessage recorded = callback.recorded();
            command.addAll(List.of(recorded.id(), json(fields(recorded)), json(new TaskEvent(recorded.id(), recorded.type(),
                    TaskStatus.SCHEDULED, 0, null, null, null, recorded.createdAt())), json(callback.sent()),
                    callback.chordError()));
        }
        command.add(json(GroupEvent.created(groupId, members.size(), callback == null ? null : callback.recorded().id(),
                createdAt)));
        command.add(Integer.toString(RedisKeys.RECENT_GROUPS_CAP));
        command.addAll(args);
        return redis.execute("EVAL", command.toArray(String[]::new)).map(Response::toString);
    }

    /** Gives up a group not recorded yet, so its members never run; the answer is its state after. */
    public Uni<String> abandon(String groupId) {
        return redis.execute("EVAL", ABANDON, "1", RedisKeys.group(groupId), Long.toString(ttl.toSeconds()))
                .map(Response::toString);
    }

    /** A committed group with its members, in order; {@code null} when there is none (or it was abandoned). */
    public Uni<GroupView> find(String groupId) {
        return redis.execute("EVAL", VIEW, "2", RedisKeys.group(groupId), RedisKeys.groupTasks(groupId), RedisKeys.task(""))
                .map(reply -> reply.size() == 0 ? null : view(groupId, reply));
    }

    /** The newest groups, newest first, at most {@code limit}; those expired are left out. */
    public Uni<List<GroupSummary>> recent(int limit) {
        return redis.execute("EVAL", RECENT, "1", RedisKeys.RECENT_GROUPS, Integer.toString(limit), RedisKeys.group(""),
                RedisKeys.task(""), GroupFields.FINISHED_PREFIX).map(reply -> {
                    List<GroupSummary> groups = new ArrayList<>();
                    for (int i = 0; i + 9 < reply.size(); i += 10) {
                        Map<TaskStatus, Long> counts = new LinkedHashMap<>();
                        counts.put(TaskStatus.SUCCESS, reply.get(i + 4).toLong());
                        counts.put(TaskStatus.FAILURE, reply.get(i + 5).toLong());
                        counts.put(TaskStatus.REVOKED, reply.get(i + 6).toLong());
                        String callbackId = reply.get(i + 7).toString();
                        String callbackStatus = reply.get(i + 9).toString();
                        GroupView.Member then = callbackId.isEmpty() ? null : new GroupView.Member(callbackId,
                                blankToNull(reply.get(i + 8).toString()),
                                callbackStatus.isEmpty() ? null : TaskStatus.valueOf(callbackStatus), null, null);
                        groups.add(GroupSummary.of(reply.get(i).toString(), Instant.parse(reply.get(i + 1).toString()),
                                reply.get(i + 2).toInteger(), reply.get(i + 3).toInteger(), counts, then));
                    }
                    return groups;
                });
    }

    /** Whether every member is final, or the group is gone (expired, never committed). */
    public Uni<Boolean> allFinished(String groupId) {
        return redis.execute("EVAL", ALL_FINISHED, "2", RedisKeys.group(groupId), RedisKeys.groupFinished(groupId))
                .map(reply -> reply.toInteger() == 1);
    }

    private GroupView view(String groupId, Response reply) {
        List<GroupView.Member> members = new ArrayList<>();
        Map<TaskStatus, Long> counts = new LinkedHashMap<>();
        for (int i = 8; i + 4 < reply.size(); i += 5) {
            GroupView.Member member = member(reply, i);
            if (member.status() != null) {
                counts.merge(member.status(), 1L, Long::sum);
            }
            members.add(member);
        }
        GroupView.Member callback = reply.get(3).toString().isEmpty() ? null : member(reply, 3);
        return GroupView.of(groupId, Instant.parse(reply.get(0).toString()), Integer.parseInt(reply.get(1).toString()),
                counts, members, callback, blankToNull(reply.get(2).toString()));
    }

    /** The five values from {@code i}: id, type, status, result, error. */
    private GroupView.Member member(Response reply, int i) {
        String status = reply.get(i + 2).toString();
        return new GroupView.Member(reply.get(i).toString(), blankToNull(reply.get(i + 1).toString()),
                status.isEmpty() ? null : TaskStatus.valueOf(status), tree(reply.get(i + 3).toString()),
                error(reply.get(i + 4).toString()));
    }

    private static String blankToNull(String text) {
        return text.isEmpty() ? null : text;
    }

    private JsonNode tree(String json) {
        if (json.isEmpty()) {
            return null;
        }
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable task result: " + e.getOriginalMessage(), e);
        }
    }

    private TaskError error(String json) {
        if (json.isEmpty()) {
            return null;
        }
        try {
            return mapper.readValue(json, TaskError.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable task error: " + e.getOriginalMessage(), e);
        }
    }

    /** A member's first record fields: a task's, as TaskRecords writes them, with its group. */
    private Map<String, String> fields(TaskMessage task) {
        List<String> pairs = records.fields(task);
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            fields.put(pairs.get(i), pairs.get(i + 1));
        }
        if (task.group() != null) {
            fields.put(TaskFields.GROUP, task.group());
        }
        return fields;
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
