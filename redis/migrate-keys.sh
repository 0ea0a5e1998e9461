#!/usr/bin/env bash
# Renames Hotpot's Redis keys from their earlier names (hotpot:task:…) to the hash-tagged ones
# ({hotpot}:task:…) that this release uses, keeping each value and expiry (RENAMENX). Run it with
# every Hotpot service stopped (docs/deploy.md, "Upgrading to the {hotpot} key layout"); the
# services refuse to start while old keys are left (HOTPOT-REDIS-015). Running it twice is safe.
#
# Usage: redis/migrate-keys.sh [redis-cli options]
#   e.g. redis/migrate-keys.sh -h redis.data -p 6379 --user hotpot --tls --cacert ca.crt
#   The password comes from REDISCLI_AUTH, as redis-cli takes it (never on the command line).
# Needs redis-cli (Redis 6 or newer). For a single Redis or the primary of a Sentinel set-up;
# a Redis Cluster never held the old names.
set -euo pipefail

# One batch of SCAN, renamed in the same script: the keyspace is walked a thousand keys at a time,
# so Redis serves other clients between batches. A key whose new name exists already is left as it
# is and reported. Redis 7 replicates a script's effects, so SCAN inside it is allowed.
read -r -d '' batch <<'LUA' || true
local reply = redis.call('SCAN', ARGV[1], 'MATCH', 'hotpot:*', 'COUNT', 1000)
local renamed = 0
local kept = {}
for _, key in ipairs(reply[2]) do
  if redis.call('RENAMENX', key, '{hotpot}:' .. string.sub(key, 8)) == 1 then
    renamed = renamed + 1
  else
    table.insert(kept, key)
  end
end
return {reply[1], renamed, kept}
LUA

cursor=0
renamed=0
kept=0
while :; do
  mapfile -t reply < <(redis-cli "$@" EVAL "$batch" 0 "$cursor")
  if [[ ${#reply[@]} -lt 2 || ! ${reply[0]} =~ ^[0-9]+$ ]]; then
    echo "migrate-keys: Redis answered: ${reply[*]:-nothing}" >&2
    exit 1
  fi
  cursor=${reply[0]}
  renamed=$((renamed + reply[1]))
  for key in "${reply[@]:2}"; do
    # redis-cli prints an empty list of kept keys as an empty line.
    [[ -z $key ]] && continue
    echo "migrate-keys: kept $key: {hotpot}:${key#hotpot:} exists already (written by this release); delete one of them" >&2
    kept=$((kept + 1))
  done
  [[ $cursor == 0 ]] && break
done
echo "migrate-keys: renamed $renamed key(s) to {hotpot}:…; $kept left under their old names"
[[ $kept == 0 ]]
