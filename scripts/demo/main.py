"""make demo: the whole suite, as separate processes, on the bundled real data.

   scripts/demo.sh [--hold] [--speed N] [--out DIR]

Starts a throwaway PostgreSQL, generates the deployment's secrets, starts the
venue simulator (lock-step, paused) replaying data/, the signer, risk,
execution, the reconciler, sentinel, signal and market-data, each on the port
plan with admin and metrics on; then lets the replay run, shows its progress,
and writes demo-out/summary.json and demo-out/report.html. With --hold the
suite keeps running afterwards until Ctrl-C (tradectl works from the project
root: the operator token is left in .tradeplane/admin-token).
"""

import argparse
import json
import os
import shutil
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import configs  # noqa: E402
import metrics  # noqa: E402
import report  # noqa: E402
import secrets_scan  # noqa: E402
import traces  # noqa: E402
from suite import DemoError, Suite, http_get_json, http_post, metrics_text  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CONTROL = f"http://127.0.0.1:{configs.PORTS['venue-sim']['control']}/control"
# Start order: what a service connects to is up before it.
SERVICES = [
    ("signer", "tradeplane-signer", "signer"),
    ("risk", "tradeplane-risk", "risk"),
    ("execution", "tradeplane-execution", "execution"),
    ("reconciler", "tradeplane-reconciler", "reconciler"),
    ("sentinel", "tradeplane-sentinel", "sentinel"),
    ("signal", "tradeplane-signal", "signal"),
    ("market-data", "tradeplane-market-data", "market-data"),
]


def parse_args(argv):
    p = argparse.ArgumentParser(prog="scripts/demo.sh", description=__doc__.split("\n\n")[0])
    p.add_argument("--hold", action="store_true",
                   help="keep the suite running after the replay, until Ctrl-C")
    p.add_argument("--speed", type=float, default=20.0,
                   help="replay speed, times real time (default 20: about 90 s)")
    p.add_argument("--out", default=str(ROOT / "demo-out"), help="output directory")
    p.add_argument("--bin", default=str(ROOT / "build/release/bin"), help="the binaries")
    p.add_argument("--otlp-endpoint", default="",
                   help="send the spans to this OTLP/HTTP receiver (e.g. a Jaeger at "
                        "localhost:4318) instead of the demo's own")
    p.add_argument("--no-traces", action="store_true", help="run untraced")
    args = p.parse_args(argv)
    if not 0 < args.speed <= 1000:
        p.error(f"--speed {args.speed}: must be in (0, 1000]")
    return args


def start_service(suite: Suite, name: str, paths):
    """Starts one of SERVICES (or the venue simulator) from its config."""
    binary = "tradeplane-venue-sim" if name == "venue-sim" else dict(
        (n, b) for n, b, _ in SERVICES)[name]
    return suite.start(name, [suite.binary(binary), "--config", str(paths[name])])


def start_services(suite: Suite, paths):
    """The venue simulator, then the seven services in dependency order, each
    waited for until its health says SERVING; risk is switched to ACTIVE."""
    start_service(suite, "venue-sim", paths)
    suite.wait_ready("venue-sim", "venue-sim")
    for name, _, service in SERVICES:
        start_service(suite, name, paths)
        if name == "risk":
            suite.wait_ready(name, service)
            suite.tradectl("mode", "set", "ACTIVE", "--reason", "demo start", output="table")
    for name, _, service in SERVICES:
        suite.wait_ready(name, service, timeout_s=90)


def prepare_secrets(suite: Suite, run_dir: Path):
    secrets = run_dir / "secrets"
    suite.run([str(ROOT / "scripts/gen-secrets.sh"), str(secrets),
               suite.binary("tradeplane-keygen")])
    venue_secret = secrets / "venue-api.secret"
    if not venue_secret.exists():
        venue_secret.write_text(os.urandom(32).hex() + "\n")
        venue_secret.chmod(0o600)
    # tradectl looks for the operator's token here when run from the project root.
    token_dir = ROOT / ".tradeplane"
    token_dir.mkdir(mode=0o700, exist_ok=True)
    shutil.copyfile(secrets / "operator.token", token_dir / "admin-token")
    (token_dir / "admin-token").chmod(0o600)


