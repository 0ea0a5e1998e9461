#!/usr/bin/env bash
# The synchronous call, one task at a time: `add` with POST /api/tasks?wait=PT30S (the result in
# the answer, driven by the task's final event), beside the same done by polling (POST, then GET
# until SUCCESS). After a warm-up of BENCH_WAIT_WARMUP (1000) calls each, BENCH_RUNS runs of
# BENCH_ROUNDTRIPS (1000) calls each: median, p99, and the CPU of api-service and the client.
# BENCH_WAIT_MODES ("wait poll") picks the modes: "poll" alone measures a build without ?wait=.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROUNDTRIPS="${BENCH_ROUNDTRIPS:-1000}" WARMUP="${BENCH_WAIT_WARMUP:-1000}" MODES="${BENCH_WAIT_MODES:-wait poll}"
API_PID="$(service_pid api-service)"
: >"$OUT/wait.results"

for mode in $MODES; do
  say "$mode: warm-up ($WARMUP calls)"
  "${CLIENT[@]}" WaitLoad "$mode" "$API_URL" "$WARMUP" >/dev/null
  for ((i = 1; i <= RUNS; i++)); do
    load="$(loadavg)"
    api_before="$(cpu_seconds "$API_PID")"
    result="$(timed "${CLIENT[@]}" WaitLoad "$mode" "$API_URL" "$ROUNDTRIPS")"
    echo "run=$i load=${load// /,} $result api_cpu_s=$(echo "$(cpu_seconds "$API_PID") - $api_before" | bc) client_cpu_s=$(cat "$OUT/last.cpu")" \
      | tee -a "$OUT/wait.results"
  done
done

for mode in $MODES; do
  for key in p50_ms p99_ms reads_per_task api_cpu_s client_cpu_s; do
    echo "mode=$mode median $key=$(grep " mode=$mode " "$OUT/wait.results" | while read -r l; do field "$key" "$l"; done | median)"
  done
done
