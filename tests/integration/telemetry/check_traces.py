"""One trace across the services, decoded by a real OTLP receiver.

   check_traces.py ROOT BIN_DIR

Runs the whole suite on the bundled data (scripts/demo, every service a
process, at a high replay speed) with every service exporting its spans over
OTLP/HTTP to scripts/otlp-receiver.js, which decodes them with the upstream
OTLP message definitions. Then checks, from what the receiver decoded:

  - every order the suite sent (at least as many as the journal counts) is
    one trace in which signal.intent, risk.check, execution.new_order,
    venue.submit and signer.sign (four processes) each name the one before
    as parent and lie within it, with the service name and instance each
    process exports;
  - no span names a parent its trace does not have;
  - the signer's log line for each order's signature carries the trace and
    span ids of its signer.sign span (logs and traces join);
  - the receiver refuses a body that is not an OTLP export with 400.

Exit 77 (skipped) when the receiver cannot run here (no Node.js 18+, the
npm package cannot be fetched).
"""

import json
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

SKIP = 77


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def check_receiver_refuses_garbage(root: Path, node_path: str, work: Path):
    proc = subprocess.Popen(
        ["node", str(root / "scripts/otlp-receiver.js"), "--port", "0", "--out",
         str(work / "garbage.jsonl")],
        env={"NODE_PATH": node_path, "PATH": "/usr/bin:/bin:/usr/local/bin"},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        if not line.startswith("listening "):
            fail(f"the receiver did not start: {line!r} {proc.stderr.read()}")
        endpoint = line.split(" ", 1)[1].strip()
        request = urllib.request.Request(f"http://{endpoint}/v1/traces", data=b"\xff\xff\xff",
                                         headers={"content-type": "application/x-protobuf"})
        try:
            urllib.request.urlopen(request, timeout=10)
            fail("the receiver accepted a body that is not an OTLP export")
        except urllib.error.HTTPError as e:
            if e.code != 400:
                fail(f"a malformed export got {e.code}, not 400")
        stats = json.loads(urllib.request.urlopen(f"http://{endpoint}/stats", timeout=10).read())
        if stats["rejected"] != 1 or stats["spans"] != 0:
            fail(f"receiver stats after one malformed export: {stats}")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def log_lines_with(log_dir: Path, service: str, trace_id: str):
    lines = []
    for line in (log_dir / f"{service}.log").read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue
        if entry.get("trace_id") == trace_id:
            lines.append(entry)
    return lines


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    root, bin_dir = Path(argv[1]).resolve(), Path(argv[2]).resolve()
    fetch = subprocess.run([str(root / "scripts/fetch-otlp-receiver.sh")],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if fetch.returncode != 0:
        print(f"SKIP: {fetch.stderr.strip()}")
        return SKIP
    node_path = fetch.stdout.strip()
    sys.path.insert(0, str(root / "scripts/demo"))
    import traces  # noqa: E402  (the demo's own reading of the spans)

    with tempfile.TemporaryDirectory(prefix="trace-test-") as tmp:
        work = Path(tmp)
        work.chmod(0o755)  # run as root, PostgreSQL runs as its own user inside
        check_receiver_refuses_garbage(root, node_path, work)

        out = work / "demo-out"
        started = time.monotonic()
        demo = subprocess.run(
            [sys.executable, str(root / "scripts/demo/main.py"), "--bin", str(bin_dir),
             "--out", str(out), "--speed", "100"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=540)
        print(demo.stdout[-4000:])
        print(f"the suite ran for {time.monotonic() - started:.0f} s")
        if not (out / "summary.json").exists():
            fail(f"the suite did not finish (exit {demo.returncode})")
        summary = json.loads((out / "summary.json").read_text())
        t = summary.get("traces")
        if not t or "skipped" in t:
            fail(f"the suite ran untraced: {t}")

        spans = traces.read_spans(out / "run/spans.jsonl")
        by_trace = {}
        for s in spans:
            by_trace.setdefault(s["trace_id"], []).append(s)
        chains = {}
        for trace_id, trace_spans in by_trace.items():
            chain = traces.order_chain(trace_spans)
            if chain is not None:
                chains[chain[2]["attributes"].get("client_order_id")] = (trace_id, chain)
        if summary["orders_sent"] == 0:
            fail("the suite sent no order: nothing to trace")
        # The summary counts the journal before the last spans are flushed, so
        # an order placed in between is traced but not counted.
        if len(chains) < summary["orders_sent"]:
            fail(f"{summary['orders_sent']} orders sent, only {len(chains)} traced from signal "
                 "to the signer")
        for client_order_id, (trace_id, chain) in chains.items():
            services = [s["service"] for s in chain]
            if len(set(services)) != 4 or len(chain) != 5:
                fail(f"order {client_order_id}: the chain is not four services: {services}")
            if any(s["instance"] != "0" for s in chain):
                fail(f"order {client_order_id}: a span without the service instance: {chain}")
            if chain[1]["attributes"].get("approved") is not True:
                fail(f"order {client_order_id}: risk.check does not say approved: {chain[1]}")
            if chain[2]["attributes"].get("accepted") is not True:
                fail(f"order {client_order_id}: execution.new_order does not say accepted")
            for parent, child in zip(chain, chain[1:]):
                if int(child["start_ns"]) < int(parent["start_ns"]) or \
                        int(child["end_ns"]) > int(parent["end_ns"]):
                    fail(f"order {client_order_id}: {child['name']} is not within "
                         f"{parent['name']}")
        if t["unlinked_spans"] != 0:
            fail(f"{t['unlinked_spans']} spans name a parent their trace does not have")

        # Logs and traces join: the signer logs every request it signs inside
        # its span, with that span's ids.
        log_dir = out / "run/logs"
        for client_order_id, (trace_id, chain) in chains.items():
            lines = log_lines_with(log_dir, "signer", trace_id)
            if not any(line.get("span_id") == chain[4]["span_id"] and
                       line.get("msg") == "request signed" for line in lines):
                fail(f"order {client_order_id}: no signer log line carries the ids of its "
                     f"signer.sign span (trace {trace_id})")
        print(f"OK: {len(spans)} spans, {len(chains)} orders each one trace across signal, risk, "
              "execution and the signer, each joined to the signer's log line")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
