#!/usr/bin/env bash
# Tasks end to end: `add` submitted over REST until every one is SUCCESS (learned from the task
# events in Redis, not by polling), with the one worker ./hotpot up started and then with a
# second worker replica; and one task at a time. BENCH_RUNS times each, after a warm-up.
#   BENCH_TASKS (10000) tasks per throughput run, BENCH_CONCURRENCY (64) requests in flight,
#   BENCH_ROUNDTRIPS (1000) sequential tasks per round-trip run.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
TASKS="${BENCH_TASKS:-10000}" CONCURRENCY="${BENCH_CONCURRENCY:-64}" ROUNDTRIPS="${BENCH_ROUNDTRIPS:-1000}"
API_PID="$(service_pid api-service)"
WORKER_PID="$(service_pid worker-service)"
RABBIT_PID="$(pgrep -o beam.smp || echo)"
REDIS_PID="$(pgrep -o redis-server || echo)"
LOAD=("${CLIENT[@]}" TaskLoad)
: >"$OUT/tasks.results"

cpu_of() { # pids... -> "api=… worker=… …" CPU seconds so far
  local out="" name pid
  for pair in "$@"; do
    name="${pair%%:*}" pid="${pair#*:}"
    [ -n "$pid" ] && [ -d "/proc/$pid" ] && out+="$name=$(cpu_seconds "$pid") "
  done
  echo "$out"
}

delta() { # before after -> key=after-before for each key
  local out="" kv k
  for kv in $2; do
    k="${kv%%=*}"
    out+="${k}_cpu_s=$(echo "$(field "$k" "$2") - $(field "$k" "$1")" | bc) "
  done
  echo "$out"
}

throughput_runs() { # label pids...
  local label="$1"; shift
  say "$label: warm-up"
  "${LOAD[@]}" throughput "$API_URL" "$REDIS_HOST" "$REDIS_PORT" "$((TASKS / 2))" "$CONCURRENCY" >/dev/null
  for ((i = 1; i <= RUNS; i++)); do
    local load before after result
    load="$(loadavg)"
    before="$(cpu_of "$@")"
    result="$(timed "${LOAD[@]}" throughput "$API_URL" "$REDIS_HOST" "$REDIS_PORT" "$TASKS" "$CONCURRENCY")"
    after="$(cpu_of "$@")"
    echo "mode=$label run=$i load=${load// /,} $result client_cpu_s=$(cat "$OUT/last.cpu") $(delta "$before" "$after")" \
      | tee -a "$OUT/tasks.results"
  done
}

PIDS=("api:$API_PID" "worker:$WORKER_PID" "rabbitmq:$RABBIT_PID" "redis:$REDIS_PID")
throughput_runs one-worker "${PIDS[@]}"

# A second worker replica on the same queue, as `helm upgrade --set worker.replicas=2` would add.
PORT2="$(free_port)"
say "starting a second worker on port $PORT2"
QUARKUS_HTTP_PORT="$PORT2" QUARKUS_HTTP_HOST=127.0.0.1 HOTPOT_WORKER_ID="bench-worker-2" \
  REDIS_HOST="$REDIS_HOST" REDIS_PORT="$REDIS_PORT" \
  RABBITMQ_PASSWORD="${RABBITMQ_PASSWORD:-guest}" "$JAVA" -Xmx512m -jar "$ROOT/worker-service/target/quarkus-app/quarkus-run.jar" >"$OUT/worker-2.log" 2>&1 &
WORKER2=$!
trap 'kill "$WORKER2" 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do curl -fsS "http://127.0.0.1:$PORT2/q/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS "http://127.0.0.1:$PORT2/q/health/ready" >/dev/null || die "the second worker did not start; see $OUT/worker-2.log"
throughput_runs two-workers "${PIDS[@]}" "worker2:$WORKER2"
kill "$WORKER2"; wait "$WORKER2" 2>/dev/null || true
trap - EXIT

say "one task at a time"
"${LOAD[@]}" roundtrip "$API_URL" "$REDIS_HOST" "$REDIS_PORT" 200 >/dev/null
for ((i = 1; i <= RUNS; i++)); do
  load="$(loadavg)"
  result="$(timed "${LOAD[@]}" roundtrip "$API_URL" "$REDIS_HOST" "$REDIS_PORT" "$ROUNDTRIPS")"
  echo "mode=roundtrip run=$i load=${load// /,} $result client_cpu_s=$(cat "$OUT/last.cpu")" | tee -a "$OUT/tasks.results"
done

for mode in one-worker two-workers roundtrip; do
  for key in tasks_per_s p50_ms p99_ms client_cpu_s api_cpu_s worker_cpu_s worker2_cpu_s rabbitmq_cpu_s redis_cpu_s; do
    values="$(grep "^mode=$mode " "$OUT/tasks.results" | while read -r l; do field "$key" "$l"; done)"
    [ -n "$values" ] && echo "$mode median $key=$(echo "$values" | median)"
  done
done
