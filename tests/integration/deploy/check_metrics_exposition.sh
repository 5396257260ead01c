#!/usr/bin/env bash
# A real service's /metrics passes Prometheus' own lint (promtool check
# metrics: naming, units, _total on counters, help texts), and every
# tradeplane_ family it exposes is one check_monitoring.py's extractor finds
# in the sources (so the name check of the rules and dashboards rests on the
# names the processes really serve). The service is the venue simulator: it
# starts with no database and no bus, on free ports.
#
#   check_metrics_exposition.sh SOURCE_DIR BIN_DIR
#
# Exit 77 (ctest SKIP) when promtool is not installed or the binary is not built.
set -euo pipefail
src=$1
bin=$2/tradeplane-venue-sim
here=$(cd "$(dirname "$0")" && pwd)
command -v promtool >/dev/null 2>&1 || { echo "SKIP: promtool is not installed (Debian package prometheus)"; exit 77; }
[ -x "$bin" ] || { echo "SKIP: $bin is not built"; exit 77; }

work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

read -r metrics rest ws control < <(/usr/bin/python3 - <<'PY'
import socket
socks = [socket.socket() for _ in range(4)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
PY
)
cat > "$work/venue-sim.yaml" <<YAML
common:
  admin: {port: -1}
  telemetry: {metrics_port: $metrics, metrics_bind_address: 127.0.0.1, log_file: $work/venue-sim.log}
rest_port: $rest
ws_port: $ws
control_port: $control
instruments:
  - {id: {symbol: AMZN}, base_asset: AMZN, quote_asset: USD, tick_size: '0.01', lot_size: '1'}
YAML
"$bin" --config "$work/venue-sim.yaml" >"$work/venue-sim.out" 2>&1 &
pid=$!

# Poll /metrics until it answers (the process may take a moment to bind).
if ! /usr/bin/python3 - "http://127.0.0.1:$metrics/metrics" "$work/metrics.txt" "$pid" <<'PY'
import os, sys, time, urllib.request
url, out, pid = sys.argv[1], sys.argv[2], int(sys.argv[3])
deadline = time.monotonic() + 30
while True:
    try:
        body = urllib.request.urlopen(url, timeout=2).read()
        break
    except OSError as e:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            sys.exit("the venue simulator exited before serving /metrics")
        if time.monotonic() > deadline:
            sys.exit(f"no answer from {url} in 30 s: {e}")
        time.sleep(0.2)
open(out, "wb").write(body)
PY
then
  cat "$work/venue-sim.out"
  exit 1
fi

echo "promtool check metrics on the venue simulator's /metrics ($(grep -c '^# TYPE' "$work/metrics.txt") families)"
promtool check metrics <"$work/metrics.txt"
/usr/bin/python3 "$here/check_monitoring.py" "$src" --exposition "$work/metrics.txt"
