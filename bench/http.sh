#!/usr/bin/env bash
# HTTP: wrk against api-service's /api/demo/hello and against Debian's nginx serving a static
# hello file, on this machine in the same run, alternating, BENCH_RUNS times each.
#   bench/http.sh            (suite started by ./hotpot up; needs wrk and nginx: apt-get install wrk nginx)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
command -v wrk >/dev/null || die "wrk is missing: apt-get install -y wrk"
THREADS="${WRK_THREADS:-2}" CONNECTIONS="${WRK_CONNECTIONS:-64}" DURATION="${WRK_DURATION:-10s}"
API_PID="$(service_pid api-service)"

# nginx serving the same text as a static file.
mkdir -p "$OUT/nginx/www"
printf 'Hello from Hotpot' >"$OUT/nginx/www/hello"
start_nginx nginx "" 4096 "" "location = /hello { root $OUT/nginx/www; default_type text/plain; }"
curl -fsS "http://127.0.0.1:$NGINX_PORT/hello" >/dev/null || die "nginx does not answer"
curl -fsS "$API_URL/api/demo/hello" >/dev/null || die "api-service does not answer at $API_URL"

run_wrk() { # name url -> "rps wrk_cpu_s server_cpu_s p99"
  local pid="$3" before after
  before="$(cpu_seconds "$pid")"
  timed wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$2" >"$OUT/wrk-$1.txt"
  after="$(cpu_seconds "$pid")"
  echo "$(awk '/Requests\/sec/ { print $2 }' "$OUT/wrk-$1.txt") $(cat "$OUT/last.cpu") $(echo "$after - $before" | bc) $(awk '$1 == "99%" { print $2 }' "$OUT/wrk-$1.txt")"
}

say "warming up api-service (JIT) for 5 s"
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s "$API_URL/api/demo/hello" >/dev/null
: >"$OUT/http.results"
for ((i = 1; i <= RUNS; i++)); do
  load="$(loadavg)"
  # nginx's CPU: its workers are children of the master; sum them.
  ng_before=0; for w in $(pgrep -P "$NGINX_MASTER"); do ng_before=$(echo "$ng_before + $(cpu_seconds "$w")" | bc); done
  read -r ng_rps ng_wrk_cpu _ ng_p99 < <(run_wrk nginx "http://127.0.0.1:$NGINX_PORT/hello" "$NGINX_MASTER")
  ng_after=0; for w in $(pgrep -P "$NGINX_MASTER"); do ng_after=$(echo "$ng_after + $(cpu_seconds "$w")" | bc); done
  read -r api_rps api_wrk_cpu api_cpu api_p99 < <(run_wrk hotpot "$API_URL/api/demo/hello" "$API_PID")
  line="run=$i load=${load// /,} nginx_rps=$ng_rps nginx_p99=$ng_p99 nginx_cpu_s=$(echo "$ng_after - $ng_before" | bc) nginx_wrk_cpu_s=$ng_wrk_cpu hotpot_rps=$api_rps hotpot_p99=$api_p99 hotpot_cpu_s=$api_cpu hotpot_wrk_cpu_s=$api_wrk_cpu"
  echo "$line" | tee -a "$OUT/http.results"
done
for key in nginx_rps hotpot_rps nginx_wrk_cpu_s hotpot_wrk_cpu_s; do
  echo "median $key=$(while read -r l; do field "$key" "$l"; done <"$OUT/http.results" | median)"
done
