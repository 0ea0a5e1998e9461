#!/usr/bin/env bash
# Offline validation of the Hotpot Helm chart and the manifests rendered from it.
#
#   helm/test/run.sh
#
# Installs helm and the node packages into .hotpot/tools/ when missing, then:
#   0. every value in values.yaml has a "# --" comment (values-docs.mjs)
#   1. helm lint --strict with every helm/hotpot/ci/*-values.yaml (ci/defaults: no values at
#      all) and the production example helm/hotpot/values-production.yaml
#   2. helm template with each, and every rendered object validated against the
#      Kubernetes schemas, unknown fields included (validate.mjs; HTTPRoute, ServiceMonitor and
#      PodMonitor against the Gateway API and Prometheus Operator schemas)
#   2a. the worker objects of each (and of k8s/manifests): one Deployment per entry of worker.queues
#      with HOTPOT_WORKER_QUEUE, selectors that never take another queue's pods, one KEDA ScaledObject
#      on that queue and one PDB per Deployment, Service/NetworkPolicy/monitors over all (workers.mjs)
#   2b. the credentials the chart generates: usable (a PKCS#8/SPKI RSA pair, API keys hashed
#      into api-keys), different in every install (no fixed secret), and kept by an upgrade:
#      `helm template --dry-run=server` against fake-apiserver.mjs, which answers Helm's
#      `lookup` with the Secret of a first render (secrets.mjs)
#   2c. routes: /q/ reachable through no Ingress or HTTPRoute of any scenario; the user's
#      ingress annotations win over the chart's; TLS on with a host (routes.mjs); then single
#      fields of rendered objects (routes.mjs get), e.g. the Redis Cluster settings of ci/redis-cluster
#   3. the validator itself refuses each manifest in invalid-manifests/
#   4. the chart refuses each values file in bad/ with the message its first
#      line expects ("# expect: ...")
#   4b. the Grafana dashboard is valid and queries only metrics the services define (dashboard.mjs)
#   5. k8s/manifests/ matches a fresh k8s/render.sh (no drift)
#   6. each service's Dockerfile.jvm/.native runs as uid 185 and exposes the chart's port
# One line per check; the last line is "N passed, M failed"; exit 1 if M > 0.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tools.sh
source "$here/tools.sh"
hotpot_tools

chart="$HOTPOT_ROOT/helm/hotpot"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() {
    failed=$((failed + 1)); echo "FAIL $1"
    if [ -n "${2:-}" ] && [ -s "$2" ]; then sed 's/^/     | /' "$2" | head -20; fi
}

# The first line of a negative test file: "# expect: <text the error must contain>".
expected() { sed -n '1s/^# expect: //p' "$1"; }

if node "$here/values-docs.mjs" "$chart/values.yaml" >"$work/docs.log" 2>&1; then
    pass "every value in values.yaml has a # -- comment"
else
    fail "values.yaml has values without a # -- comment" "$work/docs.log"
fi

