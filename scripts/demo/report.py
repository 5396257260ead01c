"""The demo's results: demo-out/summary.json, the text summary, report.html.

Every figure comes from the running suite: the services' /metrics, their
admin APIs (tradectl -o json), the database, and the simulator's control port.
"""

import datetime
import html as html_lib
import json
from decimal import Decimal, InvalidOperation

import configs
import metrics
import traces
from suite import DemoError, http_get_json, metrics_text

CONTROL = f"http://127.0.0.1:{configs.PORTS['venue-sim']['control']}/control"
# The hops a market event crosses on its way to an order, with the histogram
# that measures each (seconds).
HOPS = [
    ("market_data", "market-data", "tradeplane_market_data_handling_seconds"),
    ("signal", "signal", "tradeplane_signal_event_to_intent_seconds"),
    ("risk", "risk", "tradeplane_risk_intent_to_forward_seconds"),
    ("execution_venue", "execution", "tradeplane_execution_venue_round_trip_seconds"),
]
TICK_TO_ORDER = ("execution", "tradeplane_execution_tick_to_order_seconds")


def _time_ms(value) -> int:
    """Milliseconds since the epoch from ns (a number) or RFC 3339 text."""
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.isdigit()):
        return int(value) // 1_000_000
    if not value:
        return 0
    text = value.rstrip("Z")
    whole, _, fraction = text.partition(".")
    seconds = datetime.datetime.strptime(whole, "%Y-%m-%dT%H:%M:%S").replace(
        tzinfo=datetime.timezone.utc).timestamp()
    return int(seconds * 1000) + int((fraction + "000")[:3])


def _decimal(value) -> str:
    try:
        return str(Decimal(str(value)).normalize()) if value not in (None, "") else "0"
    except InvalidOperation:
        return "0"


def _scrape(service):
    return metrics.parse(metrics_text(configs.PORTS[service]["metrics"]))


def collect(suite, conninfo: str, position, timeline):
    md = _scrape("market-data")
    signal = _scrape("signal")
    scraped = {service: _scrape(service) for _, service, _ in HOPS}
    published = metrics.by_label(md, "tradeplane_market_data_published_messages_total", "type")

    def published_of(kind):
        return int(sum(v for k, v in published.items() if kind in k.lower()))

    decisions = suite.psql(conninfo, "SELECT approved, code, count(*) FROM risk_decisions "
                                     "GROUP BY approved, code")
    approvals = sum(int(n) for approved, _, n in decisions if approved == "t")
    refusals = {code: int(n) for approved, code, n in decisions if approved != "t"}
    orders_sent = int(suite.psql(conninfo, "SELECT count(*) FROM exec_orders")[0][0])
    fills = int(suite.psql(conninfo, "SELECT count(*) FROM exec_fills")[0][0])
    alerts = {t: int(n) for t, n in suite.psql(
        conninfo, "SELECT type, count(*) FROM sentinel_alerts GROUP BY type ORDER BY type")}

    state = http_get_json(f"{CONTROL}/state")
    venue_client_ids = []
    for account in state.get("accounts", []):
        if account.get("name") == configs.VENUE_API_KEY:
            venue_client_ids = [o.get("clientOrderId", "") for o in account.get("orders", [])]
    seen, duplicates = set(), 0
    for cid in venue_client_ids:
        if cid in seen:
            duplicates += 1
        seen.add(cid)

    breaks = suite.tradectl("recon", "breaks", "--open", check=False)
    open_breaks = len(breaks.get("breaks", [])) if isinstance(breaks, dict) else None

    pnl = suite.tradectl("pnl")
    latency = {}
    histograms = {}
    for hop, service, name in HOPS + [("tick_to_order",) + TICK_TO_ORDER]:
        histograms[hop] = metrics.histogram(scraped[service], name)
        latency[hop] = metrics.latency_us(histograms[hop])

    fill_rows = suite.tradectl("fills", check=False)
    return {
        "events_replayed": int(position.get("events", 0)),
        "quotes_published": published_of("quote"),
        "trades_published": published_of("trade"),
        "books_published": published_of("book"),
        "intents": int(metrics.total(signal, "tradeplane_signal_intents_total")),
        "approvals": approvals,
        "refusals_by_reason": refusals,
        "orders_sent": orders_sent,
        "fills": fills,
        "venue_orders": len(venue_client_ids),
        "duplicate_client_order_ids": duplicates,
        "open_breaks": open_breaks,
        "alerts_by_type": alerts,
        "pnl": {
            "currency": pnl.get("currency", ""),
            "realized": _decimal(pnl.get("realized")),
            "unrealized": _decimal(pnl.get("unrealized")),
            "fees": _decimal(pnl.get("fees")),
        },
        "latency_us": latency,
        "sim_time": position.get("sim_time", ""),
        "_histograms": histograms,
        "_fills": fill_rows.get("fills", []) if isinstance(fill_rows, dict) else [],
    }


