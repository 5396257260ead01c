"""The demo's service configs, derived from deploy/demo/backtest.yaml.

One source of truth: the instruments, strategies, limits, fees and balances
the backtest runs with are the ones the multi-process suite runs with (the
parity test depends on it). The backtest trades on the in-process `sim`
venue (instrument venue SIM); the suite trades on the venue simulator through
the Binance adapter, so instrument ids move to venue BINANCE.
"""

import copy
import time
from pathlib import Path

import yaml

# The port plan (docs/ports.md).
PORTS = {
    "market-data": {"admin": 7190, "metrics": 7191},
    "signal": {"admin": 7290, "metrics": 7291},
    "risk": {"admin": 7390, "metrics": 7391},
    "execution": {"admin": 7490, "metrics": 7491},
    "signer": {"admin": 7590, "metrics": 7591},
    "sentinel": {"admin": 7690, "metrics": 7691},
    "reconciler": {"admin": 7790, "metrics": 7791},
    "venue-sim": {"admin": 7890, "metrics": 7891, "rest": 7800, "ws": 7801, "control": 7802},
}
# Binance API keys are 64 letters and digits.
VENUE_API_KEY = "TradeplaneDemoKey" + "0" * 47
VENUE_KEY_ID = "venue-sim"


def _to_binance(node):
    """Every instrument id on venue SIM moves to BINANCE (recursively)."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "venue" and v == "SIM":
                out[k] = "BINANCE"
            else:
                out[k] = _to_binance(v)
        return out
    if isinstance(node, list):
        return [_to_binance(v) for v in node]
    return node


class DemoConfigs:
    def __init__(self, root: Path, run_dir: Path, conninfo: str, speed: float,
                 otlp_endpoint: str = ""):
        self.root = root
        self.otlp_endpoint = otlp_endpoint
        self.run_dir = run_dir
        self.conninfo = conninfo
        self.speed = speed
        source = root / "deploy/demo/backtest.yaml"
        with open(source) as f:
            self.backtest = yaml.safe_load(f)
        self.suite = _to_binance(copy.deepcopy(self.backtest))
        self.symbols = [i["id"]["symbol"] for i in self.suite["instruments"]]

    def _common(self, name, store=True):
        common = {
            "admin": {"token_file": "secrets/admin-tokens"},
            "telemetry": {"log_file": f"logs/{name}.log", "log_level": "info"},
        }
        if self.otlp_endpoint:
            # Every span: the demo is small, and its report shows the slowest order.
            common["telemetry"]["tracing"] = {"enabled": True, "otlp_endpoint": self.otlp_endpoint,
                                              "protocol": "http", "sample_ratio": 1.0}
        if store:
            common["store"] = {"conninfo": self.conninfo, "pool_size": 2}
        return common

    def _signer_client(self, name):
        return {
            "socket": {
                "endpoint": "tcp://127.0.0.1:7500",
                "curve": {"enabled": True, "key_pair_file": f"secrets/{name}.curve",
                          "server_public_key_file": "secrets/signer.curve"},
            },
            "timeout_ms": 5000,
        }

    def _venue(self):
        return {
            "kind": "BINANCE",
            "venue": "BINANCE",
            "rest_url": f"http://127.0.0.1:{PORTS['venue-sim']['rest']}",
            "ws_url": f"ws://127.0.0.1:{PORTS['venue-sim']['ws']}",
            "key_id": VENUE_KEY_ID,
            "recv_window_ms": 5000,
            "timeout_ms": 5000,
        }

    def venue_sim(self):
        replays = []
        for r in self.backtest["replays"]:
            replay = {k: v for k, v in r.items() if k != "instrument"}
            for key in ("file", "snapshot_file"):
                if key in replay:
                    replay[key] = str((self.root / "deploy/demo" / replay[key]).resolve())
            if r["format"] == "LOBSTER":
                replay["instrument"] = {"symbol": r["instrument"]["symbol"]}
            replay["speed"] = "REAL_TIME"
            replay["speed_multiplier"] = self.speed
            replays.append(replay)
        instruments = []
        for i in self.backtest["instruments"]:
            inst = copy.deepcopy(i)
            inst["id"] = {"symbol": i["id"]["symbol"]}
            instruments.append(inst)
        return {
            "common": self._common("venue-sim", store=False),
            "replays": replays,
            "instruments": instruments,
            "maker_fee_bps": int(self.backtest.get("maker_fee_bps", 0)),
            "taker_fee_bps": int(self.backtest.get("taker_fee_bps", 0)),
            "latency_us": int(self.backtest.get("latency_us", 0)),
            "lockstep": True,
            # The timeline starts at the wall clock (not at the recordings'
            # dates): the services' own clocks, staleness checks and bar
            # timers then see market data of today, as in live trading.
            "sim_start_time_ns": time.time_ns(),
            "api_key_dir": "secrets",
            "api_keys": {VENUE_API_KEY: "venue-api.secret"},
            "initial_balances": self.backtest.get("initial_balances", {}),
        }

    def signer(self):
        return {
            "common": self._common("signer"),
            "server": {
                "endpoint": "tcp://*:7500",
                "curve": {"enabled": True, "key_pair_file": "secrets/signer.curve",
                          "allowed_clients_file": "secrets/signer-clients"},
            },
            "keystore": "secrets/signer.keystore",
            "passphrase_file": "secrets/keystore.passphrase",
        }

    def signer_policy(self):
        return {
            "allowed_venues": ["BINANCE"],
            "allowed_kinds": ["ORDER", "CANCEL", "QUERY", "USER_STREAM"],
            "allowed_symbols": self.symbols,
            "max_notional_per_request": "250000",
            "max_timestamp_skew_ms": 60000,
        }

    def risk(self):
        return {
            "common": self._common("risk"),
            "limits": self.suite["limits"],
            "approval_key_file": "secrets/approval.key",
        }

    def execution(self):
        return {
            "common": self._common("execution"),
            "signer": self._signer_client("execution"),
            "venue": self._venue(),
            "approval_key_file": "secrets/approval.key",
            "require_clean_reconciliation": True,
            "instruments": self.suite["instruments"],
        }

    def reconciler(self):
        return {
            "common": self._common("reconciler"),
            "execution": {"socket": {"endpoint": "tcp://127.0.0.1:7400"}, "timeout_ms": 5000},
            "signer": self._signer_client("reconciler"),
            "venue": self._venue(),
            "interval_s": 10,
            "unknown_order_policy": "CANCEL",
            "ingest_missed_fills": True,
            "risk_admin_target": f"127.0.0.1:{PORTS['risk']['admin']}",
            "risk_admin_token_file": "secrets/operator.token",
        }

    def sentinel(self):
        config = {
            "common": self._common("sentinel"),
            "risk_admin_target": f"127.0.0.1:{PORTS['risk']['admin']}",
            "risk_admin_token_file": "secrets/operator.token",
            "instruments": self.suite["instruments"],
        }
        if "detectors" in self.suite:
            config["detectors"] = self.suite["detectors"]
        return config

    def signal(self):
        return {
            "common": self._common("signal"),
            "strategies": self.suite["strategies"],
            "instruments": self.suite["instruments"],
        }

    def market_data(self):
        return {
            "common": self._common("market-data"),
            "instruments": self.suite["instruments"],
            "feeds": [{"binance": {
                "venue": "BINANCE",
                "ws_url": f"ws://127.0.0.1:{PORTS['venue-sim']['ws']}",
                "rest_url": f"http://127.0.0.1:{PORTS['venue-sim']['rest']}",
                "symbols": self.symbols,
            }}],
            "bar_intervals_s": self.suite.get("bar_intervals_s", [60]),
        }

    def write_all(self):
        """Writes every config into the run directory; returns {name: path}."""
        paths = {}
        for name, make in (("venue-sim", self.venue_sim), ("signer", self.signer),
                           ("risk", self.risk), ("execution", self.execution),
                           ("reconciler", self.reconciler), ("sentinel", self.sentinel),
                           ("signal", self.signal), ("market-data", self.market_data)):
            path = self.run_dir / f"{name}.yaml"
            with open(path, "w") as f:
                f.write(f"# Generated by scripts/demo.sh from deploy/demo/backtest.yaml.\n")
                yaml.safe_dump(make(), f, sort_keys=False)
            paths[name] = path
        policy = self.run_dir / "secrets/venue-sim.policy.yaml"
        with open(policy, "w") as f:
            yaml.safe_dump(self.signer_policy(), f, sort_keys=False)
        paths["signer-policy"] = policy
        return paths
