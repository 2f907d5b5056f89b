"""Progress (kg/progress.py): short plain lines when stderr is not a terminal (a pipe, a log, CI),
a rich progress display on a terminal, nothing when disabled."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from rich.console import Console

from kg.analysis.analyze import STEPS
from kg.progress import Progress

ROOT = Path(__file__).resolve().parent.parent


def _run(console: Console, enabled: bool = True) -> None:
    with Progress(enabled=enabled, console=console) as bar:
        count = bar.counter("extract", min_total=2)
        count(1, 1, "alone.txt")                  # below min_total: not shown
        count(1, 2, "甲.txt")
        count(2, 2, "乙.txt")
        step = bar.steps("analysis", ["network", "communities"])
        step("network")
        step("communities")


def test_plain_lines_without_a_terminal():
    buf = io.StringIO()
    _run(Console(file=buf))
    assert buf.getvalue().splitlines() == ["[1/2] 甲.txt", "[2/2] 乙.txt",
                                           "analysis: network (1/2)", "analysis: communities (2/2)"]


def test_rich_progress_on_a_terminal():
    buf = io.StringIO()
    _run(Console(file=buf, force_terminal=True, width=100, color_system="standard"))
    out = buf.getvalue()
    assert "\x1b[" in out and "━" in out              # drawn with control codes and bars
    assert "2/2" in out and "乙.txt" in out and "communities" in out
    assert "[1/2] 甲.txt" not in out                  # not the plain lines


def test_disabled_shows_nothing():
    for console in (Console(file=io.StringIO()), Console(file=io.StringIO(), force_terminal=True)):
        _run(console, enabled=False)
        assert console.file.getvalue() == ""


def test_kg_analyze_piped_prints_plain_step_lines(tmp_path):
    """A real process with stderr on a pipe, FORCE_COLOR set as some CI runners do: plain lines."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), FORCE_COLOR="1")
    r = subprocess.run([sys.executable, str(ROOT / "cli.py"), "analyze", "--graph", str(ROOT / "output" / "graph.ttl"),
                        "--out", str(tmp_path)], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines() == [f"analysis: {s} ({i}/{len(STEPS)})" for i, s in enumerate(STEPS, 1)]
    assert "\x1b" not in r.stderr + r.stdout
    assert (tmp_path / "analysis.json").read_bytes() == (ROOT / "output" / "analysis.json").read_bytes()
