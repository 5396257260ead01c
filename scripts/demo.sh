#!/usr/bin/env bash
# The demo: the whole suite, as separate processes, on the bundled real data.
#   scripts/demo.sh [--hold] [--speed N] [--out DIR]     (make demo runs it)
# The orchestration is scripts/demo/main.py; see docs/tutorial/demo.md.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 scripts/demo/main.py "$@"
