#!/usr/bin/env python3
"""The Prometheus rules and the Grafana dashboards use only metrics the code
registers, and hold together:

- the registered names are read from the sources at every run (so a renamed
  metric fails here, not silently in Grafana): every GetCounter, GetGauge and
  GetHistogram call in services/, libs/ and tools/ has its name argument
  resolved (a "tradeplane_..." literal, the services' MetricName(ServiceId,
  "what") and their local name()/Metric() helpers, or a variable set from
  one of these in the same file); a call whose name cannot be resolved fails
  the check, so a new way of naming metrics cannot hide metrics from it.
  Histograms add their _bucket, _sum and _count series;
- every metric named in an alert expression or a dashboard query is one of
  them (or Prometheus' own `up`); a __name__ regex matcher matches at least
  one; latency alerts and quantiles read histograms;
- every alert has a severity label (critical or warning), a summary and a
  description, and a `for:`; the alerts the monitoring issue asks for exist;
- every dashboard is valid JSON with a unique uid and unique panel ids, uses
  a provisioned datasource; docker-compose.yml mounts docker/prometheus and
  docker/grafana paths that exist and names a home dashboard that exists;
  docs/reference/monitoring.md names every alert and dashboard.

    check_monitoring.py SOURCE_DIR [--exposition FILE]

With --exposition, also checks that every tradeplane_ family in a scraped
/metrics text is one the extractor found (the extractor against a real
process).
"""

import json
import re
import sys
from pathlib import Path

import yaml

REQUIRED_ALERTS = {
    "KillSwitchEngaged",
    "CircuitBreakerTripped",
    "StaleMarketData",
    "ReconciliationBreakOpen",
    "SignerRefusalsSpike",
    "LatencyP99OverBudget",
}
SEVERITIES = {"critical", "warning"}
# Series Prometheus makes itself.
BUILTIN_SERIES = {"up"}

PROMQL_KEYWORDS = {
    "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless",
    "offset", "bool", "inf", "nan", "atan2",
}

GET_CALL = re.compile(r"\bGet(Counter|Gauge|Histogram)\s*\(")
METRIC_NAME_CALL = re.compile(r'MetricName\s*\(\s*([A-Za-z_:]+)\s*,\s*"([a-z0-9_]+)"\s*\)')
HELPER_DEF = re.compile(
    r"(?:auto\s+(\w+)\s*=\s*\[[^\]]*\]\s*\(\s*std::string_view\s+\w+\s*\)"
    r"|std::string\s+(\w+)\s*\(\s*std::string_view\s+\w+\s*\))"
    r"\s*\{\s*return\s+(?:service::)?MetricName\s*\(\s*ServiceId::(k\w+)\s*,\s*\w+\s*\)\s*;",
)


def service_names(src):
    """ServiceId enumerator -> metric prefix, from the port plan's table."""
    text = (src / "libs/core/src/port_plan.cpp").read_text()
    pairs = re.findall(r'\{\s*ServiceId::(k\w+)\s*,\s*"([a-z-]+)"\s*\}', text)
    if not pairs:
        raise SystemExit("port_plan.cpp: no ServiceId names found (the extractor needs updating)")
    return {k: "tradeplane_" + n.replace("-", "_") + "_" for k, n in pairs}


def first_argument(text, start):
    """The text of the first argument of the call whose '(' is at start-1."""
    depth, i = 0, start
    while i < len(text):
        c = text[i]
        if c == '"':
            i = text.index('"', i + 1)
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                return text[start:i]
            depth -= 1
        elif c == "," and depth == 0:
            return text[start:i]
        i += 1
    return text[start:]


def resolve(expr, text, helpers, prefixes, depth=0):
    """The metric names an expression can evaluate to, or None."""
    expr = " ".join(expr.split())
    if m := re.fullmatch(r'"(tradeplane_[a-z0-9_]+)"', expr):
        return {m.group(1)}
    if m := re.fullmatch(r'(?:service::)?MetricName\s*\(\s*([\w:]+)\s*,\s*"([a-z0-9_]+)"\s*\)', expr):
        service, what = m.groups()
        if service.startswith("ServiceId::"):
            key = service.split("::")[1]
            return {prefixes[key] + what} if key in prefixes else None
        return {p + what for p in prefixes.values()}  # a variable id: any service
    if m := re.fullmatch(r'(\w+)\s*\(\s*"([a-z0-9_]+)"\s*\)', expr):
        helper, what = m.groups()
        if helper in helpers:
            return {helpers[helper] + what}
        return None
    if depth < 3 and re.fullmatch(r"[A-Za-z_]\w*", expr):
        # A variable or member set in the same file: `x = EXPR;`, `T x = EXPR;`
        # or a member initializer `x_(EXPR)`.
        found = set()
        for m in re.finditer(rf"\b{re.escape(expr)}\s*(=(?!=)|\()", text):
            start = m.end()
            if m.group(1).startswith("="):
                end = text.index(";", start)
                value = text[start:end]
            else:
                value = first_argument(text, start)
            names = resolve(value, text, helpers, prefixes, depth + 1)
            if names:
                found |= names
        return found or None
    return None


