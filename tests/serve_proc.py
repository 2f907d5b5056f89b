"""Start a real ``kg serve`` process on 127.0.0.1 (a free port) for the endpoint tests, and find
its query worker processes in /proc."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRAPH_TTL = ROOT / "output" / "graph.ttl"


class Served:
    """A running ``kg serve``: ``base`` URL, ``port``, ``proc``, its stderr lines in ``log``."""

    def __init__(self, proc: subprocess.Popen, port: int, log: list[str]):
        self.proc, self.port, self.log = proc, port, log
        self.base = f"http://127.0.0.1:{port}"

    def workers(self) -> list[int]:
        return children(self.proc.pid)

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait(timeout=10)


def run_kg(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "import cli; cli.main()", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def start_serve(*args: str, wait: float = 90) -> Served:
    """``kg serve --port 0 -q ARGS`` in its own process group; returns once it listens."""
    proc = subprocess.Popen([sys.executable, "-c", "import cli; cli.main()", "serve", "--port", "0", "-q", *args],
                            cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    log: list[str] = []
    found = threading.Event()

    def drain():                     # keep reading, so the server never blocks on a full pipe
        for line in proc.stderr:
            log.append(line)
            if "serving" in line:
                found.set()
        found.set()

    threading.Thread(target=drain, daemon=True).start()
    found.wait(wait)
    banner = next((ln for ln in log if "serving" in ln), None)
    if banner is None:
        Served(proc, 0, log).stop()
        raise RuntimeError("kg serve did not start: " + "".join(log)[-2000:])
    port = int(banner.split("http://127.0.0.1:")[1].split("/")[0])
    return Served(proc, port, log)


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (zombies excluded)."""
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                stat = Path(f"/proc/{d}/stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                out.append(int(d))
    return out


def cpu_ticks(pid: int) -> int | None:
    """User + system CPU ticks of a live process (None once it is gone or a zombie)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return None if fields[0] == "Z" else int(fields[11]) + int(fields[12])


def wait_until(cond, seconds: float, step: float = 0.05) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(step)
    return cond()