for values in "$chart"/ci/*-values.yaml "$chart/values-production.yaml"; do
    name="$(basename "$values" -values.yaml)"
    name="${name%.yaml}"
    if "$HELM" lint --strict "$chart" -f "$values" >"$work/lint-$name.log" 2>&1; then
        pass "lint --strict ci/$name"
    else
        fail "lint --strict ci/$name" "$work/lint-$name.log"
    fi
    if "$HELM" template "hotpot-$name" "$chart" --namespace hotpot -f "$values" \
            >"$work/$name.yaml" 2>"$work/template-$name.log"; then
        pass "template ci/$name"
        if node "$here/validate.mjs" "$work/$name.yaml" >"$work/validate-$name.log" 2>&1; then
            pass "schemas ci/$name ($(tail -1 "$work/validate-$name.log" | cut -d, -f1))"
        else
            fail "schemas ci/$name" "$work/validate-$name.log"
        fi
        if node "$here/workers.mjs" "$chart/values.yaml" "$values" "$work/$name.yaml" >"$work/workers-$name.log" 2>&1; then
            pass "workers ci/$name: one Deployment, ScaledObject and PDB per queue ($(tail -1 "$work/workers-$name.log" | sed 's/, [0-9]* problems$//'))"
        else
            fail "workers ci/$name" "$work/workers-$name.log"
        fi
    else
        fail "template ci/$name" "$work/template-$name.log"
    fi
done

# --- generated credentials ------------------------------------------------------
# ci/defaults rendered above is a first install; a second render is another install.
defaults="$work/defaults.yaml"
if [ -s "$defaults" ]; then
    if node "$here/secrets.mjs" generated "$defaults" >"$work/gen.log" 2>&1; then
        pass "generated credentials: RSA pair (PKCS#8 private, its SPKI public; RS256 signs and verifies), admin and helm-test keys hashed into api-keys, broker passwords"
    else
        fail "generated credentials" "$work/gen.log"
    fi
    "$HELM" template hotpot-defaults "$chart" --namespace hotpot >"$work/defaults2.yaml" 2>"$work/t2.log"
    if node "$here/secrets.mjs" fresh "$defaults" "$work/defaults2.yaml" >"$work/fresh.log" 2>&1; then
        pass "two installs share no credential (the rendered defaults hold no fixed secret)"
    else
        fail "a credential is the same in two installs" "$work/fresh.log"
    fi

    # An upgrade: Helm's lookup against an API server that holds the first install's Secret.
    node "$here/secrets.mjs" extract "$defaults" hotpot-defaults hotpot "$work/secret.json"
    upgrade() { # PORT OUT [helm args...]
        local port=$1 out=$2
        shift 2
        printf 'apiVersion: v1\nkind: Config\nclusters: [{name: fake, cluster: {server: "http://127.0.0.1:%s"}}]\nusers: [{name: fake, user: {token: fake}}]\ncontexts: [{name: fake, context: {cluster: fake, user: fake}}]\ncurrent-context: fake\n' \
            "$port" >"$work/kubeconfig"
        "$HELM" template hotpot-defaults "$chart" --namespace hotpot --dry-run=server --disable-openapi-validation \
            --kubeconfig "$work/kubeconfig" "$@" >"$out" 2>>"$work/upgrade.log"
    }
    fake_start() { # PORTFILE LOG [SECRET.json]
        rm -f "$1"
        node "$here/fake-apiserver.mjs" "$1" "${@:3}" 2>"$2" &
        fake_pid=$!
        for _ in $(seq 1 50); do [ -s "$1" ] && return 0; sleep 0.1; done
        return 1
    }
    fake_stop() { kill "$fake_pid" 2>/dev/null || true; wait "$fake_pid" 2>/dev/null || true; }
    if fake_start "$work/port" "$work/api.log" "$work/secret.json"; then
        port="$(cat "$work/port")"
        if upgrade "$port" "$work/up.yaml" \
                && grep -q '^GET /api/v1/namespaces/hotpot/secrets/hotpot-defaults$' "$work/api.log" \
                && node "$here/secrets.mjs" kept "$defaults" "$work/up.yaml" >"$work/kept.log" 2>&1; then
            pass "upgrade keeps every generated credential (lookup answered by fake-apiserver.mjs) and the pods' checksum/secret"
        else
            cat "$work/upgrade.log" "$work/api.log" >>"$work/kept.log"
            fail "upgrade does not keep the generated credentials" "$work/kept.log"
        fi
        if upgrade "$port" "$work/up2.yaml" --set-string secrets.rabbitmqPassword=rotated-by-values \
                && node "$here/secrets.mjs" kept "$defaults" "$work/up2.yaml" rabbitmq-password=rotated-by-values >"$work/kept2.log" 2>&1; then
            pass "upgrade with secrets.rabbitmqPassword set takes that value and keeps the others"
        else
            fail "upgrade with secrets.rabbitmqPassword set" "$work/kept2.log"
        fi
        fake_stop
    else
        fail "fake-apiserver.mjs did not start"
    fi
    if fake_start "$work/port" "$work/api0.log" && upgrade "$(cat "$work/port")" "$work/up0.yaml" \
            && node "$here/secrets.mjs" fresh "$defaults" "$work/up0.yaml" >"$work/fresh0.log" 2>&1; then
        pass "with no Secret in the cluster (lookup finds none) the chart makes new credentials"
    else
        fail "render against an API server without the Secret" "$work/fresh0.log"
    fi
    fake_stop
fi

# --- routes ----------------------------------------------------------------------
rendered=()
for f in "$work"/*.yaml; do case "$f" in */up*.yaml|*/defaults2.yaml) ;; *) rendered+=("$f") ;; esac; done
if node "$here/routes.mjs" noq "${rendered[@]}" >"$work/noq.log" 2>&1; then
    pass "/q/ reachable through no Ingress or HTTPRoute of any scenario ($(tail -1 "$work/noq.log" | cut -d, -f1))"
