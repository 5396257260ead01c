"""Chaos: the whole suite on the bundled data while its services are killed
with SIGKILL at seeded random moments and restarted; then the promises.

   tests/system/chaos.py --bin DIR [--kills N] [--faults N] [--seed S] [--speed X] [--out DIR]

Starts what `make demo` starts (PostgreSQL, the venue simulator replaying
data/, the seven services as processes on the port plan), lets the replay
run, and kills -9 the services in turn (in a seeded order each round of
seven) at seeded random intervals: the same seed gives the same victims in
the same order; with --faults, the venue simulator misbehaves in between
(dropped acks, 5xx, stream disconnects, a frozen venue, slow acks;
docs/how-to/venue-sim-faults.md). Each victim is restarted at once and timed
until its health says SERVING again; a restarted risk keeps its stored mode. When the replay is over
and N kills are done, the order flow settles and these must hold:

  - no client order id reached the venue twice;
  - every fill the venue has for our account is in execution's journal
    exactly once, and the journal has no fill the venue does not;
  - per instrument, the position from our journaled fills, and risk's, equal
    the position from the venue's trades;
  - no order is left pending (PENDING_NEW, PENDING_CANCEL) in the journal,
    and every order open at the venue is open in the journal.

Prints the recovery time per service (p50 and max) and writes
OUT/chaos.json. Exit 0 when every promise holds, 1 when one does not (each
printed), 2 for bad arguments.
"""

import argparse
import json
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts/demo"))

import configs  # noqa: E402
import main as demo  # noqa: E402
from suite import DemoError, Suite, http_get_json, http_post  # noqa: E402

SERVICE_OF = {name: service for name, _, service in demo.SERVICES}
PENDING = ("PENDING_NEW", "PENDING_CANCEL")
OPEN = ("NEW", "PARTIALLY_FILLED")
SCALE = Decimal(10) ** 9


def parse_args(argv):
    p = argparse.ArgumentParser(prog="tests/system/chaos.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--bin", required=True, help="the binaries (build/dev/bin, build/release/bin)")
    p.add_argument("--kills", type=int, default=10, help="SIGKILLs across the services (10)")
    p.add_argument("--seed", type=int, default=1, help="the victims' and moments' seed (1)")
    p.add_argument("--speed", type=float, default=20.0, help="replay speed (20: about 90 s)")
    p.add_argument("--faults", type=int, default=0,
                   help="venue faults injected between the kills (dropped acks, 5xx, "
                        "stream disconnects, a frozen venue, slow acks) (0)")
    p.add_argument("--gap", type=float, default=4.0,
                   help="mean seconds between one recovery and the next kill (4)")
    p.add_argument("--out", default=str(ROOT / "build/chaos"), help="output directory")
    args = p.parse_args(argv)
    if args.kills < 1 or args.kills > 10000:
        p.error(f"--kills {args.kills}: must be in [1, 10000]")
    if args.faults < 0 or args.faults > 10000:
        p.error(f"--faults {args.faults}: must be in [0, 10000]")
    if not 0 < args.speed <= 1000:
        p.error(f"--speed {args.speed}: must be in (0, 1000]")
    if not 0 < args.gap <= 600:
        p.error(f"--gap {args.gap}: must be in (0, 600]")
    return args


def kill_and_recover(suite, paths, name):
    """SIGKILL, restart, wait for SERVING; the seconds from the kill to ready."""
    started = time.monotonic()
    suite.kill(name)
    demo.start_service(suite, name, paths)
    suite.wait_ready(name, SERVICE_OF[name], timeout_s=120)
    return time.monotonic() - started


# Each venue fault: how to inject it, and how to end it (None: it ends by itself).
VENUE_FAULTS = [
    ("drop-acks?count=1", None),
    ("errors?count=2&status=503", None),
    # Not "rate-limit" yet: an execution restarting into a 429 on exchangeInfo
    # exits instead of waiting out the Retry-After (issue 13 keeps it open).
    ("disconnect", None),
    ("freeze", "unfreeze"),
    ("ack-delay?ms=400", "ack-delay?ms=0"),
]


