#!/usr/bin/env bash
# Chat: one sender and N receivers in a fresh room, N = 100 and 1,000 (BENCH_CHAT_CLIENTS), the
# sender paced so that the room would get BENCH_CHAT_DELIVERIES (100,000) deliveries per second
# for BENCH_CHAT_SECONDS (5) s: deliveries/s achieved, latency p50/p99 (send time carried in the
# text, measured by the receivers in the same process), messages lost; then BENCH_CHAT_IDLE
# (10,000) idle connections over BENCH_CHAT_IDLE_ROOMS (100) rooms: chat-service's VmRSS and heap
# per connection (BENCH_CHAT_IDLE=0 skips it). BENCH_RUNS (3) times each, after a warm-up. The
# load client's CPU is reported. Receivers wait 5 s after joining before the first message
# (-Dchatload.settleMs), so that the presence frames of the joins are not in the figures; the
# storm runs (below) measure them. BENCH_CHAT_DEFLATE=1 makes the client offer permessage-deflate
# as browsers do (chat-service declines it: docs/decisions/0012).
# The suite must run with chat limits raised, e.g.
#   HOTPOT_CHAT_MAX_CONNECTIONS=20000 HOTPOT_CHAT_RATE_PER_SECOND=100000 HOTPOT_CHAT_RATE_BURST=100000 ./hotpot up
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CHAT_PORT="${HOTPOT_CHAT_PORT:-8082}"
CLIENTS="${BENCH_CHAT_CLIENTS:-100 1000}"
DELIVERIES="${BENCH_CHAT_DELIVERIES:-100000}"
SECONDS_EACH="${BENCH_CHAT_SECONDS:-5}"
IDLE="${BENCH_CHAT_IDLE:-10000}"
IDLE_ROOMS="${BENCH_CHAT_IDLE_ROOMS:-100}"
CHAT_PID="$(service_pid chat-service)"
[ "${BENCH_CHAT_DEFLATE:-0}" = 0 ] || CLIENT=("${CLIENT[0]}" -Dchatload.deflate=true "${CLIENT[@]:1}")
# One descriptor per connection in the client (the JVM raises its soft limit to the hard one).
ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" -gt $((IDLE + 1000)) ] || say "warning: ulimit -n is $(ulimit -n); $IDLE connections may not fit"
: >"$OUT/chat.results"

say "warm-up: 100 clients, 2,000 messages"
"${CLIENT[@]}" ChatLoad fanout 127.0.0.1 "$CHAT_PORT" 100 2000 1000 "$CHAT_PID" >/dev/null

for n in $CLIENTS; do
  rate=$((DELIVERIES / n)) messages=$((DELIVERIES / n * SECONDS_EACH))
  for ((i = 1; i <= RUNS; i++)); do
    load="$(loadavg)"
    wait_before="$(runq_wait_seconds "$CHAT_PID")"
    result="$(timed "${CLIENT[@]}" ChatLoad fanout 127.0.0.1 "$CHAT_PORT" "$n" "$messages" "$rate" "$CHAT_PID")"
    line="mode=fanout run=$i load=${load// /,} $result chat_runq_wait_s=$(echo "$(runq_wait_seconds "$CHAT_PID") - $wait_before" | bc) client_cpu_s=$(cat "$OUT/last.cpu")"
    echo "$line" | tee -a "$OUT/chat.results"
    sleep 2
  done
  for key in deliveries_per_s p50_ms p99_ms lost client_send_cpu_s chat_send_cpu_s client_cpu_s; do
    echo "clients=$n median $key=$(grep "^mode=fanout .* clients=$n " "$OUT/chat.results" | while read -r l; do field "$key" "$l"; done | median)"
  done
done

# A join storm: BENCH_CHAT_STORM (1,000) members join a room at once while a sender sends 100
# messages/s to it for 10 s; the latency of a member in the room throughout, and the presence
# frames all members received (BENCH_CHAT_STORM=0 skips it).
STORM="${BENCH_CHAT_STORM:-1000}"
if [ "$STORM" -gt 0 ]; then
  for ((i = 1; i <= RUNS; i++)); do
    load="$(loadavg)"
    result="$(timed "${CLIENT[@]}" ChatLoad storm 127.0.0.1 "$CHAT_PORT" "$STORM" 10 100 "$CHAT_PID")"
    line="mode=storm run=$i load=${load// /,} $result client_total_cpu_s=$(cat "$OUT/last.cpu")"
    echo "$line" | tee -a "$OUT/chat.results"
    sleep 5 # let the closed connections leave
  done
  for key in p50_ms p99_ms max_ms watcher_lost presence_frames joined_s chat_cpu_s; do
    echo "storm median $key=$(grep '^mode=storm ' "$OUT/chat.results" | while read -r l; do field "$key" "$l"; done | median)"
  done
fi

[ "$IDLE" -gt 0 ] || exit 0
for ((i = 1; i <= RUNS; i++)); do
  load="$(loadavg)"
  result="$(timed "${CLIENT[@]}" ChatLoad idle 127.0.0.1 "$CHAT_PORT" "$IDLE" "$IDLE_ROOMS" 10 "$CHAT_PID")"
  line="mode=idle run=$i load=${load// /,} $result client_total_cpu_s=$(cat "$OUT/last.cpu")"
  echo "$line" | tee -a "$OUT/chat.results"
  sleep 5 # let the closed connections leave
done
for key in rss_per_conn_kb heap_per_conn_kb connected; do
  echo "idle median $key=$(grep '^mode=idle ' "$OUT/chat.results" | while read -r l; do field "$key" "$l"; done | median)"
done