else
    fail "/q/ is routed" "$work/noq.log"
fi
field() { node "$here/routes.mjs" get "$work/$1.yaml" "$2" "$3" "$4" 2>&1; }
expect_field() { # description scenario kind name path expected-json
    local got
    got="$(field "$2" "$3" "$4" "$5")"
    if [ "$got" = "$6" ]; then pass "$1"; else fail "$1: $5 of $3/$4 is $got, not $6"; fi
}
expect_field "user's ingress annotations win over the chart's (proxy-read-timeout)" tls-secret Ingress hotpot-tls-secret-chat \
    'metadata.annotations.[nginx.ingress.kubernetes.io/proxy-read-timeout]' '"7200"'
expect_field "user's ingress annotations win over the chart's (ssl-redirect)" tls-secret Ingress hotpot-tls-secret-api \
    'metadata.annotations.[nginx.ingress.kubernetes.io/ssl-redirect]' '"false"'
expect_field "chart's annotations stay where the user set none (proxy-send-timeout)" tls-secret Ingress hotpot-tls-secret-chat \
    'metadata.annotations.[nginx.ingress.kubernetes.io/proxy-send-timeout]' '"3600"'
expect_field "ingress class is a value (traefik)" tls-secret Ingress hotpot-tls-secret-api 'spec.ingressClassName' '"traefik"'
expect_field "TLS on by default with a host: the user's Secret" tls-secret Ingress hotpot-tls-secret-chat \
    'spec.tls' '[{"hosts":["hotpot.example.com"],"secretName":"hotpot-example-tls"}]'
expect_field "TLS with cert-manager: the Ingress uses the Certificate's Secret" tls Ingress hotpot-tls-chat \
    'spec.tls' '[{"hosts":["hotpot.example.com"],"secretName":"hotpot-tls-tls"}]'
expect_field "no host: no TLS (plain http and ws, NOTES says so)" defaults Ingress hotpot-defaults-api 'spec.tls' 'undefined'
expect_field "HTTPRoute: /ws/ to chat-service with the WebSocket timeout" gateway HTTPRoute hotpot-gateway \
    'spec.rules.0' '{"matches":[{"path":{"type":"PathPrefix","value":"/ws/"}}],"backendRefs":[{"name":"hotpot-gateway-chat","port":8082}],"timeouts":{"request":"1h"}}'
expect_field "HTTPRoute: the pages and /api to api-service" gateway HTTPRoute hotpot-gateway 'spec.rules.1.backendRefs' \
    '[{"name":"hotpot-gateway-api","port":8081}]'
expect_field "in-chart Redis never evicts and persists (noeviction, appendonly)" defaults StatefulSet hotpot-defaults-redis \
    'spec.template.spec.containers.0.args' \
    '["--port","6379","--dir","/data","--appendonly","yes","--appendfsync","everysec","--maxmemory","384mb","--maxmemory-policy","noeviction","--requirepass","$(REDIS_PASSWORD)"]'
expect_field "default images are the ones ./hotpot images builds (localhost/hotpot/<service>:<appVersion>)" defaults \
    Deployment hotpot-defaults-worker-default 'spec.template.spec.containers.0.image' '"localhost/hotpot/worker-service:0.1.0"'