def inject_fault(rng):
    """One venue fault for a second or two; returns its name."""
    start, end = rng.choice(VENUE_FAULTS)
    http_post(f"{demo.CONTROL}/faults/{start}")
    if end is not None:
        time.sleep(rng.uniform(0.5, 2.0))
        http_post(f"{demo.CONTROL}/faults/{end}")
    return start


def run_with_kills(suite, paths, args):
    rng = random.Random(args.seed)
    victims = [name for name, _, _ in demo.SERVICES]
    recovery = {name: [] for name in victims}
    log = []
    http_post(f"{demo.CONTROL}/run")
    next_kill = time.monotonic() + rng.expovariate(1 / args.gap)
    kills = 0
    queue = []
    faults = 0
    fault_rng = random.Random(args.seed + 1)  # the kills' sequence stays what it was
    next_fault = time.monotonic() + fault_rng.expovariate(1 / args.gap)
    while True:
        suite.check_alive()
        position = http_get_json(f"{demo.CONTROL}/position")
        if kills < args.kills and time.monotonic() >= next_kill:
            if not queue:  # each service in turn, in a seeded order per round
                queue = rng.sample(victims, len(victims))
            name = queue.pop()
            seconds = kill_and_recover(suite, paths, name)
            kills += 1
            recovery[name].append(seconds)
            log.append({"kill": kills, "service": name, "events": position.get("events", 0),
                        "recovery_s": round(seconds, 3)})
            print(f"chaos: kill {kills}/{args.kills}: {name} at event "
                  f"{position.get('events', 0):,}, serving again after {seconds:.2f} s",
                  file=sys.stderr, flush=True)
            next_kill = time.monotonic() + rng.expovariate(1 / args.gap)
        if faults < args.faults and time.monotonic() >= next_fault:
            name = inject_fault(fault_rng)
            faults += 1
            log.append({"fault": faults, "venue": name, "events": position.get("events", 0)})
            print(f"chaos: venue fault {faults}/{args.faults}: {name} at event "
                  f"{position.get('events', 0):,}", file=sys.stderr, flush=True)
            next_fault = time.monotonic() + fault_rng.expovariate(1 / args.gap)
        if position.get("finished") and kills >= args.kills and faults >= args.faults:
            http_post(f"{demo.CONTROL}/faults/clear")
            return recovery, log
        time.sleep(0.05)


def venue_account(state):
    for account in state.get("accounts", []):
        if account.get("name") == configs.VENUE_API_KEY:
            return account
    return {"orders": [], "trades": []}


def raw(decimal_text):
    return int(Decimal(decimal_text) * SCALE)


def check_promises(suite, conninfo):
    problems = []
    account = venue_account(http_get_json(f"{demo.CONTROL}/state"))

    seen = {}
    for o in account.get("orders", []):
        seen[o["clientOrderId"]] = seen.get(o["clientOrderId"], 0) + 1
    twice = sorted(cid for cid, n in seen.items() if n > 1)
    if twice:
        problems.append(f"client order ids at the venue twice: {twice}")

    venue_fills = {f"BINANCE:{t['symbol']}:{t['id']}": t for t in account.get("trades", [])}
    journal_fills = {row[0]: row for row in suite.psql(
        conninfo, "SELECT fill_id, symbol, side, qty FROM exec_fills")}
    missing = sorted(set(venue_fills) - set(journal_fills))
    extra = sorted(set(journal_fills) - set(venue_fills))
    if missing:
        problems.append(f"venue fills missing from the journal: {missing}")
    if extra:
        problems.append(f"journaled fills the venue does not have: {extra}")

    venue_position, journal_position = {}, {}
    for t in venue_fills.values():
        sign = 1 if t["isBuyer"] else -1
        venue_position[t["symbol"]] = venue_position.get(t["symbol"], 0) + sign * raw(t["qty"])
    for _, symbol, side, qty in journal_fills.values():
        sign = 1 if side == "BUY" else -1
        journal_position[symbol] = journal_position.get(symbol, 0) + sign * int(qty)
    risk_position = {}
    positions = suite.tradectl("positions", check=False)
    if not isinstance(positions, dict):
        problems.append("risk did not answer `tradectl positions`")
    else:
        for p in positions.get("positions", []):
            symbol = p.get("instrument", {}).get("symbol", "?")
            risk_position[symbol] = raw(p.get("qty", "0"))
    for symbol in sorted(set(venue_position) | set(journal_position) | set(risk_position)):
        v = venue_position.get(symbol, 0)
        if journal_position.get(symbol, 0) != v:
            problems.append(f"{symbol}: journal position {journal_position.get(symbol, 0)} "
                            f"!= venue {v} (1e-9 units)")
        if isinstance(positions, dict) and risk_position.get(symbol, 0) != v:
            problems.append(f"{symbol}: risk's position {risk_position.get(symbol, 0)} "
                            f"!= venue {v} (1e-9 units)")

    statuses = dict(suite.psql(conninfo, "SELECT client_order_id, status FROM exec_orders"))
    pending = sorted(cid for cid, status in statuses.items() if status in PENDING)
    if pending:
        problems.append(f"orders left pending in the journal: {pending}")
    for o in account.get("orders", []):
        if o.get("status") in OPEN and statuses.get(o["clientOrderId"]) not in OPEN:
            problems.append(f"{o['clientOrderId']} is open at the venue but "
                            f"{statuses.get(o['clientOrderId'], 'not journaled')} here")
    facts = {"venue_orders": len(seen), "venue_fills": len(venue_fills),
             "journal_fills": len(journal_fills), "positions": {
                 s: str(Decimal(v) / SCALE) for s, v in venue_position.items()}}
    return problems, facts