def problems(summary):
    out = []
    if summary["duplicate_client_order_ids"] != 0:
        out.append(f"{summary['duplicate_client_order_ids']} client order ids reached the venue "
                   "twice")
    if summary["open_breaks"] is None:
        out.append("the reconciler did not answer: open breaks unknown")
    elif summary["open_breaks"] != 0:
        out.append(f"{summary['open_breaks']} reconciliation breaks are open")
    if summary["orders_sent"] != summary["venue_orders"]:
        out.append(f"execution journaled {summary['orders_sent']} orders, the venue has "
                   f"{summary['venue_orders']}")
    t = summary.get("traces")
    if t and "skipped" not in t:
        if summary["orders_sent"] > 0 and t["order_traces"] == 0:
            out.append("no order was traced through signal, risk, execution and the signer")
        if t["unlinked_spans"] != 0:
            out.append(f"{t['unlinked_spans']} spans name a parent their trace does not have")
    return out


def _fmt_latency(v):
    return "-" if v is None else f"{v:,.0f}"


def memory_mib(idle_kib, after_kib):
    """Per process: resident memory before the replay and its peak over the
    whole run (the kernel's high-water mark, so a short spike between samples
    counts; the signer's includes the key derivation when it opens its
    keystore, which is Argon2id with 256 MiB)."""
    out = {}
    for name, after in after_kib.items():
        idle = idle_kib.get(name, after)
        out[name] = {"idle": round(idle["rss"] / 1024, 1),
                     "peak": round(after["peak"] / 1024, 1)}
    return out


def text(summary) -> str:
    pnl = summary["pnl"]
    lines = [
        "",
        "Tradeplane demo",
        f"  replay      {summary['events_replayed']:,} market events (to {summary['sim_time']})",
        f"  published   {summary['quotes_published']:,} quotes, {summary['trades_published']:,} "
        f"trades, {summary['books_published']:,} books",
        f"  decisions   {summary['intents']:,} intents -> {summary['approvals']:,} approved, "
        f"{sum(summary['refusals_by_reason'].values()):,} refused",
    ]
    if summary["refusals_by_reason"]:
        top = sorted(summary["refusals_by_reason"].items(), key=lambda kv: -kv[1])[:4]
        lines.append("              refused: " + ", ".join(f"{k} {v}" for k, v in top))
    lines += [
        f"  orders      {summary['orders_sent']:,} sent, {summary['venue_orders']:,} at the venue, "
        f"{summary['fills']:,} fills, {summary['duplicate_client_order_ids']} duplicates",
        f"  recon       {summary['open_breaks'] if summary['open_breaks'] is not None else '?'} "
        "open breaks",
        "  alerts      " + (", ".join(f"{k} {v}" for k, v in summary["alerts_by_type"].items())
                            or "none"),
        f"  pnl         realized {pnl['realized']} {pnl['currency']}, unrealized "
        f"{pnl['unrealized']}, fees {pnl['fees']}",
        "  latency     hop: p50 / p99 / p99.9 (us)",
    ]
    for hop, v in summary["latency_us"].items():
        lines.append(f"              {hop:<16} {_fmt_latency(v['p50']):>8} / "
                     f"{_fmt_latency(v['p99']):>8} / {_fmt_latency(v['p999']):>8}  "
                     f"({v['count']:,} samples)")
    lines += traces.text(summary.get("traces"))
    memory = summary.get("memory_mib")
    if memory:
        lines.append("  memory      resident MiB: idle before the replay / peak of the run")
        for name, m in memory.items():
            lines.append(f"              {name:<16} {m['idle']:>8.1f} / {m['peak']:>8.1f}")
    bt = summary.get("backtest")
    if bt:
        bt_pnl = bt.get("pnl") or {}
        lines.append(f"  backtest    the same config in one process: {bt.get('intents')} intents, "
                     f"{bt.get('orders_sent')} orders, {bt.get('fills')} fills, realized "
                     f"{bt_pnl.get('realized')} {bt_pnl.get('currency', '')}")
    return "\n".join(lines)


# --- report.html: inline SVG, no scripts from the network ---------------------------------

_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]


def _svg_lines(title, series, width=860, height=220, points=None):
    """series: {label: [(x, y)]}; points: {label: [(x, y, color)]} drawn as dots."""
    xs = [x for s in series.values() for x, _ in s] + [
        x for p in (points or {}).values() for x, _, _ in p]
    ys = [y for s in series.values() for _, y in s] + [
        y for p in (points or {}).values() for _, y, _ in p]
    out = [f'<figure><figcaption>{html_lib.escape(title)}</figcaption>']
    if not xs:
        out.append("<p class=empty>no data</p></figure>")
        return "".join(out)
    x0, x1 = min(xs), max(xs) or 1
    y0, y1 = min(ys), max(ys)
    if x1 == x0:
        x1 = x0 + 1
    if y1 == y0:
        y1 = y0 + 1
    pad = 40

    def sx(x):
        return pad + (x - x0) / (x1 - x0) * (width - 2 * pad)

    def sy(y):
        return height - pad + (y - y0) / (y1 - y0) * (2 * pad - height)

    out.append(f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}">')
    out.append(f'<text x="4" y="{pad - 8}" class=axis>{y1:.6g}</text>'
               f'<text x="4" y="{height - pad + 4}" class=axis>{y0:.6g}</text>')
    for i, (label, s) in enumerate(series.items()):
        if not s:
            continue
        color = _COLORS[i % len(_COLORS)]
        path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in s)
        out.append(f'<polyline fill="none" stroke="{color}" stroke-width="1.2" points="{path}"/>')
        out.append(f'<text x="{width - pad - 120}" y="{14 + 14 * i}" fill="{color}" '
                   f'class=legend>{html_lib.escape(label)}</text>')
    for label, p in (points or {}).items():
        for x, y, color in p:
            out.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="2.5" fill="{color}"/>')
    out.append("</svg></figure>")
    return "".join(out)