# One worker Deployment per queue: <fullname>-worker-<queue> with '_' and '.' as '-', selected by hotpot.io/queue.
expect_field "worker Deployment per queue: '_' and '.' become '-' in its name, its selector holds the queue" queues \
    Deployment hotpot-queues-worker-reports-v2-daily 'spec.selector.matchLabels' \
    '{"app.kubernetes.io/name":"hotpot","app.kubernetes.io/instance":"hotpot-queues","app.kubernetes.io/component":"worker","hotpot.io/queue":"reports_v2.daily"}'
expect_field "worker.queueOverrides: the queue's own resources" queues \
    Deployment hotpot-queues-worker-reports-v2-daily 'spec.template.spec.containers.0.resources' \
    '{"limits":{"memory":"512Mi"},"requests":{"cpu":"100m","memory":"256Mi"}}'
expect_field "KEDA per queue: the ScaledObject scales that queue's Deployment, minReplicas from worker.queueOverrides" queues \
    ScaledObject hotpot-queues-worker-reports-v2-daily 'spec.minReplicaCount' '0'
expect_field "a 64-character queue: its Deployment name cut to a DNS label and ended by a hash of the queue" workers \
    Deployment hotpot-workers-worker-invoices-monthly-export-for-acco-b2157a06 \
    'spec.template.metadata.labels.[hotpot.io/queue]' '"invoices.monthly_export-for-accounting-in-a-name-of-64-characte"'
expect_field "worker Service selects all worker pods (no queue label)" queues Service hotpot-queues-worker 'spec.selector' \
    '{"app.kubernetes.io/name":"hotpot","app.kubernetes.io/instance":"hotpot-queues","app.kubernetes.io/component":"worker"}'
# Redis Cluster (ci/redis-cluster): each service gets the mode and the seed nodes; host, port and
# master name are not for a cluster.
redis_env() { field redis-cluster Deployment "hotpot-redis-cluster-$1" "spec.template.spec.containers.0.env.name=$2.value"; }
seeds='"redis-cluster-0.redis-cluster-headless.data.svc:6379,redis-cluster-1.redis-cluster-headless.data.svc:6379,redis-cluster-2.redis-cluster-headless.data.svc:6379"'
for component in api chat scheduler worker-default; do
    got="$(for name in REDIS_MODE REDIS_ADDRESSES REDIS_HOST REDIS_PORT REDIS_MASTER_NAME; do redis_env "$component" "$name"; done | paste -sd' ')"
    want="\"cluster\" $seeds undefined undefined undefined"
    if [ "$got" = "$want" ]; then
        pass "redis cluster: $component has REDIS_MODE=cluster and REDIS_ADDRESSES, no REDIS_HOST, REDIS_PORT or REDIS_MASTER_NAME"
    else
        fail "redis cluster: $component's REDIS_MODE REDIS_ADDRESSES REDIS_HOST REDIS_PORT REDIS_MASTER_NAME are $got, not $want"
    fi
done
expect_field "redis cluster: NetworkPolicy egress to the seed nodes' port (redis.port the same, once)" redis-cluster \
    NetworkPolicy hotpot-redis-cluster-api 'spec.egress.2' '{"ports":[{"port":6379,"protocol":"TCP"}]}'
"$HELM" template hotpot-redis-cluster "$chart" --namespace hotpot -f "$chart/ci/redis-cluster-values.yaml" \
    --set redis.port=7000 >"$work/redis-cluster-port.yaml" 2>&1 || true
expect_field "redis cluster: NetworkPolicy egress to redis.port (the port the nodes announce) and the seed nodes' port" \
    redis-cluster-port NetworkPolicy hotpot-redis-cluster-chat 'spec.egress.1' \
    '{"ports":[{"port":7000,"protocol":"TCP"},{"port":6379,"protocol":"TCP"}]}'
expect_field "redis sentinel: REDIS_MASTER_NAME stays" redis-sentinel Deployment hotpot-redis-sentinel-api \
    'spec.template.spec.containers.0.env.name=REDIS_MASTER_NAME.value' '"hotpot"'
# helm test's broker check speaks TLS as the services do: the same CA and client keys mounted where *_TLS_* point.
expect_field "helm test brokers pod: the Redis CA mounted with redis.tls" redis-sentinel Pod hotpot-redis-sentinel-test-brokers \
    'spec.volumes.1' '{"name":"redis-tls","secret":{"secretName":"redis-ca"}}'
