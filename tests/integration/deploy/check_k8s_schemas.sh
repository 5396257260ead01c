#!/usr/bin/env bash
# The chart rendered with default values, HA values and every optional part
# on (TLS admin, tracing, ServiceMonitor, a Secret from files, gRPC probes),
# and k8s/, validated against the Kubernetes 1.27 schemas (kubernetes-models).
# Exit 77 (ctest SKIP) when helm or kubernetes-models cannot be fetched.
set -euo pipefail
src=$1
helm=$("$src/scripts/fetch-helm.sh") || { echo "SKIP: helm cannot be fetched"; exit 77; }
models=$("$src/scripts/fetch-helm.sh" --kubernetes-models) ||
  { echo "SKIP: kubernetes-models cannot be fetched"; exit 77; }
chart=$src/helm/tradeplane
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in admin-tokens operator.token approval.key keystore.passphrase execution.curve \
  reconciler.curve signer-clients; do
  echo "placeholder-$f" >"$tmp/$f"
done
printf 'public: %s\nsecret: %s\n' "$(printf 'P%.0s' {1..40})" "$(printf 'S%.0s' {1..40})" >"$tmp/signer.curve"
everything=(--set admin.tls.enabled=true --set admin.tls.secretName=tls --set tracing.enabled=true
  --set tracing.otlpEndpoint=collector:4318 --set metrics.serviceMonitor.enabled=true
  --set probes.mode=grpc --set secrets.existingSecret= --set postgresql.passwordSecret.name=pg)
for f in admin-tokens operator.token approval.key keystore.passphrase signer.curve execution.curve \
  reconciler.curve signer-clients; do
  everything+=(--set-file "secrets.files.${f//./\\.}=$tmp/$f")
done
status=0
run() {  # LABEL FILE
  echo "== $1"
  /usr/bin/python3 -c 'import json, sys, yaml; print(json.dumps([d for d in yaml.safe_load_all(open(sys.argv[1])) if d]))' "$2" |
    NODE_PATH=$models node "$(dirname "$0")/validate_k8s.js" || status=1
}
"$helm" template tp "$chart" >"$tmp/default.yaml"
"$helm" template tp "$chart" -f "$chart/values-ha.yaml" >"$tmp/ha.yaml"
"$helm" template tp "$chart" -f "$chart/values-ha.yaml" "${everything[@]}" >"$tmp/all.yaml"
grep -q 'signer.pub: UFBQUFBQ' "$tmp/all.yaml" || { echo "FAIL: signer.pub not derived from signer.curve"; status=1; }
run "chart, default values" "$tmp/default.yaml"
run "chart, HA values" "$tmp/ha.yaml"
run "chart, HA values and every option" "$tmp/all.yaml"
run "k8s/default" "$src/k8s/default/tradeplane.yaml"
run "k8s/ha" "$src/k8s/ha/tradeplane.yaml"
exit $status