def _svg_bars(title, bars, width=860, unit=""):
    """bars: [(label, value)]"""
    out = [f'<figure><figcaption>{html_lib.escape(title)}</figcaption>']
    if not bars:
        out.append("<p class=empty>none</p></figure>")
        return "".join(out)
    top = max(v for _, v in bars) or 1
    row = 18
    height = row * len(bars) + 10
    out.append(f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}">')
    for i, (label, v) in enumerate(bars):
        w = (width - 330) * v / top
        y = 5 + i * row
        out.append(f'<text x="0" y="{y + 12}" class=axis>{html_lib.escape(str(label))}</text>'
                   f'<rect x="250" y="{y}" width="{w:.1f}" height="{row - 4}" fill="#1f77b4"/>'
                   f'<text x="{255 + w:.1f}" y="{y + 12}" class=axis>{v:,.0f}{unit}</text>')
    out.append("</svg></figure>")
    return "".join(out)


def html(summary, timeline) -> str:
    sections = []
    fills_by_symbol = {}
    for f in summary.get("_fills", []):
        symbol = f.get("instrument", {}).get("symbol", "?")
        t = _time_ms(f.get("exchange_time_ns", 0))
        color = "#2ca02c" if f.get("side") in ("BUY", "SIDE_BUY") else "#d62728"
        try:
            fills_by_symbol.setdefault(symbol, []).append((t, float(f.get("price", 0)), color))
        except ValueError:
            pass
    symbols = sorted({s for _, s, _ in timeline.prices} | set(fills_by_symbol))
    for symbol in symbols:
        series = {f"{symbol} mid": [(t, p) for t, s, p in timeline.prices if s == symbol]}
        sections.append(_svg_lines(f"{symbol}: mid price with our fills (green buy, red sell)",
                                   series, points={"fills": fills_by_symbol.get(symbol, [])}))
    pnl_series = {
        "realized": [(t, float(r)) for t, r, _ in timeline.pnl],
        "unrealized": [(t, float(u)) for t, _, u in timeline.pnl],
    }
    sections.append(_svg_lines(f"PnL over time ({summary['pnl']['currency']})", pnl_series))
    pos_series = {}
    for t, symbol, qty in timeline.positions:
        pos_series.setdefault(symbol, []).append((t, float(qty)))
    sections.append(_svg_lines("Position over time", pos_series))
    for hop, v in summary["latency_us"].items():
        bounds, cumulative, count, _ = summary["_histograms"].get(hop, ([], [], 0, 0))
        bars, previous = [], 0.0
        for bound, c in zip(bounds, cumulative):
            label = "> last bound" if bound == float("inf") else f"<= {bound * 1e6:,.0f} us"
            if c - previous > 0:
                bars.append((label, c - previous))
            previous = c
        sections.append(_svg_bars(
            f"Latency histogram: {hop} ({int(count):,} samples; p50 {_fmt_latency(v['p50'])}, "
            f"p99 {_fmt_latency(v['p99'])}, p99.9 {_fmt_latency(v['p999'])} us)", bars))
    sections.append(_svg_bars("Refusals by reason",
                              sorted(summary["refusals_by_reason"].items(), key=lambda kv: -kv[1])))
    sections.append(_svg_bars("Alerts by type", sorted(summary["alerts_by_type"].items())))
    public = {k: v for k, v in summary.items() if not k.startswith("_")}
    return f"""<!doctype html>
<html lang=en><head><meta charset=utf-8><title>Tradeplane demo report</title>
<style>
body {{ font: 14px system-ui, sans-serif; margin: 2em auto; max-width: 900px; color: #222 }}
figure {{ margin: 1.5em 0 }} figcaption {{ font-weight: 600; margin-bottom: .3em }}
.axis, .legend {{ font: 11px monospace }} .empty {{ color: #888 }}
pre {{ background: #f6f6f6; padding: 1em; overflow-x: auto }}
</style></head><body>
<h1>Tradeplane demo</h1>
<pre>{html_lib.escape(text(summary))}</pre>
{''.join(sections)}
<h2>summary.json</h2>
<pre>{html_lib.escape(json.dumps(public, indent=2))}</pre>
</body></html>
"""
