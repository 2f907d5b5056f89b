"""kg build --cluster against real Dask processes on 127.0.0.1: a ``dask scheduler`` and ``dask
worker`` processes (CI starts them and names the scheduler in $KG_TEST_DASK_SCHEDULER; without
it the tests start their own), a local cluster, a worker killed mid-build, an unreachable
scheduler and a worker of another extractor version. Nothing here skips."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from build_procs import Build

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
DASK = str(Path(sys.executable).parent / "dask")     # the venv's `dask` command


class DaskProcs:
    """A ``dask scheduler`` and ``dask worker`` processes on 127.0.0.1, each in its own session."""

    def __init__(self, folder: Path, workers: int, env: dict | None = None):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder, self.procs = folder, []
        self.file = folder / "scheduler.json"
        base = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
        self._start("scheduler", ["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                  "--dashboard-address", "127.0.0.1:0",
                                  "--scheduler-file", str(self.file)], base)
        self.address = self._wait_address()
        self.workers = [self._start(f"worker{i}", ["worker", self.address, "--nthreads", "1", "--no-nanny",
                                                   "--no-dashboard", "--host", "127.0.0.1"], {**base, **(env or {})})
                        for i in range(workers)]
        self.client().wait_for_workers(workers, timeout=90)

    def _start(self, name: str, args: list[str], env: dict) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "wb")
        proc = subprocess.Popen([DASK, *args], env=env, cwd=self.folder,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        self.procs.append(proc)
        return proc

    def _wait_address(self) -> str:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                return json.loads(self.file.read_text())["address"]
            except (OSError, ValueError, KeyError):
                assert self.procs[0].poll() is None, self.logs()
                time.sleep(0.2)
        raise AssertionError("no scheduler after 60 s: " + self.logs())

    def client(self):
        from distributed import Client

        if not hasattr(self, "_client"):
            self._client = Client(self.address, timeout=30)
        return self._client

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-1500:]}" for p in self.folder.glob("*.log"))

    def stop(self) -> None:
        if hasattr(self, "_client"):
            self._client.close()
        for proc in reversed(self.procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> bytes:
    """The seeds' Turtle built locally, without a cluster."""
    from kg.build import build

    out = tmp_path_factory.mktemp("local") / "out"
    build(SEEDS, out, html=False, cache=False)
    return (out / "graph.ttl").read_bytes()


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    """CI's scheduler ($KG_TEST_DASK_SCHEDULER), else one of our own with two workers."""
    if os.environ.get("KG_TEST_DASK_SCHEDULER"):
        from distributed import Client

        address = os.environ["KG_TEST_DASK_SCHEDULER"]
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address
        return
    procs = DaskProcs(tmp_path_factory.mktemp("dask"), 2)
    yield procs.address
    procs.stop()


def kg_build(out: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "import cli; cli.main()", "build", *map(str, SEEDS), "--out", str(out),
                           "--no-cache", "--quiet", *args], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, **(env or {})))


def test_a_build_on_a_scheduler_and_two_workers_is_byte_identical(scheduler, reference, tmp_path):
    run = kg_build(tmp_path / "out", "--cluster", scheduler)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "out" / "graph.ttl").read_bytes() == reference


def test_a_local_cluster_builds_the_same_turtle(reference, tmp_path):
    run = kg_build(tmp_path / "out", "--cluster", "local", "--jobs", "1")    # one worker process: cheaper
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "out" / "graph.ttl").read_bytes() == reference


def test_a_worker_killed_mid_build_changes_nothing(reference, tmp_path):
    procs = DaskProcs(tmp_path / "dask", 2, {"KG_TEST_PAUSE_AT": "cluster-task", "KG_TEST_PAUSE_SECONDS": "1"})
    build = None
    try:
        build = Build(tmp_path / "out", "--cluster", procs.address, paths=SEEDS)
        build.wait_for("[1/5]")
        client = procs.client()
        busy = {}
        deadline = time.monotonic() + 30
        while not busy and time.monotonic() < deadline:
            busy = {w: keys for w, keys in client.processing().items()
                    if any(str(k).startswith("kg-extract-") for k in keys)}
            time.sleep(0.05)
        victim = sorted(busy)[0]
        pid = client.run(os.getpid, workers=[victim])[victim]
        assert build.proc.poll() is None, "the build was over before the worker was killed"
        os.kill(pid, signal.SIGKILL)
        killed = next(p for p in procs.workers if p.pid == pid)
        assert killed.wait(timeout=10) == -signal.SIGKILL
        done_at_kill = len([ln for ln in build.lines if ln.startswith("[")])
        assert build.finish() == 0, "".join(build.lines) + procs.logs()
    finally:
        if build:
            build.stop()
        procs.stop()
    assert done_at_kill < 5 and len([ln for ln in build.lines if ln.startswith("[")]) == 5
    assert (tmp_path / "out" / "graph.ttl").read_bytes() == reference


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_scheduler_is_one_line_and_exit_1(tmp_path):
    address = f"tcp://127.0.0.1:{_free_port()}"
    run = kg_build(tmp_path / "out", "--cluster", address, env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"})
    assert run.returncode == 1
    assert run.stderr.startswith(f"error: cannot reach the Dask scheduler at {address}: ")
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    assert not (tmp_path / "out").exists()


def test_a_worker_of_another_extractor_version_is_refused(tmp_path):
    other = tmp_path / "other"
    shutil.copytree(ROOT / "kg", other / "kg", ignore=shutil.ignore_patterns("__pycache__"))
    with open(other / "kg" / "data" / "body_grammar.tsv", "a", encoding="utf-8") as fh:
        fh.write("# one more comment: another extractor version\n")
    procs = DaskProcs(tmp_path / "dask", 1, {"PYTHONPATH": str(other)})
    try:
        worker = next(iter(procs.client().scheduler_info()["workers"]))
        out = tmp_path / "out"
        out.mkdir()
        run = kg_build(out, "--cluster", procs.address)
    finally:
        procs.stop()
    assert run.returncode == 1
    assert run.stderr.startswith(f"error: worker(s) {worker} run extractor version ")
    assert run.stderr.count("\n") == 1 and "install the same kg on every worker" in run.stderr
    assert list(out.iterdir()) == []
