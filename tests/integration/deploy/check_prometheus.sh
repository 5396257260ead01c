#!/usr/bin/env bash
# Prometheus' files for docker-compose.yml (docker/prometheus) are what
# Prometheus itself accepts: the config with the rule files it names
# (promtool check config), the rules (promtool check rules), and the rules'
# unit tests (prometheus_rules_test.yml: the alerts fire on trouble, after
# their `for:`, and not on healthy series). Exit 77 (ctest SKIP) when promtool
# is not installed (Debian package prometheus).
set -euo pipefail
src=$1
here=$(cd "$(dirname "$0")" && pwd)
command -v promtool >/dev/null 2>&1 || { echo "SKIP: promtool is not installed (Debian package prometheus)"; exit 77; }
cd "$src"
promtool check config docker/prometheus/prometheus.yml
promtool check rules docker/prometheus/rules/*.rules.yml
promtool test rules "$here/prometheus_rules_test.yml"
