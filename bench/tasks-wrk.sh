#!/usr/bin/env bash
# Task throughput end to end with a cheaper load generator: wrk (C) submits `add` tasks for
# WRK_DURATION over WRK_CONNECTIONS connections, then the script waits until the workers'
# hotpot_tasks_succeeded_total has grown by as many tasks as api-service's
# hotpot_tasks_submitted_total (scraped every 50 ms). tasks/s = tasks / (first POST to last
# SUCCESS). One worker, then two. Latency percentiles come from bench/tasks.sh (TaskLoad), which
# sees each task's SUCCESS event; this script measures only the rate.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
command -v wrk >/dev/null || die "wrk is missing: apt-get install -y wrk"
CONNECTIONS="${WRK_CONNECTIONS:-32}" DURATION="${WRK_DURATION:-10s}" WARMUP="${WRK_WARMUP:-10s}"
API_PID="$(service_pid api-service)"
WORKER_PID="$(service_pid worker-service)"
WORKER_PORTS=("$WORKER_PORT")
: >"$OUT/tasks-wrk.results"

sum_metric() { # url metric -> sum over its series
  curl -fsS "$1/q/metrics" | awk -v m="$2" 'index($0, m "{") == 1 { s += $NF } END { printf "%.0f\n", s }'
}
succeeded() {
  local total=0 port
  for port in "${WORKER_PORTS[@]}"; do total=$((total + $(sum_metric "http://127.0.0.1:$port" hotpot_tasks_succeeded_total))); done
  echo "$total"
}

runs() { # label pids...
  local label="$1"; shift
  say "$label: warm-up"
  wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" -s "$BENCH/submit.lua" "$API_URL/api/tasks" >/dev/null
  sleep 3
  for ((i = 1; i <= RUNS; i++)); do
    local load sub0 suc0 t0 t1 sub1 target cpu0 cpu1 pid n=0
    load="$(loadavg)"
    sub0="$(sum_metric "$API_URL" hotpot_tasks_submitted_total)"
    suc0="$(succeeded)"
    cpu0=""; for pid in "$@"; do cpu0+="$(cpu_seconds "$pid") "; done
    t0="$(date +%s.%N)"
    timed wrk -t1 -c"$CONNECTIONS" -d"$DURATION" -s "$BENCH/submit.lua" "$API_URL/api/tasks" >"$OUT/wrk-tasks.txt"
    sub1="$(sum_metric "$API_URL" hotpot_tasks_submitted_total)"
    target=$((suc0 + sub1 - sub0))
    until [ "$(succeeded)" -ge "$target" ] || [ "$n" -ge 2400 ]; do sleep 0.05; n=$((n + 1)); done
    t1="$(date +%s.%N)"
    cpu1=""; for pid in "$@"; do cpu1+="$(cpu_seconds "$pid") "; done
    local tasks=$((sub1 - sub0)) wall
    wall="$(echo "$t1 - $t0" | bc)"
    echo "mode=$label run=$i load=${load// /,} tasks=$tasks errors=$(awk '/Non-2xx/ { print $NF }' "$OUT/wrk-tasks.txt" | grep . || echo 0) wall_s=$wall tasks_per_s=$(echo "$tasks / $wall" | bc) submit_per_s=$(awk '/Requests\/sec/ { print $2 }' "$OUT/wrk-tasks.txt") wrk_cpu_s=$(cat "$OUT/last.cpu") service_cpu_s=$(paste -d- <(tr ' ' '\n' <<<"$cpu1") <(tr ' ' '\n' <<<"$cpu0") | grep -v '^-$' | bc | paste -sd,)" \
      | tee -a "$OUT/tasks-wrk.results"
  done
}

runs one-worker "$API_PID" "$WORKER_PID"
PORT2="$(free_port)"
say "starting a second worker on port $PORT2"
QUARKUS_HTTP_PORT="$PORT2" QUARKUS_HTTP_HOST=127.0.0.1 HOTPOT_WORKER_ID="bench-worker-2" QUARKUS_LOG_CONSOLE_JSON_ENABLED=false \
  RABBITMQ_PASSWORD="${RABBITMQ_PASSWORD:-guest}" "$JAVA" -Xmx512m -jar "$ROOT/worker-service/target/quarkus-app/quarkus-run.jar" >"$OUT/worker-2.log" 2>&1 &
WORKER2=$!
trap 'kill "$WORKER2" 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do curl -fsS "http://127.0.0.1:$PORT2/q/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
WORKER_PORTS+=("$PORT2")
runs two-workers "$API_PID" "$WORKER_PID" "$WORKER2"
echo "(service_cpu_s lists api, worker[, worker 2] in that order)"
for mode in one-worker two-workers; do
  for key in tasks_per_s submit_per_s wrk_cpu_s; do
    echo "$mode median $key=$(grep "^mode=$mode " "$OUT/tasks-wrk.results" | while read -r l; do field "$key" "$l"; done | median)"
  done
done
