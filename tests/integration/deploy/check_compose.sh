#!/usr/bin/env bash
# docker-compose.yml is valid (no engine needed) and its service configs match
# the config protos key by key. (Prometheus' and Grafana's files are checked
# by check_prometheus.sh and check_monitoring.py.)
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