def registered_metrics(src):
    """{series name: kind} for every metric the sources register."""
    prefixes = service_names(src)
    series, problems = {}, []
    files = [
        f
        for d in ("services", "libs", "tools")
        for f in sorted((src / d).rglob("*"))
        if f.suffix in (".cpp", ".h", ".cc") and f.is_file()
    ]
    for f in files:
        if f.name in ("metrics.cpp", "metrics.h") and "libs/telemetry" in f.as_posix():
            continue  # the registry itself: its Get* take `name` as a parameter
        text = f.read_text(errors="replace")
        if not GET_CALL.search(text):
            continue
        helpers = {}
        for m in HELPER_DEF.finditer(text):
            name = m.group(1) or m.group(2)
            if m.group(3) in prefixes:
                helpers[name] = prefixes[m.group(3)]
        for m in GET_CALL.finditer(text):
            kind = m.group(1).lower()
            arg = first_argument(text, m.end())
            names = resolve(arg, text, helpers, prefixes)
            line = text.count("\n", 0, m.start()) + 1
            if not names:
                problems.append(
                    f"{f.relative_to(src)}:{line}: cannot resolve the metric name {arg.strip()!r} "
                    "(extend check_monitoring.py's resolve())"
                )
                continue
            for n in names:
                if kind == "histogram":
                    for suffix in ("_bucket", "_sum", "_count"):
                        series[n + suffix] = "histogram"
                series.setdefault(n, kind)
    return series, problems


def strip_strings(expr):
    return re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)


def metrics_in(expr):
    """(metric names, __name__ matchers) of a PromQL expression."""
    name_matchers = re.findall(r'__name__\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"', expr)
    e = strip_strings(expr)
    e = re.sub(r"\{[^}]*\}", " ", e)  # label matchers
    e = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", e)
    e = re.sub(r"\[[^\]]*\]", " ", e)  # range and subquery windows
    names = set()
    for m in re.finditer(r"(?<![\w.])([A-Za-z_:][A-Za-z0-9_:]*)(\s*\()?", e):
        token, call = m.group(1), m.group(2)
        if call or token.lower() in PROMQL_KEYWORDS:
            continue
        names.add(token)
    return names, name_matchers


def check_expr(where, expr, registered, problems):
    names, matchers = metrics_in(expr)
    for n in sorted(names):
        if n not in registered and n not in BUILTIN_SERIES:
            problems.append(f"{where}: {n} is not a metric the code registers")
    for op, value in matchers:
        if op in ("=", "!="):
            ok = value in registered
        else:
            ok = any(re.fullmatch(value, r) for r in registered)
        if not ok:
            problems.append(f"{where}: __name__{op}\"{value}\" matches no registered metric")
    for m in re.finditer(r"histogram_quantile\s*\(", expr):
        used, _ = metrics_in(expr[m.end():])
        if not any(registered.get(n) == "histogram" and n.endswith("_bucket") for n in used):
            problems.append(f"{where}: histogram_quantile over no registered histogram _bucket series")
    return names


def check_rules(src, registered, problems):
    config_path = src / "docker/prometheus/prometheus.yml"
    config = yaml.safe_load(config_path.read_text())
    rule_files = sorted(
        f for pattern in config.get("rule_files") or [] for f in config_path.parent.glob(pattern)
    )
    if not rule_files:
        problems.append("docker/prometheus/prometheus.yml: rule_files matches no file")
    alerts = set()
    for f in rule_files:
        rel = f.relative_to(src)
        for group in yaml.safe_load(f.read_text())["groups"]:
            for rule in group["rules"]:
                name = rule.get("alert") or rule.get("record")
                where = f"{rel}: {name}"
                check_expr(where, str(rule["expr"]), registered, problems)
                if "record" in rule:
                    registered[rule["record"]] = "recording rule"
                    continue
                alerts.add(name)
                if "for" not in rule:
                    problems.append(f"{where}: no `for:`")
                if (rule.get("labels") or {}).get("severity") not in SEVERITIES:
                    problems.append(f"{where}: severity label not one of {sorted(SEVERITIES)}")
                annotations = rule.get("annotations") or {}
                for key in ("summary", "description"):
                    if not str(annotations.get(key, "")).strip():
                        problems.append(f"{where}: no {key} annotation")
                if name == "LatencyP99OverBudget" and not (rule.get("labels") or {}).get("hop"):
                    problems.append(f"{where}: a latency alert names its hop in a `hop` label")
    for missing in sorted(REQUIRED_ALERTS - alerts):
        problems.append(f"rules: no alert {missing}")
    return alerts


