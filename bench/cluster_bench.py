"""Seconds of ``kg build --no-cache`` without a cluster and on Dask clusters, and whether the
Turtle is the same.

Starts a ``dask scheduler`` and N ``dask worker`` processes (one thread each) on 127.0.0.1 and
times, each as a fresh ``kg build`` process: ``--jobs 1``, ``--jobs N``, ``--cluster local
--jobs N`` (starts and stops its workers), and ``--cluster tcp://…`` twice (cold workers that
still load the resources, then warm ones). Prints one line per run: wall seconds, the build's
own ``extract`` stage, and whether graph.ttl equals the first run's.

    python bench/cluster_bench.py [PATH ...] [--workers 2]      (default: seeds/)
"""
from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DASK = str(Path(sys.executable).parent / "dask")


def start_cluster(folder: Path, workers: int) -> tuple[str, list[subprocess.Popen]]:
    """A scheduler and ``workers`` single-threaded workers; (address, processes)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    file = folder / "scheduler.json"
    procs = [subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                               "--dashboard-address", "127.0.0.1:0", "--scheduler-file", str(file)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)]
    while not file.exists() or not file.read_text().strip():
        time.sleep(0.2)
    address = json.loads(file.read_text())["address"]
    procs += [subprocess.Popen([DASK, "worker", address, "--nthreads", "1", "--no-dashboard"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
              for _ in range(workers)]
    from distributed import Client

    with Client(address) as client:
        client.wait_for_workers(workers, timeout=120)
    return address, procs


def timed_build(paths: list[str], out: Path, *args: str) -> tuple[float, float, bytes]:
    """(wall seconds, extract seconds, graph.ttl) of one ``kg build`` process."""
    t0 = time.perf_counter()
    run = subprocess.run([sys.executable, "-c", "import cli; cli.main()", "build", *paths, "--out", str(out),
                          "--no-cache", *args], cwd=ROOT, capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)))
    wall = time.perf_counter() - t0
    if run.returncode:
        sys.exit(run.stderr)
    extract = float(re.search(r"extract ([\d.]+)", run.stderr).group(1))
    return wall, extract, (out / "graph.ttl").read_bytes()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", default=[str(ROOT / "seeds")])
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args()
    n = str(a.workers)
    with tempfile.TemporaryDirectory(prefix="kg-cluster-bench-") as tmp:
        address, procs = start_cluster(Path(tmp), a.workers)
        try:
            runs = [("--jobs 1", ["--jobs", "1"]), (f"--jobs {n}", ["--jobs", n]),
                    (f"--cluster local --jobs {n}", ["--cluster", "local", "--jobs", n]),
                    (f"--cluster tcp ({n} workers, cold)", ["--cluster", address]),
                    (f"--cluster tcp ({n} workers, warm)", ["--cluster", address])]
            first = None
            print(f"kg build {' '.join(a.paths)} --no-cache, load average {os.getloadavg()[0]:.1f}")
            for i, (name, args) in enumerate(runs):
                wall, extract, ttl = timed_build(a.paths, Path(tmp) / f"out{i}", *args)
                first = first if first is not None else ttl
                print(f"{name:34} {wall:6.1f} s wall, extract {extract:5.1f} s, "
                      f"graph.ttl {'identical' if ttl == first else 'DIFFERENT'}")
        finally:
            for p in reversed(procs):
                os.killpg(p.pid, signal.SIGTERM)
                p.wait(timeout=60)


if __name__ == "__main__":
    main()
