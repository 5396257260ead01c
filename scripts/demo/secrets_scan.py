"""Searches what a demo run produced (logs, metrics, the summary and the
report) for the secrets the run was given: admin tokens, the approval key,
the keystore passphrase, the venue API secret and the CURVE secret keys.
Any hit is a problem the demo reports; DESIGN: secrets never appear in logs,
metrics, traces or error messages."""

from pathlib import Path

# Shorter values could match by chance; every secret the demo makes is longer.
_MIN_SECRET_CHARS = 12


def secret_values(secrets_dir: Path):
    """{description: value} for every secret in the run's secrets directory."""
    out = {}

    def add(what, value):
        value = value.strip()
        if len(value) >= _MIN_SECRET_CHARS:
            out[what] = value

    for tokens in ("admin-tokens", "operator.token"):
        path = secrets_dir / tokens
        if path.exists():
            for line in path.read_text().splitlines():
                if ":" in line and not line.lstrip().startswith("#"):
                    name, secret = line.split(":", 1)
                    add(f"the admin token secret of '{name.strip()}'", secret)
    for name in ("approval.key", "keystore.passphrase", "venue-api.secret"):
        path = secrets_dir / name
        if path.exists():
            add(name, path.read_text())
    for curve in sorted(secrets_dir.glob("*.curve")):
        for line in curve.read_text().splitlines():
            if line.startswith("secret:"):
                add(f"the CURVE secret key in {curve.name}", line.split(":", 1)[1])
    return out


def scan(secrets_dir: Path, places):
    """`places`: {where: text}. Returns one line per secret found somewhere."""
    secrets = secret_values(secrets_dir)
    found = []
    for where, text in places.items():
        for what, value in secrets.items():
            if value in text:
                found.append(f"{what} appears in {where}")
    return found


def run_outputs(log_dir: Path, metrics_by_service, extra_files=()):
    """{where: text} of everything a run wrote that a person or a scraper reads."""
    places = {}
    for path in sorted(log_dir.glob("*")):
        if path.is_file():
            places[f"logs/{path.name}"] = path.read_text(errors="replace")
    for service, text in metrics_by_service.items():
        places[f"{service}'s /metrics"] = text
    for path in extra_files:
        if path.exists():
            places[path.name] = path.read_text(errors="replace")
    return places
