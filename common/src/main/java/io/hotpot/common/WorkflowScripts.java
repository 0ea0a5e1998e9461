package io.hotpot.common;

/**
 * The Lua every script that makes a task final runs (the worker's outcome and start scripts,
 * api-service's revoke and withdrawal), {@link #ON_FINAL}, for groups and chains.
 * <p>
 * <b>Groups.</b> When the task is a member of a group, it counts it as finished, once
 * (a set of ids, so a redelivered or re-queued member is not counted twice), publishes a
 * {@link GroupEvent}, and the member that
 * finishes the group last schedules the chord's callback, in the same script as its own outcome:
 * exactly once, whichever worker finishes it and whatever crashed before (docs/decisions/0070).
 * <p>
 * The callback's message waits in the group with {@link GroupFields#resultsPlaceholder} for its
 * {@code results}; it is completed with every member's result in order ({@code null} for one that
 * did not succeed) and put in the due set, due now, for scheduler-service's leader to publish. With
 * {@link GroupFields#CHORD_ERROR_FAIL}, a member that did not succeed ends the callback
 * {@code REVOKED} with a {@code ChordError} instead.
 */
public final class WorkflowScripts {
    private WorkflowScripts() {
    }

    /**
     * Defines {@code hotpot_final(record, status, at)}: call it right after {@code record} became
     * {@code status} ({@code SUCCESS}, {@code FAILURE} or {@code REVOKED}); {@code at} is the ISO
     * time written as {@code finishedAt}. Prepend it to the script.
     */
    public static final String ON_FINAL;

    /**
     * What both parts do to another task: {@code hotpot_revoke_waiting(key, id, reason, at)} ends a
     * task that waits for its turn {@code REVOKED} with {@code reason} (an error's JSON) and publishes
     * its event; {@code hotpot_due_now(id, message)} puts a message in the due set, due now, for the
     * scheduler's leader to publish.
     */
    private static final String HELPERS = """
            local function hotpot_revoke_waiting(key, id, reason, at)
              redis.call('HSET', key, 'status', 'REVOKED', 'finishedAt', at, 'error', reason)
              redis.call('PUBLISH', '%1$s', '{"id":' .. cjson.encode(id) .. ',"type":'
                .. cjson.encode(redis.call('HGET', key, 'type')) .. ',"status":"REVOKED","attempts":0,"error":' .. reason
                .. ',"at":' .. cjson.encode(at) .. '}')
            end
            local function hotpot_due_now(id, message)
              local now = redis.call('TIME')
              redis.call('ZADD', '%2$s', tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000), id)
              redis.call('HSET', '%3$s', id, message)
            end
            """.formatted(RedisKeys.TASK_EVENTS_CHANNEL, RedisKeys.DUE, RedisKeys.DUE_MESSAGES);

