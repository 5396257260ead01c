#!/usr/bin/env bash
# Runs every benchmark binary the release build produced and prints its figures.
# docs/benchmarks.md records the results and how to read them.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/release/bin
shopt -s nullglob
benches=("$bin"/*_bench)
if [[ ${#benches[@]} -eq 0 ]]; then
  echo "no benchmarks built in $bin" >&2
  exit 1
fi
for b in "${benches[@]}"; do
  echo "== $(basename "$b")"
  "$b" --benchmark_min_time=0.2
done
