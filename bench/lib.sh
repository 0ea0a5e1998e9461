# Shared by the bench/*.sh scripts: where the suite is, how to read CPU and memory, medians.
# The suite is the one `./hotpot up` started; its ports come from the same variables.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
export JAVA_HOME="${JAVA_HOME_HOTPOT:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
API_PORT="${HOTPOT_API_PORT:-8081}"
WORKER_PORT="${HOTPOT_WORKER_PORT:-8083}"
API_URL="http://127.0.0.1:$API_PORT"
REDIS_HOST="${REDIS_HOST:-127.0.0.1}"
REDIS_PORT="${REDIS_PORT:-6379}"
RUNS="${BENCH_RUNS:-3}"
OUT="${BENCH_OUT:-$ROOT/.hotpot/bench}"
mkdir -p "$OUT"
CLK_TCK="$(getconf CLK_TCK)"

say() { printf '\033[1m[bench]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[bench]\033[0m %s\n' "$*" >&2; exit 1; }

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

service_pid() { # service
  local file="$ROOT/.hotpot/run/$1.pid"
  [ -f "$file" ] && kill -0 "$(cat "$file")" 2>/dev/null || die "$1 is not running: start the suite with ./hotpot up"
  cat "$file"
}

# CPU seconds (user + system) a process has used so far.
cpu_seconds() { # pid
  awk -v tck="$CLK_TCK" '{ print ($14 + $15) / tck }' "/proc/$1/stat"
}

# Seconds the process's threads have spent runnable but waiting for a CPU (run-queue wait, summed
# over its threads from /proc/PID/task/*/schedstat): the time other processes took from it.
runq_wait_seconds() { # pid
  cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $2 } END { printf "%.2f\n", s / 1e9 }'
}

rss_mb() { # pid
  awk '/VmRSS/ { printf "%.0f\n", $2 / 1024 }' "/proc/$1/status"
}

# The load clients, compiled once (running them from source would bill the compiler to the client's CPU).
CLASSES="$OUT/classes"
if [ ! -f "$CLASSES/TaskLoad.class" ] || [ -n "$(find "$BENCH" -name '*.java' -newer "$CLASSES/TaskLoad.class")" ]; then
  mkdir -p "$CLASSES"
  "$JAVA_HOME/bin/javac" -d "$CLASSES" "$BENCH"/*.java
fi
CLIENT=("$JAVA" -cp "$CLASSES")

free_port() {
  "${CLIENT[@]}" FreePort
}

# Median of the numbers on stdin, one a line.
median() {
  sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "NaN"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# The value of key=value in a line of results.
field() { # key line
  tr ' ' '\n' <<<"$2" | awk -F= -v k="$1" '$1 == k { print $2 }'
}

# Runs a command under /usr/bin/time; its CPU (user+sys seconds) lands in $OUT/last.cpu.
timed() {
  /usr/bin/time -f '%U %S' -o "$OUT/last.time" "$@"
  awk '{ print $1 + $2 }' "$OUT/last.time" >"$OUT/last.cpu"
}

# Debian's nginx as a reference server: its own config, pid file and temp paths under $OUT/NAME,
# on a free port (NGINX_PORT), one worker per core, stopped when the script exits; NGINX_DIR is
# its folder, NGINX_MASTER the master's pid.
#   start_nginx NAME MAIN_DIRECTIVES WORKER_CONNECTIONS LISTEN_OPTIONS SERVER_DIRECTIVES
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
start_nginx() {
  [ -x "$NGINX" ] || die "nginx is missing: apt-get install -y nginx"
  NGINX_DIR="$OUT/$1"
  mkdir -p "$NGINX_DIR/tmp"
  NGINX_PORT="$(free_port)"
  cat >"$NGINX_DIR/nginx.conf" <<CONF
$2
worker_processes auto;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/error.log warn;
events { worker_connections $3; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $NGINX_DIR/tmp/body; proxy_temp_path $NGINX_DIR/tmp/proxy; fastcgi_temp_path $NGINX_DIR/tmp/fastcgi;
  uwsgi_temp_path $NGINX_DIR/tmp/uwsgi; scgi_temp_path $NGINX_DIR/tmp/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT$4;
    $5
  }
}
CONF
  "$NGINX" -c "$NGINX_DIR/nginx.conf" -e "$NGINX_DIR/error.log"
  trap 'kill "$(cat "$NGINX_DIR/nginx.pid")" 2>/dev/null || true' EXIT
  sleep 0.5
  NGINX_MASTER="$(cat "$NGINX_DIR/nginx.pid")"
}
