#!/usr/bin/env bash
# Offline validation of the Hotpot Helm chart and the manifests rendered from it.
#
#   helm/test/run.sh
#
# Installs helm and the node packages into .hotpot/tools/ when missing, then:
#   0. every value in values.yaml has a "# --" comment (values-docs.mjs)
#   1. helm lint --strict with every helm/hotpot/ci/*-values.yaml
#   2. helm template with each, and every rendered object validated against the
#      Kubernetes schemas, unknown fields included (validate.mjs)
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

for values in "$chart"/ci/*-values.yaml; do
    name="$(basename "$values" -values.yaml)"
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
    else
        fail "template ci/$name" "$work/template-$name.log"
    fi
done

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