def percentile_50(values):
    return statistics.median(values) if values else None


def main(argv):
    args = parse_args(argv)
    out_dir = Path(args.out).resolve()
    run_dir = out_dir / "run"
    if run_dir.exists():
        import shutil
        import subprocess
        subprocess.run([str(ROOT / "scripts/pg-local.sh"), "stop", str(run_dir / "pg")],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(run_dir)
    (run_dir / "secrets").mkdir(parents=True)
    out_dir.chmod(0o755)
    suite = Suite(ROOT, Path(args.bin), run_dir)
    try:
        conninfo = suite.start_postgres()
        demo.prepare_secrets(suite, run_dir)
        paths = configs.DemoConfigs(ROOT, run_dir, conninfo, args.speed).write_all()
        demo.prepare_keystore(suite, run_dir, paths)
        print(f"chaos: starting the suite; {args.kills} kills, seed {args.seed}", file=sys.stderr)
        demo.start_services(suite, paths)
        started = time.monotonic()
        recovery, log = run_with_kills(suite, paths, args)
        demo.settle(suite, quiet_s=3.0, timeout_s=60.0)
        problems, facts = check_promises(suite, conninfo)
        summary = {
            "seed": args.seed, "kills": sum(1 for e in log if "kill" in e),
            "venue_faults": sum(1 for e in log if "fault" in e), "speed": args.speed,
            "wall_seconds": round(time.monotonic() - started, 1),
            "recovery_s": {name: {"count": len(v), "p50": percentile_50(v),
                                  "max": max(v) if v else None}
                           for name, v in recovery.items()},
            "facts": facts, "log": log, "problems": problems,
        }
        (out_dir / "chaos.json").write_text(json.dumps(summary, indent=2) + "\n")
        print(f"\nchaos: {summary['kills']} kills and {summary['venue_faults']} venue faults "
              f"(seed {args.seed}) over {summary['wall_seconds']} s; "
              f"{facts['venue_orders']} orders and {facts['venue_fills']} fills at the venue")
        print("  recovery, SIGKILL to SERVING (s):  count   p50     max")
        for name, r in summary["recovery_s"].items():
            if r["count"]:
                print(f"    {name:<12} {r['count']:>22} {r['p50']:>7.2f} {r['max']:>7.2f}")
        for p in problems:
            print(f"chaos: BROKEN PROMISE: {p}")
        if not problems:
            print("chaos: every promise held: no duplicate at the venue, every fill once, "
                  "positions equal, nothing pending")
        return 1 if problems else 0
    except DemoError as e:
        print(f"\nchaos: {e}\nlogs: {run_dir / 'logs'}", file=sys.stderr)
        return 1
    finally:
        suite.stop_all()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
