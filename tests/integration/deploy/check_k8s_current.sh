#!/usr/bin/env bash
# k8s/ matches what scripts/render-k8s.sh renders from the chart.
set -euo pipefail
src=$1
if ! "$src/scripts/fetch-helm.sh" >/dev/null; then
  echo "SKIP: helm cannot be fetched"
  exit 77
fi
"$src/scripts/render-k8s.sh" --check