expect_field "helm test brokers pod: the RabbitMQ CA and client key mounted with rabbitmq.tls" cluster Pod hotpot-cluster-test-brokers \
    'spec.containers.0.volumeMounts.1' '{"name":"rabbitmq-tls","mountPath":"/deployments/tls/rabbitmq","readOnly":true}'

for manifest in "$here"/invalid-manifests/*.yaml; do
    name="invalid-manifests/$(basename "$manifest")"
    want="$(expected "$manifest")"
    if node "$here/validate.mjs" "$manifest" >"$work/out.log" 2>&1; then
        fail "validator refuses $name (it accepted it)" "$work/out.log"
    elif grep -qF -- "$want" "$work/out.log"; then
        pass "validator refuses $name: $want"
    else
        fail "validator refuses $name, but without \"$want\"" "$work/out.log"
    fi
done

if node "$here/dashboard.mjs" "$chart/dashboards/hotpot.json" \
        "$HOTPOT_ROOT/common/src/main/java/io/hotpot/common/Telemetry.java" >"$work/dashboard.log" 2>&1; then
    pass "Grafana dashboard queries only defined metrics ($(tail -1 "$work/dashboard.log" | cut -d, -f1))"
else
    fail "Grafana dashboard" "$work/dashboard.log"
fi

for values in "$here"/bad/*.yaml; do
    name="bad/$(basename "$values")"
    want="$(expected "$values")"
    if "$HELM" template hotpot "$chart" -f "$values" >/dev/null 2>"$work/out.log"; then
        fail "chart refuses $name (it rendered)"
    elif grep -qF -- "$want" "$work/out.log"; then
        pass "chart refuses $name: $want"
    else
        fail "chart refuses $name, but without \"$want\"" "$work/out.log"
    fi
done

if "$HOTPOT_ROOT/k8s/render.sh" "$work/k8s" >"$work/render.log" 2>&1; then
    if diff -r "$HOTPOT_ROOT/k8s/manifests" "$work/k8s" >"$work/drift.log" 2>&1; then
        pass "k8s/manifests matches the chart"
    else
        fail "k8s/manifests drifted from the chart: run k8s/render.sh" "$work/drift.log"
    fi
    if node "$here/validate.mjs" $(find "$work/k8s" -name '*.yaml' | sort) >"$work/validate-k8s.log" 2>&1; then
        pass "schemas k8s/manifests ($(tail -1 "$work/validate-k8s.log" | cut -d, -f1))"
    else
        fail "schemas k8s/manifests" "$work/validate-k8s.log"
    fi
    if node "$here/workers.mjs" "$chart/values.yaml" "$HOTPOT_ROOT/k8s/values.yaml" $(find "$work/k8s" -name '*.yaml' | sort) \
            >"$work/workers-k8s.log" 2>&1; then
        pass "workers k8s/manifests ($(tail -1 "$work/workers-k8s.log" | sed 's/, [0-9]* problems$//'))"
    else
        fail "workers k8s/manifests" "$work/workers-k8s.log"
    fi
else
    fail "k8s/render.sh" "$work/render.log"
fi

# Dockerfiles cannot be built here (no container engine): check what the
# chart relies on, i.e. both exist, run as uid 185 and expose the chart's port.
for component in api chat worker scheduler; do
    port="$(sed -n "/^$component:/,/^[a-z]/s/^  port: *//p" "$chart/values.yaml")"
    for kind in jvm native; do
        file="$component-service/src/main/docker/Dockerfile.$kind"
        path="$HOTPOT_ROOT/$file"
        if [ -f "$path" ] && grep -q '^USER 185$' "$path" && grep -q "^EXPOSE $port\$" "$path" \
                && grep -q '^WORKDIR /deployments$' "$path"; then
            pass "$file (USER 185, EXPOSE $port, WORKDIR /deployments)"
        else
            fail "$file missing, or not USER 185 / EXPOSE $port / WORKDIR /deployments"
        fi
    done
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
