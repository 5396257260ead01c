#!/usr/bin/env bash
# Fetches what the OTLP receiver of the demo and the tests (scripts/otlp-receiver.js)
# needs into a cache outside the repository, once, and prints a node_modules
# directory to put in NODE_PATH:
#
#   scripts/fetch-otlp-receiver.sh     prints the node_modules directory
#
# There is no OpenTelemetry Collector or Jaeger in Debian. The npm package
# @opentelemetry/otlp-transformer@0.52.1 ships the upstream OTLP messages as a
# protobufjs module (build/src/generated/root.js), which decodes what a real
# collector decodes; it runs on Node 18 and later. Cache:
# ${XDG_CACHE_HOME:-~/.cache}/tradeplane (TRADEPLANE_TOOL_CACHE overrides).
# Exit 1, with the reason on standard error, when it cannot be fetched
# (offline, no npm, no node, a Node older than 18).
set -euo pipefail

PACKAGE=@opentelemetry/otlp-transformer@0.52.1
cache=${TRADEPLANE_TOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tradeplane}
dir=$cache/otlp-transformer-0.52.1
decoder=$dir/node_modules/@opentelemetry/otlp-transformer/build/src/generated/root.js

fail() {
  echo "fetch-otlp-receiver: $*" >&2
  exit 1
}

case "${1:-}" in
  "") ;;
  *)
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac

command -v node >/dev/null 2>&1 || fail "node is not installed"
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null) ||
  fail "node does not run here"
((node_major >= 18)) || fail "node $(node --version) is older than 18"

if [[ -f "$decoder" ]]; then
  echo "$dir/node_modules"
  exit 0
fi
command -v npm >/dev/null 2>&1 || fail "npm is not installed: cannot fetch $PACKAGE"
mkdir -p "$dir"
npm install --silent --no-audit --no-fund --prefix "$dir" "$PACKAGE" >/dev/null 2>"$dir/npm.err" ||
  fail "npm install $PACKAGE failed: $(tail -n 3 "$dir/npm.err")"
[[ -f "$decoder" ]] || fail "$PACKAGE has no build/src/generated/root.js"
echo "$dir/node_modules"
