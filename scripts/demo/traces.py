"""The demo's traces: a local OTLP/HTTP receiver (scripts/otlp-receiver.js,
standing in for Jaeger) that every service exports its spans to, and what the
spans say once the replay is over: how many traces, whether each order's
spans link into one trace across the services, and where the slowest order
spent its time.

The receiver needs Node.js 18 or later and the OTLP definitions from npm
(scripts/fetch-otlp-receiver.sh); without them the demo runs untraced and
says why.
"""

import json
import subprocess
import time
from pathlib import Path

# The span each service makes for an order, in the order the order meets them.
ORDER_PATH = [("signal", "signal.intent"), ("risk", "risk.check"),
              ("execution", "execution.new_order"), ("execution", "venue.submit"),
              ("signer", "signer.sign")]


class Receiver:
    def __init__(self, endpoint: str, spans_file: Path):
        self.endpoint = endpoint
        self.spans_file = spans_file


def start_receiver(suite, root: Path, run_dir: Path):
    """Starts the receiver as one of the suite's processes. Returns
    (Receiver, None), or (None, why) when it cannot run here."""
    fetch = subprocess.run([str(root / "scripts/fetch-otlp-receiver.sh")],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if fetch.returncode != 0:
        return None, fetch.stderr.strip() or "scripts/fetch-otlp-receiver.sh failed"
    spans_file = run_dir / "spans.jsonl"
    suite.start("otlp-receiver",
                ["node", str(root / "scripts/otlp-receiver.js"), "--port", "0", "--out",
                 str(spans_file)],
                env={"NODE_PATH": fetch.stdout.strip()})
    out = suite.log_dir / "otlp-receiver.out"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        suite.check_alive()
        for line in out.read_text(errors="replace").splitlines():
            if line.startswith("listening "):
                return Receiver(line.split(" ", 1)[1].strip(), spans_file), None
        time.sleep(0.05)
    return None, "the OTLP receiver did not start listening within 20 s"


def read_spans(spans_file: Path):
    spans = []
    if not spans_file.exists():
        return spans
    for n, line in enumerate(spans_file.read_text().splitlines(), 1):
        if not line.strip():
            continue
        try:
            spans.append(json.loads(line))
        except json.JSONDecodeError as e:
            raise ValueError(f"{spans_file}:{n}: not a JSON span: {e}") from e
    return spans


def _us(span):
    return (int(span["end_ns"]) - int(span["start_ns"])) / 1000.0


def order_chain(trace_spans):
    """The spans of ORDER_PATH in one trace, each the child of the one before
    (signal.intent -> risk.check -> execution.new_order -> venue.submit ->
    signer.sign), or None when the trace does not hold that chain."""
    by_id = {s["span_id"]: s for s in trace_spans}
    for signer in (s for s in trace_spans if (s["service"], s["name"]) == ORDER_PATH[-1]):
        chain = [signer]
        for service, name in reversed(ORDER_PATH[:-1]):
            parent = by_id.get(chain[-1]["parent_span_id"])
            if parent is None or (parent["service"], parent["name"]) != (service, name):
                break
            chain.append(parent)
        if len(chain) == len(ORDER_PATH):
            return list(reversed(chain))
    return None


def summarize(spans):
    """Counts and the slowest order's breakdown, for summary.json."""
    traces = {}
    for s in spans:
        traces.setdefault(s["trace_id"], []).append(s)
    unlinked = 0
    order_traces = []
    for trace_id, trace_spans in traces.items():
        ids = {s["span_id"] for s in trace_spans}
        unlinked += sum(1 for s in trace_spans
                        if s["parent_span_id"] and s["parent_span_id"] not in ids)
        chain = order_chain(trace_spans)
        if chain is not None:
            order_traces.append((trace_id, chain, trace_spans))
    out = {
        "spans": len(spans),
        "traces": len(traces),
        "services": sorted({s["service"] for s in spans}),
        "order_traces": len(order_traces),
        "unlinked_spans": unlinked,
        "errors": sum(1 for s in spans if s.get("status") == 2),
    }
    if order_traces:
        trace_id, chain, trace_spans = max(
            order_traces, key=lambda t: int(t[1][0]["end_ns"]) - int(t[1][0]["start_ns"]))
        out["slowest_order"] = {
            "trace_id": trace_id,
            "client_order_id": chain[2]["attributes"].get("client_order_id", ""),
            "total_us": round(_us(chain[0]), 1),
            "spans": [{"service": s["service"], "name": s["name"], "us": round(_us(s), 1)}
                      for s in sorted(trace_spans, key=lambda s: int(s["start_ns"]))],
        }
    return out


def text(traces) -> list:
    if traces is None:
        return []
    if "skipped" in traces:
        return [f"  traces      not collected: {traces['skipped']}"]
    lines = [f"  traces      {traces['spans']:,} spans in {traces['traces']:,} traces from "
             f"{len(traces['services'])} services; {traces['order_traces']} orders traced "
             "signal -> risk -> execution -> signer"]
    slow = traces.get("slowest_order")
    if slow:
        lines.append(f"              slowest order {slow['client_order_id']} "
                     f"({slow['total_us']:,.0f} us, trace {slow['trace_id']}):")
        for s in slow["spans"]:
            lines.append(f"                {s['service']:<10} {s['name']:<22} {s['us']:>10,.1f} us")
    return lines
