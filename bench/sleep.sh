#!/usr/bin/env bash
# Concurrency: N concurrent GET /api/demo/sleep?seconds=5, each on its own connection, all sent
# at once, for N = 1,000 and 10,000 (BENCH_SLEEP_NS), BENCH_RUNS times each: wall time, errors,
# api-service's resident memory before and at its peak, the client's CPU.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
NS="${BENCH_SLEEP_NS:-1000 10000}"
API_PID="$(service_pid api-service)"
# The client needs a descriptor per connection (the JVM raises its own soft limit to the hard one).
ulimit -n "$(ulimit -Hn)"
: >"$OUT/sleep.results"
for n in $NS; do
  for ((i = 1; i <= RUNS; i++)); do
    load="$(loadavg)"
    rss_before="$(rss_mb "$API_PID")"
    peak_file="$OUT/sleep.peak"
    echo "$rss_before" >"$peak_file"
    ( while sleep 0.1; do rss_mb "$API_PID" >>"$peak_file"; done ) &
    sampler=$!
    api_cpu_before="$(cpu_seconds "$API_PID")" api_wait_before="$(runq_wait_seconds "$API_PID")"
    overflows_before="$(nstat -az TcpExtListenOverflows 2>/dev/null | awk '/ListenOverflows/ { print $2 }')"
    result="$(timed "${CLIENT[@]}" SleepLoad "$n" 127.0.0.1 "$API_PORT" '/api/demo/sleep?seconds=5')"
    kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
    line="n=$n run=$i load=${load// /,} $(echo "$result" | cut -d' ' -f2-) rss_before_mb=$rss_before rss_peak_mb=$(sort -n "$peak_file" | tail -1) api_cpu_s=$(echo "$(cpu_seconds "$API_PID") - $api_cpu_before" | bc) api_runq_wait_s=$(echo "$(runq_wait_seconds "$API_PID") - $api_wait_before" | bc) listen_overflows=$(( $(nstat -az TcpExtListenOverflows 2>/dev/null | awk '/ListenOverflows/ { print $2 }') - ${overflows_before:-0} )) client_cpu_s=$(cat "$OUT/last.cpu")"
    echo "$line" | tee -a "$OUT/sleep.results"
    sleep 2 # let closed connections drain
  done
  for key in wall_s errors rss_peak_mb api_cpu_s client_cpu_s; do
    echo "n=$n median $key=$(grep "^n=$n " "$OUT/sleep.results" | while read -r l; do field "$key" "$l"; done | median)"
  done
done
