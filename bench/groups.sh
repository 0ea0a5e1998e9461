#!/usr/bin/env bash
# Groups (issue 14): BENCH_TASKS (10000) `add` as one chord (POST /api/groups with a `sum` callback,
# awaited with ?wait=) from submission to the callback's result, beside the same number of separate
# submissions until every one is SUCCESS (TaskLoad, BENCH_CONCURRENCY requests in flight, as
# tasks.sh). BENCH_RUNS times each after a warm-up, against the suite ./hotpot up started (auth off).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
TASKS="${BENCH_TASKS:-10000}" CONCURRENCY="${BENCH_CONCURRENCY:-64}"
service_pid api-service >/dev/null
service_pid worker-service >/dev/null
service_pid scheduler-service >/dev/null
command -v curl >/dev/null || die "curl is missing"
BODY="$OUT/group-$TASKS.json"
{
  printf '{"tasks":['
  seq 1 "$TASKS" | sed 's/.*/{"type":"add","args":{"x":&,"y":0}}/' | paste -sd,
  printf '],"then":{"type":"sum"}}'
} >"$BODY"
EXPECTED=$((TASKS * (TASKS + 1) / 2))
: >"$OUT/groups.results"

one_group() { # -> seconds from POST to the callback's result
  local started answer ended
  started="$(date +%s.%N)"
  answer="$(curl -s -H 'Content-Type: application/json' --data-binary @"$BODY" "$API_URL/api/groups?wait=PT5M")"
  ended="$(date +%s.%N)"
  grep -q "\"sum\":$EXPECTED" <<<"$answer" || die "the callback did not answer the sum $EXPECTED: ${answer:0:300}…"
  echo "$ended - $started" | bc
}

say "warm-up: a group of $((TASKS / 2))"
BENCH_HALF="$OUT/group-half.json"
{
  printf '{"tasks":['
  seq 1 "$((TASKS / 2))" | sed 's/.*/{"type":"add","args":{"x":&,"y":0}}/' | paste -sd,
  printf '],"then":{"type":"sum"}}'
} >"$BENCH_HALF"
curl -s -o /dev/null -H 'Content-Type: application/json' --data-binary @"$BENCH_HALF" "$API_URL/api/groups?wait=PT5M"
"${CLIENT[@]}" TaskLoad throughput "$API_URL" "$REDIS_HOST" "$REDIS_PORT" "$((TASKS / 2))" "$CONCURRENCY" >/dev/null

for ((i = 1; i <= RUNS; i++)); do
  load="$(loadavg)"
  seconds="$(one_group)"
  separate="$("${CLIENT[@]}" TaskLoad throughput "$API_URL" "$REDIS_HOST" "$REDIS_PORT" "$TASKS" "$CONCURRENCY")"
  line="run=$i group_s=$seconds group_tasks_per_s=$(echo "$TASKS / $seconds" | bc) separate: $separate load=${load// /,}"
  say "$line"
  echo "$line" >>"$OUT/groups.results"
done
say "median group: $(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^group_s=/) print substr($i, 9) }' "$OUT/groups.results" | median) s for $TASKS tasks and the callback"
