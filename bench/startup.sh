#!/usr/bin/env bash
# Start-up: each service's packaged jar (target/quarkus-app) started alone, as ./hotpot up starts
# it (-Xmx512m, the prod profile, the local RabbitMQ and Redis), on a free port; the time from
# exec to the first 200 of /q/health/ready (polled every 20 ms), Quarkus's own "started in", and
# the process's RSS then. BENCH_RUNS (3) times each, median. Nothing of ./hotpot up may run on
# the same services' queues at the time (the worker uses a queue of its own).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SERVICES="${BENCH_SERVICES:-api-service worker-service chat-service scheduler-service}"
: >"$OUT/startup.results"
KEYS_DIR="$ROOT/dev/keys"
for service in $SERVICES; do
  jar="$ROOT/$service/target/quarkus-app/quarkus-run.jar"
  [ -f "$jar" ] || die "$jar is missing: mvn package -DskipTests first"
  # The class-data archive Quarkus writes beside the jar when packaged with AppCDS on, as ./hotpot up uses it.
  cds=()
  # (it records the class path as the jar's own relative path, so the jar is started from its directory).
  [ ! -f "$(dirname "$jar")/app-cds.jsa" ] || cds=(-XX:SharedArchiveFile=app-cds.jsa)
  [ ! -f "$(dirname "$jar")/app.aot" ] || cds=(-XX:AOTCache=app.aot)
  for ((i = 1; i <= RUNS; i++)); do
    port="$(free_port)"
    log="$OUT/startup-$service-$i.log"
    start=$(date +%s%N)
    env HOTPOT_AUTH_ENABLED=false HOTPOT_CHAT_ALLOW_ANONYMOUS=true RABBITMQ_PASSWORD=guest \
      MP_JWT_VERIFY_PUBLICKEY="$(cat "$KEYS_DIR/publicKey.pem")" HOTPOT_WORKER_QUEUE="bench-startup" \
      QUARKUS_LOG_CONSOLE_JSON_ENABLED=false QUARKUS_HTTP_PORT="$port" QUARKUS_HTTP_HOST=127.0.0.1 \
      bash -c 'cd "$1" && shift && exec "$@"' _ "$(dirname "$jar")" "$JAVA" -Xmx512m "${cds[@]}" -jar quarkus-run.jar >"$log" 2>&1 &
    pid=$!
    until curl -fsS -o /dev/null "http://127.0.0.1:$port/q/health/ready" 2>/dev/null; do
      kill -0 "$pid" 2>/dev/null || die "$service exited; see $log"
      sleep 0.02
    done
    ready_ms=$((($(date +%s%N) - start) / 1000000))
    rss="$(rss_mb "$pid")"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    started="$(grep -o 'started in [0-9.]*s' "$log" | grep -o '[0-9.]*' | head -1 || true)"
    line="service=$service run=$i cds=$([ ${#cds[@]} -gt 0 ] && echo on || echo off) load=$(loadavg | tr ' ' ',') ready_ms=$ready_ms quarkus_started_s=$started rss_mb=$rss"
    echo "$line" | tee -a "$OUT/startup.results"
  done
  for key in ready_ms quarkus_started_s rss_mb; do
    echo "$service median $key=$(grep "^service=$service " "$OUT/startup.results" | while read -r l; do field "$key" "$l"; done | median)"
  done
done
# The worker's run queue and its dead-letter queue go with the benchmark.
if [[ " $SERVICES " == *" worker-service "* ]] && command -v rabbitmqctl >/dev/null; then
  rabbitmqctl -q delete_queue hotpot.queue.bench-startup >/dev/null 2>&1 || true
  rabbitmqctl -q delete_queue hotpot.dead.bench-startup >/dev/null 2>&1 || true
fi