def prepare_keystore(suite: Suite, run_dir: Path, paths):
    signer = suite.binary("tradeplane-signer")
    keystore = ["--keystore", "secrets/signer.keystore",
                "--passphrase-file", "secrets/keystore.passphrase"]
    suite.run([signer, "keys", "init", *keystore])
    suite.run([signer, "keys", "import", *keystore, "--id", configs.VENUE_KEY_ID,
               "--alg", "hmac-sha256", "--secret-file", "secrets/venue-api.secret",
               "--api-key", configs.VENUE_API_KEY])
    suite.run([signer, "keys", "policy", "set", *keystore, "--id", configs.VENUE_KEY_ID,
               str(paths["signer-policy"])])


class Timeline:
    """What the report plots over time, sampled while the replay runs."""

    def __init__(self):
        self.prices = []  # (sim_time_ms, symbol, mid)
        self.pnl = []  # (sim_time_ms, realized, unrealized)
        self.positions = []  # (sim_time_ms, symbol, qty)

    def sample(self, suite: Suite, position):
        t = position.get("sim_time_ms", 0)
        try:
            state = http_get_json(f"{CONTROL}/state")
        except OSError:
            state = {}
        for inst in state.get("instruments", []):
            bid, ask = float(inst.get("best_bid", 0)), float(inst.get("best_ask", 0))
            if bid > 0 and ask > 0:
                self.prices.append((t, inst["symbol"], (bid + ask) / 2))
        pnl = suite.tradectl("pnl", check=False)
        if isinstance(pnl, dict):
            self.pnl.append((t, pnl.get("realized", "0"), pnl.get("unrealized", "0")))
        positions = suite.tradectl("positions", check=False)
        if isinstance(positions, dict):
            for p in positions.get("positions", []):
                symbol = p.get("instrument", {}).get("symbol", "?")
                self.positions.append((t, symbol, p.get("qty", "0")))


def progress_line(position, started, expected_events):
    events = position.get("events", 0)
    fraction = 1.0 if position.get("finished") else min(1.0, events / max(1, expected_events))
    width = 30
    filled = int(fraction * width)
    bar = "#" * filled + "-" * (width - filled)
    return (f"\rreplay [{bar}] {fraction * 100:5.1f}%  {position.get('events', 0):>9,} events  "
            f"sim {position.get('sim_time', '')[11:19]}  {time.monotonic() - started:5.1f} s")


def run_replay(suite: Suite, timeline: Timeline, expected_events: int):
    http_post(f"{CONTROL}/run")
    started = time.monotonic()
    tty = sys.stderr.isatty()
    last_sample = 0.0
    last_print = 0.0
    while True:
        suite.check_alive()
        position = http_get_json(f"{CONTROL}/position")
        now = time.monotonic()
        if now - last_sample >= 0.5:
            timeline.sample(suite, position)
            last_sample = now
        if tty:
            print(progress_line(position, started, expected_events), end="", file=sys.stderr, flush=True)
        elif now - last_print >= 10:
            print(progress_line(position, started, expected_events).strip(), file=sys.stderr, flush=True)
            last_print = now
        if position.get("finished"):
            break
        time.sleep(0.1)
    if tty:
        print(file=sys.stderr)
    return position


def settle(suite: Suite, quiet_s: float = 2.0, timeout_s: float = 20.0):
    """Waits until execution's orders (by state) and fill counter stop moving."""
    deadline = time.monotonic() + timeout_s
    previous = None
    stable_since = time.monotonic()
    while time.monotonic() < deadline:
        samples = metrics.parse(metrics_text(configs.PORTS["execution"]["metrics"]))
        current = (metrics.by_label(samples, "tradeplane_execution_orders", "state"),
                   metrics.total(samples, "tradeplane_execution_fills_total"))
        if current != previous:
            previous, stable_since = current, time.monotonic()
        elif time.monotonic() - stable_since >= quiet_s:
            return
        time.sleep(0.25)


def flush_traces(suite: Suite, receiver, quiet_s: float = 1.0, timeout_s: float = 15.0):
    """Waits until the receiver's span file stops growing: each service sends
    its spans in batches off its hot path, so the last ones arrive a moment
    after the orders settle."""
    deadline = time.monotonic() + timeout_s
    size, stable_since = -1, time.monotonic()
    while time.monotonic() < deadline:
        suite.check_alive()
        now_size = receiver.spans_file.stat().st_size if receiver.spans_file.exists() else 0
        if now_size != size:
            size, stable_since = now_size, time.monotonic()
        elif time.monotonic() - stable_since >= quiet_s:
            return
        time.sleep(0.1)


