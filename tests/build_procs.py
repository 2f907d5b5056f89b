"""Test helpers for builds run as real processes: start ``kg build``, read its stderr until a
line, stop it, and check that an output folder is exactly one build (``kg.outputs.folder.check``)."""
from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from kg.outputs.folder import check, current_build
from kg.build import OUTPUTS, build

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
OLD_INPUT = [SEEDS[0]]                 # the previous build
NEW_INPUT = [SEEDS[1], SEEDS[2]]       # the build that gets interrupted: two articles, so progress lines


def _default_sigint() -> None:
    """Ctrl-C as at a terminal, whatever the test run inherited: a shell starting a job in the
    background (``cmd &`` without job control) ignores SIGINT for it, and a Python started with
    SIGINT ignored never raises KeyboardInterrupt, so these tests would see the build finish."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Build:
    """A ``kg build`` process whose stderr is read line by line in a thread."""

    def __init__(self, out: Path, *extra: str, paths=NEW_INPUT, pause: str | None = None,
                 pause_seconds: float = 60):
        env = dict(os.environ, PYTHONUNBUFFERED="1", KG_TEST_PAUSE_SECONDS=str(pause_seconds))
        env.pop("KG_TEST_PAUSE_AT", None)
        if pause:
            env["KG_TEST_PAUSE_AT"] = pause
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "import cli; cli.main()", "build", *map(str, paths), "--out", str(out),
             "--no-cache", *extra],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=True, preexec_fn=_default_sigint)
        self.lines: list[str] = []
        self._q: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            self._q.put(line)
        self._q.put(None)

    def wait_for(self, prefix: str, timeout: float = 120) -> None:
        """Read stderr until a line starting with ``prefix``; fail if the build ends first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._q.get(timeout=1)
            except queue.Empty:
                continue
            if line is None:
                raise AssertionError(f"the build ended (exit {self.proc.wait()}) before {prefix!r}: "
                                     + "".join(self.lines))
            self.lines.append(line)
            if line.startswith(prefix):
                return
        raise AssertionError(f"no {prefix!r} within {timeout}s: " + "".join(self.lines))

    def interrupt(self, sig: int) -> int:
        """Send ``sig`` to a build that is still running; its exit status."""
        assert self.proc.poll() is None, "the build was no longer running when the signal was sent"
        self.proc.send_signal(sig)
        return self.finish()

    def finish(self, timeout: float = 120) -> int:
        code = self.proc.wait(timeout=timeout)
        self.stdout = self.proc.stdout.read()
        self.proc.stdout.close()
        while (line := self._q.get(timeout=10)) is not None:
            self.lines.append(line)
        return code

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)

    @property
    def stderr(self) -> str:
        return "".join(self.lines)


def assert_one_build(out: Path, build_id: str) -> None:
    """``out`` shows exactly the build ``build_id``: every output's sha256 and size as its
    build.json says, nothing else among the output names."""
    assert check(out, OUTPUTS) == []
    assert current_build(out)["build"] == build_id


def old_build(template: Path, out: Path) -> str:
    """Copy the folder of a finished build to ``out``; its build id."""
    shutil.copytree(template, out, symlinks=True)
    return current_build(out)["build"]


def make_template(path: Path) -> Path:
    build(OLD_INPUT, path, cache=False)
    return path
