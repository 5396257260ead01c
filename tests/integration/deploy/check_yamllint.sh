#!/usr/bin/env bash
# yamllint on the deployment YAML (not the Helm templates, which are not YAML
# before rendering). Exit 77 (ctest SKIP) when yamllint is not installed.
set -euo pipefail
src=$1
command -v yamllint >/dev/null 2>&1 || { echo "SKIP: yamllint is not installed"; exit 77; }
cd "$src"
yamllint -s -d '{extends: default, rules: {line-length: {max: 130}, document-start: disable,
  truthy: {check-keys: false}, comments: {min-spaces-from-content: 1},
  indentation: {indent-sequences: whatever}, braces: {max-spaces-inside: 1}, brackets: {max-spaces-inside: 1}}}' \
  docker-compose.yml deploy/compose docker/prometheus docker/grafana \
  helm/tradeplane/values.yaml helm/tradeplane/values-ha.yaml helm/tradeplane/Chart.yaml k8s
