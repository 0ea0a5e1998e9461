#!/usr/bin/env bash
# Where the time goes in the task path: JFR (jdk.ExecutionSample) recorded in api-service and
# worker-service while bench/tasks.sh's throughput load runs once, then summarised: the methods
# on top of the sampled stacks, and the share of samples that pass through each library.
#   bench/profile.sh         (suite started by ./hotpot up; BENCH_TASKS, BENCH_CONCURRENCY as for tasks.sh)
#   bench/profile.sh hello   api-service alone, under wrk on /api/demo/hello (as bench/http.sh)
#   bench/profile.sh sleep   api-service alone, during 10,000 concurrent /api/demo/sleep?seconds=5
#   bench/profile.sh chat    chat-service alone, during one sender to 1,000 clients at 100 msg/s (as bench/chat.sh)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
TASKS="${BENCH_TASKS:-10000}" CONCURRENCY="${BENCH_CONCURRENCY:-64}"
JCMD="$JAVA_HOME/bin/jcmd" JFR="$JAVA_HOME/bin/jfr"
MODE="${1:-tasks}"
if [ "$MODE" = hello ]; then
  declare -A PIDS=([api-service]="$(service_pid api-service)")
  load_run() { wrk -t2 -c64 -d10s "$API_URL/api/demo/hello" | awk '/Requests\/sec/ { print "rps=" $2 }'; }
elif [ "$MODE" = sleep ]; then
  declare -A PIDS=([api-service]="$(service_pid api-service)")
  ulimit -n "$(ulimit -Hn)"
  load_run() { "${CLIENT[@]}" SleepLoad 10000 127.0.0.1 "$API_PORT" '/api/demo/sleep?seconds=5'; }
elif [ "$MODE" = chat ]; then
  declare -A PIDS=([chat-service]="$(service_pid chat-service)")
  load_run() { "${CLIENT[@]}" ChatLoad fanout 127.0.0.1 "${HOTPOT_CHAT_PORT:-8082}" 1000 500 100 "${PIDS[chat-service]}"; }
else
  declare -A PIDS=([api-service]="$(service_pid api-service)" [worker-service]="$(service_pid worker-service)")
  load_run() { "${CLIENT[@]}" TaskLoad throughput "$API_URL" "$REDIS_HOST" "$REDIS_PORT" "$TASKS" "$CONCURRENCY"; }
  say "warm-up"
  "${CLIENT[@]}" TaskLoad throughput "$API_URL" "$REDIS_HOST" "$REDIS_PORT" "$((TASKS / 2))" "$CONCURRENCY" >/dev/null
fi
# The profile settings with Java method sampling every millisecond (instead of every 10 or 20).
"$JFR" configure --input profile method-profiling=max --output "$OUT/bench.jfc" >/dev/null
for service in "${!PIDS[@]}"; do
  "$JCMD" "${PIDS[$service]}" JFR.start name=bench settings="$OUT/bench.jfc" filename="$OUT/$service.jfr" >/dev/null
done
load="$(loadavg)"
result="$(load_run)"
for service in "${!PIDS[@]}"; do
  "$JCMD" "${PIDS[$service]}" JFR.stop name=bench >/dev/null
done
echo "load=${load// /,} $result"

