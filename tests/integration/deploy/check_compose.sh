#!/usr/bin/env bash
# docker-compose.yml is valid (no engine needed), its service configs match
# the config protos key by key, and Prometheus' config is valid.
# Exit 77 (ctest SKIP) when docker-compose is not installed.
set -euo pipefail
src=$1
here=$(cd "$(dirname "$0")" && pwd)
cd "$src"
if command -v docker-compose >/dev/null 2>&1; then
  docker-compose -f docker-compose.yml config -q
  echo "docker-compose config: valid"
elif docker compose version >/dev/null 2>&1; then
  docker compose -f docker-compose.yml config -q
  echo "docker compose config: valid"
else
  echo "SKIP: neither docker-compose nor docker compose is installed"
  exit 77
fi
/usr/bin/python3 "$here/check_config_keys.py" "$src"
if command -v promtool >/dev/null 2>&1; then
  promtool check config deploy/compose/prometheus.yml
fi
/usr/bin/python3 -c 'import json, sys; [json.load(open(f)) for f in sys.argv[1:]]' deploy/compose/grafana/dashboards/*.json
