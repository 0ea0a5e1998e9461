#!/usr/bin/env bash
# Proves `./hotpot images --push` against a real registry on this machine: starts Debian's
# docker-registry (the CNCF distribution registry) on a free loopback port with its own storage,
# pushes the four images there with Jib, copies each back as a docker-archive with skopeo and runs
# images/check.py on it. Not part of ./hotpot test (a second image build, two more packages).
#
#   images/push-check.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
for tool in docker-registry skopeo; do
    command -v "$tool" >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$tool" >/dev/null
done
work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
printf 'version: 0.1\nlog: {level: warn}\nstorage: {filesystem: {rootdirectory: %s/data}}\nhttp: {addr: "127.0.0.1:%s"}\n' \
    "$work" "$port" >"$work/config.yml"
docker-registry serve "$work/config.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
trap 'kill "$registry_pid" 2>/dev/null || true; wait "$registry_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.2; done

registry="127.0.0.1:$port"
"$root/hotpot" images --push "$registry" --insecure
tag="$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$root/helm/hotpot/Chart.yaml")"
tars=()
for service in api-service chat-service worker-service scheduler-service; do
    skopeo copy -q --src-tls-verify=false "docker://$registry/hotpot/$service:$tag" \
        "docker-archive:$work/$service.tar:$registry/hotpot/$service:$tag"
    tars+=("$work/$service.tar")
done
HOTPOT_IMAGE_REGISTRY="$registry" python3 "$root/images/check.py" "${tars[@]}"