summarise() { # service
  "$JFR" print --stack-depth 96 --events jdk.ExecutionSample "$OUT/$1.jfr" | awk -v service="$1" '
    BEGIN {
      n = split("com.fasterxml.jackson|JSON (Jackson);com.rabbitmq|RabbitMQ client;io.vertx.redis|Redis client (Vert.x);" \
        "org.jboss.resteasy.reactive|REST layer (Quarkus REST);io.vertx.core.http|HTTP server (Vert.x);" \
        "io.netty|Netty (all network I/O);sun.nio.ch|JDK sockets (NIO);io.smallrye.mutiny|Mutiny;" \
        "io.micrometer|Micrometer;io.quarkus.websockets|WebSockets Next;io.vertx.redis|Redis client;com.fasterxml.jackson.databind|Jackson databind;org.jboss.logmanager|Logging;io.hotpot|Hotpot code;" \
        "java.util.concurrent|java.util.concurrent (queues, futures, locks);jdk.internal.vm.Continuation|Virtual thread mounting", cats, ";")
      for (i = 1; i <= n; i++) { split(cats[i], kv, "|"); key[i] = kv[1]; label[i] = kv[2] }
    }
    /^jdk.ExecutionSample/ { samples++ }
    /stackTrace = \[/ { trace = 1; depth = 0; delete seen; next }
    trace && /^[[:space:]]*\]/ { trace = 0; next }
    trace && /line:/ {
      frame = $0; sub(/^[[:space:]]+/, "", frame); sub(/\(.*/, "", frame)
      depth++
      if (depth == 1) top[frame]++
      for (i = 1; i <= n; i++) if (!seen[i] && index(frame, key[i]) == 1) { seen[i] = 1; incl[i]++ }
    }
    END {
      printf "### %s: %d samples\n\nShare of samples whose stack passes through (overlapping):\n\n", service, samples
      for (i = 1; i <= n; i++) if (incl[i] > 0) printf "- %s: %.0f%%\n", label[i], 100 * incl[i] / samples
      printf "\nTop of stack (self time), the 15 most sampled methods:\n\n"
      cmd = "sort -t\"\t\" -k1,1nr | head -15"
      for (f in top) printf "%d\t%s\n", top[f], f | cmd
      close(cmd)
    }' | sed -E 's/^([0-9]+)\t(.*)$/- \1 samples: `\2`/'
  echo
}
# What each step of api-service's request path costs (hello mode): every sample is billed to the
# step nearest the top of its stack (each filter calls the next one, so an outer step's share is
# only its own work); samples in none of them are the HTTP server and Netty beneath the steps.
by_step() { # service
  "$JFR" print --stack-depth 96 --events jdk.ExecutionSample "$OUT/$1.jfr" | awk '
    BEGIN {
      n = split("io.hotpot.api.rest.CorrelationFilter|correlation id (CorrelationFilter);" \
        "io.hotpot.api.rest.BodySizeLimit|body size limit (BodySizeLimit);" \
        "io.hotpot.api.security.SecurityHeaders|security headers (SecurityHeaders);" \
        "io.hotpot.api.security.|access policy (AccessFilter, AccessControl, EndpointPolicy);" \
        "io.quarkus.vertx.http.runtime.cors|CORS (Quarkus CORSFilter);" \
        "io.quarkus.micrometer|metrics (Micrometer HTTP binder);io.micrometer|metrics (Micrometer HTTP binder);" \
        "io.quarkus.vertx.http.runtime.security|Quarkus HTTP security;" \
        "io.hotpot.api.rest.DemoResource|the endpoint (DemoResource.hello);" \
        "org.jboss.resteasy.reactive|REST layer (Quarkus REST);io.quarkus.resteasy.reactive|REST layer (Quarkus REST);" \
        "io.vertx.ext.web|routing (Vert.x Web)", steps, ";")
      for (i = 1; i <= n; i++) { split(steps[i], kv, "|"); key[i] = kv[1]; label[i] = kv[2] }
    }
    /^jdk.ExecutionSample/ { samples++ }
    /stackTrace = \[/ { trace = 1; billed = 0; next }
    trace && /^[[:space:]]*\]/ { if (!billed) bill["HTTP server, Netty and the JVM beneath the steps"]++; trace = 0; next }
    trace && /line:/ && !billed {
      frame = $0; sub(/^[[:space:]]+/, "", frame)
      for (i = 1; i <= n; i++) if (index(frame, key[i]) == 1) { bill[label[i]]++; billed = 1; break }
    }
    END {
      printf "Samples billed to the step nearest the top of the stack (%d samples):\n\n", samples
      cmd = "sort -t\"\t\" -k1,1nr"
      for (b in bill) printf "%.1f%%\t%s\n", 100 * bill[b] / samples, b | cmd
      close(cmd)
    }' | sed -E 's/^([0-9.]+%)\t(.*)$/- \1 \2/'
  echo
}
for service in "${!PIDS[@]}"; do
  summarise "$service"
  [ "$MODE" != hello ] || by_step "$service"
done | tee "$OUT/profile-$MODE.md"
