#!/usr/bin/env bash
# What waiting for a Redis replica costs (redis.replica-acks, docs/decisions/0033): tasks end to end
# through an api-service and a worker of this script's own, on a Redis primary with one replica of
# its own (free ports, no persistence; never the shared Redis), RabbitMQ the shared one. The worker
# runs with REDIS_REPLICA_ACKS=0 and =1 in turn (a fresh worker each run), BENCH_RUNS pairs:
# throughput (BENCH_TASKS, 5000, with BENCH_CONCURRENCY, 64, in flight) and one task at a time
# (BENCH_ROUNDTRIPS, 500). Run it with nothing else running (no ./hotpot up, builds or tests).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
TASKS="${BENCH_TASKS:-5000}" CONCURRENCY="${BENCH_CONCURRENCY:-64}" ROUNDTRIPS="${BENCH_ROUNDTRIPS:-500}"
QUEUE="bench-acks-$$"
PRIMARY="$(free_port)" REPLICA="$(free_port)" API="$(free_port)" WORKER="$(free_port)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for q in "hotpot.queue.$QUEUE" "hotpot.urgent.$QUEUE" "hotpot.dead.$QUEUE"; do
    rabbitmqctl -q delete_queue "$q" >/dev/null 2>&1 || true
  done
}
trap cleanup EXIT

redis-server --port "$PRIMARY" --bind 127.0.0.1 --save "" --appendonly no >"$OUT/acks-primary.log" 2>&1 &
PIDS+=($!)
# The replica writes the primary's snapshot to its --dir when it syncs.
redis-server --port "$REPLICA" --bind 127.0.0.1 --save "" --appendonly no --dir "$OUT" --replicaof 127.0.0.1 "$PRIMARY" \
  >"$OUT/acks-replica.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do
  redis-cli -p "$REPLICA" info replication 2>/dev/null | grep -q master_link_status:up && break
  sleep 0.1
done
redis-cli -p "$REPLICA" info replication | grep -q master_link_status:up || die "the replica did not sync"

ready() { # port
  for _ in $(seq 1 150); do curl -fsS "http://127.0.0.1:$1/q/health/ready" >/dev/null 2>&1 && return 0; sleep 0.2; done
  return 1
}
ENV=(QUARKUS_HTTP_HOST=127.0.0.1 REDIS_PORT="$PRIMARY" RABBITMQ_USERNAME=guest RABBITMQ_PASSWORD="${RABBITMQ_PASSWORD:-guest}")
env "${ENV[@]}" QUARKUS_HTTP_PORT="$API" HOTPOT_AUTH_ENABLED=false \
  "$JAVA" -Xmx512m -jar "$ROOT/api-service/target/quarkus-app/quarkus-run.jar" >"$OUT/acks-api.log" 2>&1 &
PIDS+=($!)
ready "$API" || die "api-service did not start; see $OUT/acks-api.log"

start_worker() { # replica-acks
  env "${ENV[@]}" QUARKUS_HTTP_PORT="$WORKER" HOTPOT_WORKER_QUEUE="$QUEUE" HOTPOT_WORKER_ID="bench-acks-$1" \
    REDIS_REPLICA_ACKS="$1" "$JAVA" -Xmx512m -jar "$ROOT/worker-service/target/quarkus-app/quarkus-run.jar" \
    >"$OUT/acks-worker-$1.log" 2>&1 &
  WORKER_PID=$!
  ready "$WORKER" || die "the worker did not start; see $OUT/acks-worker-$1.log"
}
stop_worker() { kill "$WORKER_PID"; wait "$WORKER_PID" 2>/dev/null || true; }

LOAD=(env TASKLOAD_QUEUE="$QUEUE" "${CLIENT[@]}" TaskLoad)
: >"$OUT/acks.results"
for ((i = 1; i <= RUNS; i++)); do
  for acks in 0 1; do
    start_worker "$acks"
    "${LOAD[@]}" throughput "http://127.0.0.1:$API" 127.0.0.1 "$PRIMARY" "$((TASKS / 5))" "$CONCURRENCY" >/dev/null # warm-up
    load="$(loadavg)"
    worker_before="$(cpu_seconds "$WORKER_PID")"
    result="$("${LOAD[@]}" throughput "http://127.0.0.1:$API" 127.0.0.1 "$PRIMARY" "$TASKS" "$CONCURRENCY")"
    worker_cpu="$(echo "$(cpu_seconds "$WORKER_PID") - $worker_before" | bc)"
    echo "mode=acks-$acks run=$i load=${load// /,} $result worker_cpu_s=$worker_cpu" | tee -a "$OUT/acks.results"
    result="$("${LOAD[@]}" roundtrip "http://127.0.0.1:$API" 127.0.0.1 "$PRIMARY" "$ROUNDTRIPS")"
    echo "mode=roundtrip-acks-$acks run=$i $result" | tee -a "$OUT/acks.results"
    stop_worker
  done
done

for mode in acks-0 acks-1 roundtrip-acks-0 roundtrip-acks-1; do
  for key in tasks_per_s p50_ms p99_ms worker_cpu_s; do
    values="$(grep "^mode=$mode " "$OUT/acks.results" | while read -r l; do field "$key" "$l"; done)"
    [ -n "$values" ] && echo "$mode median $key=$(echo "$values" | median)"
  done
done
