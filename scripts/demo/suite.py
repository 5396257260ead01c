"""Starting and stopping the suite's processes for the demo.

Every process the demo starts is recorded here, so that one call stops them
all (on success, on an error, on Ctrl-C) and nothing is left behind.
"""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


class DemoError(Exception):
    """A step of the demo failed; the message says which and why."""


class Suite:
    def __init__(self, root: Path, bin_dir: Path, run_dir: Path):
        self.root = root
        self.bin_dir = bin_dir
        self.run_dir = run_dir
        self.log_dir = run_dir / "logs"
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.processes = []  # (name, Popen), in start order
        self.pg_dir = None

    # --- binaries and commands ------------------------------------------------
    def binary(self, name: str) -> str:
        path = self.bin_dir / name
        if not os.access(path, os.X_OK):
            raise DemoError(f"{path} is missing: build first (make release)")
        return str(path)

    def run(self, argv, env=None, stdin=None, check=True, timeout=120):
        merged = dict(os.environ)
        merged.update(env or {})
        r = subprocess.run(argv, cwd=self.run_dir, env=merged, stdin=stdin,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=timeout)
        if check and r.returncode != 0:
            raise DemoError(f"{' '.join(map(str, argv))} failed ({r.returncode}):\n{r.stdout}")
        return r

    def tradectl(self, *args, check=True, output="json"):
        argv = [self.binary("tradectl"), "--token-file", str(self.run_dir / "secrets/operator.token"),
                "-o", output, *args]
        r = self.run(argv, check=check, timeout=30)
        if output != "json" or r.returncode != 0:
            return r
        try:
            return json.loads(r.stdout) if r.stdout.strip() else {}
        except json.JSONDecodeError as e:
            raise DemoError(f"tradectl {' '.join(args)}: output is not JSON ({e}):\n{r.stdout}")

    # --- PostgreSQL -------------------------------------------------------------
    def start_postgres(self) -> str:
        self.pg_dir = self.run_dir / "pg"
        script = str(self.root / "scripts/pg-local.sh")
        self.run([script, "start", str(self.pg_dir)], timeout=120)
        env = self.run([script, "env", str(self.pg_dir)]).stdout
        for line in env.splitlines():
            if line.startswith("TRADEPLANE_PG_CONNINFO="):
                return line.split("=", 1)[1].strip().strip("'\"")
        raise DemoError(f"pg-local.sh env printed no TRADEPLANE_PG_CONNINFO:\n{env}")

    def psql(self, conninfo: str, sql: str):
        """Rows of a query, as lists of strings."""
        r = self.run(["psql", "-d", conninfo, "-v", "ON_ERROR_STOP=1", "-At", "-F", "\t",
                      "-c", sql], check=False, timeout=60)
        if r.returncode != 0:
            raise DemoError(f"query failed: {sql}\n{r.stdout}")
        return [line.split("\t") for line in r.stdout.splitlines() if line]

    # --- processes ----------------------------------------------------------------
    def start(self, name: str, argv, env=None):
        merged = dict(os.environ)
        merged.update(env or {})
        log = open(self.log_dir / f"{name}.out", "a")  # a restart appends
        p = subprocess.Popen(argv, cwd=self.run_dir, env=merged, stdout=log,
                             stderr=subprocess.STDOUT, start_new_session=True)
        # A restart takes its predecessor's place, so stop_all keeps the
        # dependency order (execution stops before the signer it calls).
        for i, (n, old) in enumerate(self.processes):
            if n == name and old is None:
                self.processes[i] = (name, p)
                return p
        self.processes.append((name, p))
        return p

    def kill(self, name: str):
        """SIGKILL to the process's group, as a crash would do, and forgets it."""
        for i, (n, p) in enumerate(self.processes):
            if n == name and p is not None and p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
                self.processes[i] = (name, None)  # its slot, for the restart
                return
        raise DemoError(f"{name} is not running: nothing to kill")

    def running(self):
        """(name, process) of everything started and not killed."""
        return [(n, p) for n, p in self.processes if p is not None]

    def check_alive(self):
        for name, p in self.running():
            if p.poll() is not None:
                tail = (self.log_dir / f"{name}.out").read_text(errors="replace")[-3000:]
                raise DemoError(f"{name} exited with {p.returncode}; its last output:\n{tail}")

    def memory_kib(self):
        """Resident memory of each process now and at its peak (VmRSS and
        VmHWM from /proc, in KiB); a process that is gone is left out."""
        out = {}
        for name, p in self.running():
            try:
                status = Path(f"/proc/{p.pid}/status").read_text()
            except OSError:
                continue
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            try:
                out[name] = {"rss": int(fields["VmRSS"].split()[0]),
                             "peak": int(fields["VmHWM"].split()[0])}
            except (KeyError, ValueError, IndexError):
                continue
        return out

    def wait_ready(self, name: str, service: str, timeout_s: float = 60):
        """Waits until the service's gRPC health says SERVING (tradectl status)."""
        deadline = time.monotonic() + timeout_s
        last = ""
        while time.monotonic() < deadline:
            self.check_alive()
            r = self.tradectl("--service", service, "status", check=False)
            if isinstance(r, dict) and r.get("ready"):
                return r
            last = r.stdout if hasattr(r, "stdout") else json.dumps(r)
            time.sleep(0.2)
        raise DemoError(f"{name} was not ready within {timeout_s:.0f} s; last status:\n{last}")

    def stop_all(self):
        """Stops the processes one by one, the last started first: each stops
        while what it depends on (execution on the signer and the venue) is
        still there, as an operator would shut the suite down."""
        for name, p in reversed(self.running()):
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                print(f"demo: {name} ignored SIGTERM for 10 s: killing it", file=sys.stderr)
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                p.wait()
        self.processes.clear()
        if self.pg_dir is not None:
            subprocess.run([str(self.root / "scripts/pg-local.sh"), "stop", str(self.pg_dir)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.pg_dir = None


def http_get_json(url: str, timeout: float = 5.0):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.loads(r.read().decode())


def http_post(url: str, timeout: float = 5.0):
    req = urllib.request.Request(url, data=b"", method="POST")
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.read().decode()


def metrics_text(port: int) -> str:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
            return r.read().decode()
    except (urllib.error.URLError, OSError):
        return ""
