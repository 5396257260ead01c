"""Reading the Prometheus text format the services expose on /metrics."""

import math
import re

_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)')
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse(text: str):
    """[(name, {label: value}, float)] for every sample line."""
    samples = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = _SAMPLE.match(line)
        if not m:
            continue
        labels = dict(_LABEL.findall(m.group(3) or ""))
        try:
            value = float(m.group(4))
        except ValueError:
            continue
        samples.append((m.group(1), labels, value))
    return samples


def total(samples, name: str, **match) -> float:
    """The sum of every sample of `name` whose labels include `match`."""
    return sum(v for n, labels, v in samples
               if n == name and all(labels.get(k) == want for k, want in match.items()))


def by_label(samples, name: str, label: str):
    out = {}
    for n, labels, v in samples:
        if n == name and label in labels:
            out[labels[label]] = out.get(labels[label], 0) + v
    return out


def histogram(samples, name: str):
    """(upper bounds, cumulative counts, count, sum) summed over label sets."""
    buckets = {}
    count = 0.0
    total_sum = 0.0
    for n, labels, v in samples:
        if n == name + "_bucket":
            le = labels.get("le", "+Inf")
            bound = math.inf if le == "+Inf" else float(le)
            buckets[bound] = buckets.get(bound, 0) + v
        elif n == name + "_count":
            count += v
        elif n == name + "_sum":
            total_sum += v
    bounds = sorted(buckets)
    return bounds, [buckets[b] for b in bounds], count, total_sum


def quantile(hist, q: float):
    """The q-quantile by linear interpolation inside the bucket that holds it
    (as Prometheus' histogram_quantile does); None when there are no samples."""
    bounds, cumulative, count, _ = hist
    if count <= 0 or not bounds:
        return None
    rank = q * count
    previous_bound, previous_count = 0.0, 0.0
    for bound, c in zip(bounds, cumulative):
        if c >= rank:
            if math.isinf(bound):
                return previous_bound
            if c == previous_count:
                return bound
            return previous_bound + (bound - previous_bound) * (rank - previous_count) / (
                c - previous_count)
        previous_bound, previous_count = bound, c
    return bounds[-1] if not math.isinf(bounds[-1]) else previous_bound


def latency_us(hist):
    """{p50, p99, p999, count} in microseconds from a histogram in seconds."""
    out = {}
    for key, q in (("p50", 0.5), ("p99", 0.99), ("p999", 0.999)):
        v = quantile(hist, q)
        out[key] = None if v is None else round(v * 1e6, 1)
    out["count"] = int(hist[2])
    return out
