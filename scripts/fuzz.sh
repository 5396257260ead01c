#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang, ASan + UBSan) and
# runs each for SECONDS (default 60) over a fresh copy of its seed corpus in
# fuzz/corpus/<name>/, with fuzz/<name>.dict when there is one.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     e.g. scripts/fuzz.sh 3 (make test)
#
# Fails, naming the input that crashed (and the log), when a target crashes,
# leaks, times out on one input or runs out of memory. Inputs found during
# the run are left in build/fuzz/fuzz-runs/<name>/corpus; to keep an
# interesting one as a seed, copy it into fuzz/corpus/<name>/.
# docs/reliability.md ("Fuzzing") says what each target covers.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
export CCACHE_NOHASHDIR=1
jobs=${JOBS:-$(nproc)}

if ! command -v clang++ >/dev/null 2>&1; then
  echo "fuzz: clang++ not found (scripts/bootstrap.sh installs clang and libclang-rt-14-dev)" >&2
  exit 1
fi

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target fuzzers -j "$jobs"

bin=build/fuzz/bin
runs=build/fuzz/fuzz-runs
if [[ $# -gt 0 ]]; then
  targets=("$@")
else
  targets=()
  for d in fuzz/corpus/*/; do targets+=("$(basename "$d")"); done
fi

failed=()
printf '%-20s %10s %10s %8s  %s\n' target execs exec/s cov result
for t in "${targets[@]}"; do
  exe="$bin/${t}_fuzzer"
  [[ -x "$exe" ]] || { echo "fuzz: no fuzzer $exe" >&2; exit 1; }
  work="$runs/$t"
  rm -rf "$work"
  mkdir -p "$work/corpus" "$work/artifacts"
  cp fuzz/corpus/"$t"/* "$work/corpus/"
  args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
        -artifact_prefix="$work/artifacts/")
  [[ -f "fuzz/$t.dict" ]] && args+=(-dict="fuzz/$t.dict")
  status=0
  "$exe" "${args[@]}" "$work/corpus" >"$work/log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log")
  cov=$({ grep -o 'cov: [0-9]*' "$work/log" || true; } | tail -1 | cut -d' ' -f2)
  crash=$(find "$work/artifacts" -type f | head -1)
  if [[ $status -ne 0 || -n "$crash" ]]; then
    printf '%-20s %10s %10s %8s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "FAILED"
    failed+=("$t: ${crash:-exit status $status} (log: $work/log)")
  else
    printf '%-20s %10s %10s %8s  %s\n' "$t" "$execs" "$rate" "$cov" ok
  fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz: ${#failed[@]} target(s) failed; reproduce with build/fuzz/bin/<target>_fuzzer <input>:" >&2
  printf '  %s\n' "${failed[@]}" >&2
  for f in "${failed[@]}"; do
    log=${f##*(log: }
    log=${log%)}
    grep -m3 -E 'ERROR|runtime error|violated|SUMMARY' "$log" | sed 's/^/    /' >&2 || true
  done
  exit 1
fi
echo "fuzz: ${#targets[@]} targets ran ${seconds}s each without a crash"
