#!/usr/bin/env bash
# Runs the images `./hotpot images` wrote the way a kind node gets and runs them: starts a
# containerd of its own (Debian's containerd and runc; own root, state and socket in a temporary
# folder, native snapshotter), imports each tarball as `kind load image-archive` does
# (ctr -n k8s.io images import --all-platforms --digests), runs it with runc on the host network
# with the brokers pointed at closed ports, and requires /q/health/started and /q/health/live to
# answer from a process of uid 185. Needs root. Not part of ./hotpot test (two more packages and a
# daemon); images/check.py is.
#
#   images/containerd-check.sh [target/images/*.tar]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ "$(id -u)" -eq 0 ] || { echo "containerd-check.sh needs root (containerd, runc)" >&2; exit 2; }
for tool in containerd runc; do
    command -v "$tool" >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends containerd >/dev/null
done
tars=("$@")
[ ${#tars[@]} -gt 0 ] || tars=("$root"/target/images/*hotpot-*-service-*.tar)

work="$(mktemp -d)"
cat >"$work/config.toml" <<TOML
version = 2
root = "$work/root"
state = "$work/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$work/containerd.sock"
TOML
containerd --config "$work/config.toml" >"$work/containerd.log" 2>&1 &
containerd_pid=$!
ctr() { command ctr -a "$work/containerd.sock" -n k8s.io "$@"; }
cleanup() {
    ctr tasks ls -q 2>/dev/null | while read -r t; do ctr tasks kill -s SIGKILL "$t" >/dev/null 2>&1 || true; done
    sleep 1
    ctr containers ls -q 2>/dev/null | while read -r c; do ctr containers rm "$c" >/dev/null 2>&1 || true; done
    kill "$containerd_pid" 2>/dev/null || true
    wait "$containerd_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 1 50); do [ -S "$work/containerd.sock" ] && ctr version >/dev/null 2>&1 && break; sleep 0.2; done

failed=0
for tar in "${tars[@]}"; do
    ref="$(ctr images import --all-platforms --digests --snapshotter=native "$tar" | sed -n 's/^unpacking \([^ ]*\) (.*/\1/p' | grep -v '^import-' | head -1)"
    [ -n "$ref" ] || { echo "FAIL $tar: containerd imported no named image"; failed=$((failed + 1)); continue; }
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    name="hotpot-check-$$-$port"
    ctr run -d --snapshotter native --net-host \
        --env QUARKUS_HTTP_PORT="$port" --env HOTPOT_AUTH_ENABLED=false --env HOTPOT_CHAT_ALLOW_ANONYMOUS=true \
        --env RABBITMQ_HOST=127.0.0.1 --env RABBITMQ_PORT=1 --env RABBITMQ_USERNAME=x --env RABBITMQ_PASSWORD=x \
        --env REDIS_HOST=127.0.0.1 --env REDIS_PORT=1 --env HOTPOT_WORKER_QUEUE="image-check-$$" \
        "$ref" "$name" >/dev/null
    ok=""
    for _ in $(seq 1 240); do
        if curl -fs "http://127.0.0.1:$port/q/health/started" >/dev/null && curl -fs "http://127.0.0.1:$port/q/health/live" >/dev/null; then
            ok=1
            break
        fi
        sleep 0.5
    done
    pid="$(ctr tasks ls | awk -v n="$name" '$1 == n {print $2}')"
    uid="$(ps -o uid= -p "$pid" 2>/dev/null | tr -d ' ')"
    if [ -n "$ok" ] && [ "$uid" = 185 ]; then
        echo "ok   $ref: imported as kind does, runs under runc as uid 185, answers /q/health/started and /q/health/live"
    else
        echo "FAIL $ref: started=${ok:-no} uid=${uid:-none}"
        failed=$((failed + 1))
    fi
    ctr tasks kill -s SIGTERM "$name" >/dev/null 2>&1 || true
    for _ in $(seq 1 60); do ctr tasks ls | awk '{print $1}' | grep -qx "$name" || break; sleep 0.5; done
    ctr tasks kill -s SIGKILL "$name" >/dev/null 2>&1 || true
    ctr tasks delete "$name" >/dev/null 2>&1 || true
    ctr containers rm "$name" >/dev/null 2>&1 || true
done
echo "${#tars[@]} images, $failed failed"
[ "$failed" -eq 0 ]
