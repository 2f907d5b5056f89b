"""An interrupted build never leaves half an output: SIGKILL and SIGINT in the middle of a large
build (while extracting, and once it has started writing) leave every output file complete and
readable, and those not yet rewritten exactly as the previous build left them."""
from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Graph

from kg.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)

N = 60
OUTPUTS = ("graph.ttl", "graph.html", "report.md", "analysis.md", "analysis.json")


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    d = tmp_path_factory.mktemp("big")
    corpus.write_corpus(d, N, seed=11)
    return d


@pytest.fixture
def previous(tmp_path):
    out = tmp_path / "out"
    build([ROOT / "seeds" / "000_561553d2c6e7eabe.txt"], out)
    return out, {name: (out / name).read_bytes() for name in OUTPUTS}


def start(paths, out: Path, *extra: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.Popen([sys.executable, "-c", "import cli; cli.main()", "build", *map(str, paths),
                             "--out", str(out), "--no-cache", *extra],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_progress(proc: subprocess.Popen, k: int) -> None:
    """Read progress lines until the k-th article is being extracted."""
    for line in proc.stderr:
        if line.startswith(f"[{k}/"):
            return
    pytest.fail(f"the build ended before article {k}: exit {proc.wait()}")


def assert_readable(out: Path) -> None:
    Graph().parse(out / "graph.ttl", format="turtle")
    json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    assert (out / "graph.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert (out / "report.md").read_text(encoding="utf-8").startswith("# kg build report")
    assert (out / "analysis.md").read_text(encoding="utf-8").strip()


@pytest.mark.parametrize("sig,jobs", [(signal.SIGKILL, "1"), (signal.SIGINT, "2")])
def test_killed_while_extracting_leaves_previous_output(big, previous, sig, jobs):
    out, before = previous
    proc = start([big], out, "--jobs", jobs)
    wait_for_progress(proc, N // 2)
    proc.send_signal(sig)
    code = proc.wait(timeout=60)
    proc.stderr.close()
    proc.stdout.close()
    assert code == (-signal.SIGKILL if sig == signal.SIGKILL else 130)
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == before
    assert_readable(out)


def test_interrupted_while_writing_leaves_complete_files(big, previous):
    out, before = previous
    old_ttl = os.stat(out / "graph.ttl").st_ino
    proc = start([big], out, "--quiet", "--jobs", "2")
    deadline = time.monotonic() + 240
    while os.stat(out / "graph.ttl").st_ino == old_ttl:     # renamed into place: writing has begun
        assert proc.poll() is None and time.monotonic() < deadline, "the build never wrote graph.ttl"
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    code = proc.wait(timeout=60)
    proc.stderr.close()
    proc.stdout.close()
    assert code in (130, 0)
    assert (out / "graph.ttl").read_bytes() != before["graph.ttl"]     # the new graph, whole
    assert_readable(out)
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