def main(argv):
    args = parse_args(argv)
    out_dir = Path(args.out).resolve()
    run_dir = out_dir / "run"
    if run_dir.exists():
        subprocess_stop = ROOT / "scripts/pg-local.sh"
        os.system(f"'{subprocess_stop}' stop '{run_dir / 'pg'}' >/dev/null 2>&1")
        shutil.rmtree(run_dir)
    (run_dir / "secrets").mkdir(parents=True)
    suite = Suite(ROOT, Path(args.bin), run_dir)

    def on_signal(signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    wall_start = time.monotonic()
    try:
        print("demo: starting PostgreSQL", file=sys.stderr)
        conninfo = suite.start_postgres()
        prepare_secrets(suite, run_dir)
        receiver, trace_summary = None, None
        if args.no_traces:
            trace_summary = {"skipped": "--no-traces"}
        elif not args.otlp_endpoint:
            receiver, why = traces.start_receiver(suite, ROOT, run_dir)
            if receiver is None:
                trace_summary = {"skipped": why}
                print(f"demo: running untraced: {why}", file=sys.stderr)
        otlp_endpoint = receiver.endpoint if receiver else args.otlp_endpoint
        demo = configs.DemoConfigs(ROOT, run_dir, conninfo, args.speed,
                                   otlp_endpoint="" if args.no_traces else otlp_endpoint)
        paths = demo.write_all()
        prepare_keystore(suite, run_dir, paths)

        print("demo: starting the venue simulator and the seven services", file=sys.stderr)
        start_services(suite, paths)

        # The backtest on the same config: the replay's size (for the progress
        # bar) and the single-process figures to set beside the suite's.
        backtest_json = run_dir / "backtest-summary.json"
        suite.run([suite.binary("tradeplane-backtest"), "--config",
                   str(ROOT / "deploy/demo/backtest.yaml"), "-q", "--summary", str(backtest_json)])
        backtest = json.loads(backtest_json.read_text())
        timeline = Timeline()
        idle_memory = suite.memory_kib()
        position = run_replay(suite, timeline, backtest.get("events_replayed", 1))
        settle(suite)
        timeline.sample(suite, position)
        summary = report.collect(suite, conninfo, position, timeline)
        if receiver is not None:
            flush_traces(suite, receiver)
            trace_summary = traces.summarize(traces.read_spans(receiver.spans_file))
        summary["traces"] = trace_summary
        summary["memory_mib"] = report.memory_mib(idle_memory, suite.memory_kib())
        summary["wall_seconds"] = round(time.monotonic() - wall_start, 1)
        summary["backtest"] = {k: backtest.get(k) for k in (
            "events_replayed", "intents", "approvals", "orders_sent", "fills", "pnl")}
        out_dir.mkdir(parents=True, exist_ok=True)
        public = {k: v for k, v in summary.items() if not k.startswith("_")}
        (out_dir / "summary.json").write_text(json.dumps(public, indent=2) + "\n")
        (out_dir / "report.html").write_text(report.html(summary, timeline))
        print(report.text(summary))
        print(f"\nwrote {out_dir / 'summary.json'} and {out_dir / 'report.html'}")
        problems = report.problems(summary)
        scraped = {name: metrics_text(configs.PORTS[name]["metrics"])
                   for name in configs.PORTS}
        problems += secrets_scan.scan(run_dir / "secrets", secrets_scan.run_outputs(
            suite.log_dir, scraped, [out_dir / "summary.json", out_dir / "report.html"]))
        for p in problems:
            print(f"demo: PROBLEM: {p}", file=sys.stderr)
        if args.hold:
            print("\nThe suite keeps running (Ctrl-C stops it). Try:\n"
                  "  build/release/bin/tradectl status\n"
                  "  build/release/bin/tradectl positions\n"
                  "  build/release/bin/tradectl orders --open\n"
                  "  curl -s localhost:7391/metrics | grep tradeplane_risk\n"
                  f"  logs: {run_dir / 'logs'}", file=sys.stderr)
            while True:
                suite.check_alive()
                time.sleep(1)
        return 1 if problems else 0
    except KeyboardInterrupt:
        print("\ndemo: stopping", file=sys.stderr)
        return 0 if args.hold else 130
    except DemoError as e:
        print(f"\ndemo: {e}\nlogs: {run_dir / 'logs'}", file=sys.stderr)
        return 1
    finally:
        suite.stop_all()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