    /**
     * {@code hotpot_member_final(record, status, at)}: the group's part. It also counts the member
     * by status and publishes a {@link GroupEvent} ({@value GroupEvent#FINISHED}).
     */
    private static final String MEMBER_FINAL = """
            local function hotpot_member_final(record, status, at)
              local group = redis.call('HGET', record, 'group')
              if not group then return end
              local gkey = '%1$sgroup:' .. group
              local total = redis.call('HGET', gkey, 'total')
              if not total then return end
              local id = redis.call('HGET', record, 'id')
              if redis.call('SADD', gkey .. ':finished', id) == 0 then return end
              local ttl = redis.call('TTL', gkey)
              if ttl > 0 then redis.call('EXPIRE', gkey .. ':finished', ttl) end
              redis.call('HINCRBY', gkey, '%5$s' .. status, 1)
              local finished = redis.call('SCARD', gkey .. ':finished')
              local c = redis.call('HMGET', gkey, '%5$sSUCCESS', '%5$sFAILURE', '%5$sREVOKED')
              redis.call('PUBLISH', '%2$s', '{"kind":"group","group":' .. cjson.encode(group) .. ',"event":"finished","task":'
                .. cjson.encode(id) .. ',"status":' .. cjson.encode(status) .. ',"total":' .. total .. ',"finished":' .. finished
                .. ',"counts":{"SUCCESS":' .. (c[1] or 0) .. ',"FAILURE":' .. (c[2] or 0) .. ',"REVOKED":' .. (c[3] or 0)
                .. '},"at":' .. cjson.encode(at) .. '}')
              if finished < tonumber(total) then return end
              local callback = redis.call('HGET', gkey, 'callback')
              if not callback or redis.call('HSETNX', gkey, 'fired', at) == 0 then return end
              local cbid = redis.call('HGET', gkey, 'callbackId')
              local cbkey = '%1$stask:' .. cbid
              if redis.call('HGET', cbkey, 'status') ~= 'SCHEDULED' then return end
              local parts, failed = {}, 0
              for i, id in ipairs(redis.call('LRANGE', gkey .. ':tasks', 0, -1)) do
                local f = redis.call('HMGET', '%1$stask:' .. id, 'status', 'result')
                if f[1] == 'SUCCESS' then parts[i] = f[2] or 'null' else parts[i] = 'null'; failed = failed + 1 end
              end
              if failed > 0 and redis.call('HGET', gkey, 'chordError') ~= 'continue' then
                local err = '{"type":"ChordError","message":' .. cjson.encode(failed .. ' of ' .. total
                  .. ' tasks of the group ' .. group .. ' did not succeed; the callback does not run (chordError fail)') .. '}'
                hotpot_revoke_waiting(cbkey, cbid, err, at)
                return
              end
              local placeholder = '"%3$s' .. cbid .. '%4$s"'
              local s, e = string.find(callback, placeholder, 1, true)
              hotpot_due_now(cbid, string.sub(callback, 1, s - 1) .. '[' .. table.concat(parts, ',') .. ']' .. string.sub(callback, e + 1))
            end
            """.formatted(RedisKeys.PREFIX, RedisKeys.TASK_EVENTS_CHANNEL, GroupFields.PLACEHOLDER_START,
            GroupFields.PLACEHOLDER_END, GroupFields.FINISHED_PREFIX);

    /**
     * {@code hotpot_chain_final(record, status, at)}: the chain's part. A task that succeeded puts the
     * next one's message ({@link TaskFields#CHAIN_NEXT}, with this result as its
     * {@code previousResult}) in the due set, due now, unless it is no longer waiting (revoked); one
     * that failed or was revoked revokes every later task of its chain still waiting
     * ({@link TaskFields#CHAIN_REST}), with the reason.
     */
    private static final String CHAIN_FINAL = """
            local function hotpot_chain_final(record, status, at)
              local rest = redis.call('HGET', record, 'chainRest')
              if not rest or rest == '' then return end
              local id = redis.call('HGET', record, 'id')
              if status == 'SUCCESS' then
                local nextid = string.match(rest, '%%S+')
                if redis.call('HGET', '%1$stask:' .. nextid, 'status') ~= 'SCHEDULED' then return end
                local nextmsg = redis.call('HGET', record, 'chainNext')
                hotpot_due_now(nextid, string.sub(nextmsg, 1, -2) .. ',"previousResult":'
                  .. (redis.call('HGET', record, 'result') or 'null') .. '}')
                return
              end
              local reason = '{"type":"ChainBroken","message":' .. cjson.encode('the task before it in its chain, ' .. id
                .. ', ended ' .. status .. '; not run') .. '}'
              for later in string.gmatch(rest, '%%S+') do
                local key = '%1$stask:' .. later
                if redis.call('HGET', key, 'status') == 'SCHEDULED' then
                  hotpot_revoke_waiting(key, later, reason, at)
                end
              end
            end
            """.formatted(RedisKeys.PREFIX);

    static {
        ON_FINAL = HELPERS + MEMBER_FINAL + CHAIN_FINAL + """
                local function hotpot_final(record, status, at)
                  hotpot_member_final(record, status, at)
                  hotpot_chain_final(record, status, at)
                end
                """;
    }
}
