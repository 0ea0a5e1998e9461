#!/usr/bin/env bash
# Groups (issue 14): BENCH_TASKS (10000) `add` as one chord (POST /api/groups with a `sum` callback,
# awaited with ?wait=) from submission to the callback's result, beside the same number of separate
# submissions until every one is SUCCESS (TaskLoad, BENCH_CONCURRENCY requests in flight, as
# tasks.sh). BENCH_RUNS times each after a warm-up, against the suite ./hotpot up started (auth off).
# During each group, the slowest answer to GET /api/demo/hello (see probe below): the probe costs
# a curl every 50 ms, which the group's figure includes.
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

# Meanwhile the API's cheapest request, GET /api/demo/hello (answered on an event loop), every
# 50 ms on a new connection each time, so the requests spread over every event loop: the slowest
# answer is about the longest an event loop was held while the group was checked, published and run.
probe() { # flag file -> the slowest answer in seconds, and how many were asked
  while [ -f "$1" ]; do
    curl -s -o /dev/null -w '%{time_total}\n' "$API_URL/api/demo/hello"
    sleep 0.05
  done | sort -g | awk '{ last = $1 } END { print last, NR }'
}

one_group() { # body expected-sum -> seconds from POST to the callback's result; the probe's figures in $OUT/probe
  local started answer ended
  touch "$OUT/probe.on"
  probe "$OUT/probe.on" >"$OUT/probe" &
  started="$(date +%s.%N)"
  answer="$(curl -s -H 'Content-Type: application/json' --data-binary @"$1" "$API_URL/api/groups?wait=PT5M")"
  ended="$(date +%s.%N)"
  rm -f "$OUT/probe.on"
  wait
  grep -q "\"sum\":$2" <<<"$answer" || die "the callback did not answer the sum $2: ${answer:0:300}…"
  echo "$ended - $started" | bc
}

say "warm-up: a group of $((TASKS / 2))"
BENCH_HALF="$OUT/group-half.json"
{
  printf '{"tasks":['
  seq 1 "$((TASKS / 2))" | sed 's/.*/{"type":"add","args":{"x":&,"y":0}}/' | paste -sd,
  printf '],"then":{"type":"sum"}}'
} >"$BENCH_HALF"
# The first group since the suite started, when it just did: a cold JVM's figure.
seconds="$(one_group "$BENCH_HALF" "$(((TASKS / 2) * (TASKS / 2 + 1) / 2))")"
read -r slowest probes <"$OUT/probe"
say "warm-up: group_s=$seconds hello_slowest_s=$slowest hello_n=$probes"
"${CLIENT[@]}" TaskLoad throughput "$API_URL" "$REDIS_HOST" "$REDIS_PORT" "$((TASKS / 2))" "$CONCURRENCY" >/dev/null

for ((i = 1; i <= RUNS; i++)); do
  load="$(loadavg)"
  seconds="$(one_group "$BODY" "$EXPECTED")"
  separate="$("${CLIENT[@]}" TaskLoad throughput "$API_URL" "$REDIS_HOST" "$REDIS_PORT" "$TASKS" "$CONCURRENCY")"
  read -r slowest probes <"$OUT/probe"
  line="run=$i group_s=$seconds group_tasks_per_s=$(echo "$TASKS / $seconds" | bc) hello_slowest_s=$slowest hello_n=$probes separate: $separate load=${load// /,}"
  say "$line"
  echo "$line" >>"$OUT/groups.results"
done
say "median group: $(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^group_s=/) print substr($i, 9) }' "$OUT/groups.results" | median) s for $TASKS tasks and the callback"
say "median slowest hello during a group: $(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^hello_slowest_s=/) print substr($i, 17) }' "$OUT/groups.results" | median) s"