def panels_of(dashboard):
    for p in dashboard.get("panels", []):
        yield p
        yield from p.get("panels", [])  # collapsed rows hold their panels


def check_dashboards(src, registered, problems):
    board_dir = src / "docker/grafana/dashboards"
    datasources = yaml.safe_load(
        (src / "docker/grafana/provisioning/datasources/datasources.yaml").read_text()
    )["datasources"]
    datasource_uids = {d["uid"] for d in datasources}
    titles, uids = {}, set()
    files = sorted(board_dir.glob("*.json"))
    if not files:
        problems.append("docker/grafana/dashboards: no dashboard")
    for f in files:
        rel = f.relative_to(src)
        try:
            board = json.loads(f.read_text())
        except json.JSONDecodeError as e:
            problems.append(f"{rel}: invalid JSON: {e}")
            continue
        uid = board.get("uid")
        if not uid or uid in uids:
            problems.append(f"{rel}: uid {uid!r} missing or used by another dashboard")
        uids.add(uid)
        titles[uid] = board.get("title", "")
        ids = []
        queries = 0
        for p in panels_of(board):
            ids.append(p.get("id"))
            ds = p.get("datasource")
            if ds and ds.get("uid") not in datasource_uids:
                problems.append(f"{rel}: panel {p.get('id')} uses datasource {ds.get('uid')!r}, not provisioned")
            if "gridPos" not in p:
                problems.append(f"{rel}: panel {p.get('id')} has no gridPos")
            for t in p.get("targets", []):
                queries += 1
                check_expr(f"{rel}: panel {p.get('id')} ({p.get('title')})", t.get("expr", ""),
                           registered, problems)
        duplicates = sorted({i for i in ids if ids.count(i) > 1}, key=str)
        if None in ids or duplicates:
            problems.append(f"{rel}: panel ids missing or repeated: {duplicates}")
        if queries == 0:
            problems.append(f"{rel}: no query")
    compose = (src / "docker-compose.yml").read_text()
    for mount in re.findall(r"^\s*-\s*\./(docker/(?:prometheus|grafana)[^:]*):", compose, re.M):
        if not (src / mount).exists():
            problems.append(f"docker-compose.yml mounts ./{mount}, which does not exist")
    if "./docker/prometheus:/etc/prometheus" not in compose:
        problems.append("docker-compose.yml does not mount ./docker/prometheus at /etc/prometheus")
    for home in re.findall(r"GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH:\s*(\S+)", compose):
        if not (board_dir / Path(home).name).is_file():
            problems.append(f"docker-compose.yml: home dashboard {home} is not in docker/grafana/dashboards")
    return titles


def check_docs(src, alerts, dashboards, problems):
    page = src / "docs/reference/monitoring.md"
    if not page.is_file():
        problems.append("docs/reference/monitoring.md is missing")
        return
    text = page.read_text()
    for a in sorted(alerts):
        if f"`{a}`" not in text:
            problems.append(f"docs/reference/monitoring.md: alert {a} is not listed")
    for uid, title in sorted(dashboards.items()):
        if title not in text:
            problems.append(f"docs/reference/monitoring.md: dashboard {title!r} is not listed")


def exposition_families(path):
    families = set()
    for line in Path(path).read_text().splitlines():
        if line.startswith("# TYPE "):
            families.add(line.split()[2])
    return families


def main(argv):
    if len(argv) not in (2, 4) or (len(argv) == 4 and argv[2] != "--exposition"):
        print(__doc__)
        return 2
    src = Path(argv[1]).resolve()
    registered, problems = registered_metrics(src)
    print(f"{len(registered)} series registered by the sources")
    if len(argv) == 4:
        families = {f for f in exposition_families(argv[3]) if f.startswith("tradeplane_")}
        if not families:
            problems.append(f"{argv[3]}: no tradeplane_ metric in the exposition")
        for f in sorted(families - set(registered)):
            problems.append(f"{argv[3]}: {f} is exposed but the extractor did not find it")
        if not problems:
            print(f"{len(families)} tradeplane_ families exposed, all found by the extractor")
    else:
        alerts = check_rules(src, registered, problems)
        dashboards = check_dashboards(src, registered, problems)
        check_docs(src, alerts, dashboards, problems)
        print(f"{len(alerts)} alerts and {len(dashboards)} dashboards checked")
    for p in problems:
        print("FAIL:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
