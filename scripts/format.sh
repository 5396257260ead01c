#!/usr/bin/env bash
# Applies (apply) or checks (check) .clang-format on every tracked C++ and
# proto file. `check` exits non-zero and lists the files that differ.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-check}
mapfile -t files < <(git ls-files -- '*.cpp' '*.h' '*.proto' 2>/dev/null || true)
if [[ ${#files[@]} -eq 0 ]]; then
  mapfile -t files < <(find libs services tools tests bench proto -name '*.cpp' -o -name '*.h' -o -name '*.proto')
fi
case "$mode" in
  apply)
    clang-format -i "${files[@]}"
    ;;
  check)
    bad=()
    for f in "${files[@]}"; do
      [[ -f "$f" ]] || continue
      if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then bad+=("$f"); fi
    done
    if [[ ${#bad[@]} -gt 0 ]]; then
      echo "These files are not formatted (run 'make format'):" >&2
      printf '  %s\n' "${bad[@]}" >&2
      exit 1
    fi
    echo "format: ${#files[@]} files formatted"
    ;;
  *)
    echo "usage: scripts/format.sh apply|check" >&2
    exit 2
    ;;
esac
