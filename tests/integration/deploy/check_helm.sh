#!/usr/bin/env bash
# helm lint and helm template of the chart with default and HA values, and
# the service configs it renders checked key by key against the config protos.
# Exit 77 (ctest SKIP) when helm cannot be fetched (scripts/fetch-helm.sh).
set -euo pipefail
src=$1
if ! helm=$("$src/scripts/fetch-helm.sh"); then
  echo "SKIP: helm cannot be fetched (offline? no npm?): chart not linted"
  exit 77
fi
chart=$src/helm/tradeplane
"$helm" lint --strict "$chart"
"$helm" lint --strict "$chart" -f "$chart/values-ha.yaml"
"$helm" template tp "$chart" >/dev/null
"$helm" template tp "$chart" -f "$chart/values-ha.yaml" >/dev/null
/usr/bin/python3 "$(dirname "$0")/check_config_keys.py" "$src" --helm "$helm"
