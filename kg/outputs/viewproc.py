"""graph.html rendered in a process of its own, from a build's on-disk store, while the build
goes on with the analysis: both read the graph and neither waits for the other, so a machine
with two cores writes them in the time of the longer one.

The process is a fresh interpreter running this module's ``main`` (with the folder of the kg
this build runs first on its path, unless that is a site-packages folder, where a fresh
interpreter finds it anyway and which must not come before the standard library): not a fork, since forking a process that runs
RocksDB's threads is not safe, and not multiprocessing's spawn, which runs the caller's main
script again. It opens the store read-only (the build flushes it first) and prints one JSON
line: its seconds, or the error it met. It ignores Ctrl-C: the build stops it (``stop``), as it
does when anything else fails.

What this module does not do: choose what the page shows (``kg.outputs.view``).
"""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import kg
from kg.graph.lookup import LookupDamaged


class ViewProcess:
    """``render_html`` of the store at ``store_dir`` (and its lookup tables at ``lookup``, if
    given: ``kg.graph.lookup``) into ``out_path``, running apart."""

    def __init__(self, store_dir: str | Path, out_path: str | Path, lookup: str | Path | None = None):
        here = Path(kg.__file__).resolve().parent.parent      # the kg this build runs
        first = [] if here.name in ("site-packages", "dist-packages") else [str(here)]
        code = (f"import sys; sys.path[:0] = {first!r}; from kg.outputs.viewproc import main; "
                "sys.exit(main(sys.argv[1:]))")
        self._errors = tempfile.TemporaryFile()     # not a pipe: read at the end, it never fills
        args = [str(store_dir), str(out_path)] + ([str(lookup)] if lookup is not None else [])
        self._proc = subprocess.Popen([sys.executable, "-c", code, *args],
                                      stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._errors)

    def result(self) -> float:
        """Wait for the page: the seconds it took; OSError as the process met it,
        ``kg.graph.lookup.LookupDamaged`` if it found the lookup tables damaged, RuntimeError if
        it failed otherwise."""
        out, _ = self._proc.communicate()
        try:
            answer = json.loads(out.decode("utf-8").strip().splitlines()[-1])
        except (ValueError, IndexError):
            self._errors.seek(0)
            tail = self._errors.read().decode("utf-8", "replace").strip().splitlines()[-1:]
            raise RuntimeError(f"rendering graph.html failed (exit {self._proc.returncode}): "
                               f"{tail[0] if tail else 'no message'}") from None
        if "seconds" in answer:
            return answer["seconds"]
        if "os" in answer:
            raise OSError(*answer["os"])
        if "lookup" in answer:
            raise LookupDamaged(answer["lookup"])
        raise RuntimeError(answer.get("bug", "rendering graph.html failed"))

    def stop(self) -> None:
        """End the process if it still runs (the build failed or was interrupted)."""
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        self._proc.stdout.close()
        self._errors.close()


def main(argv: list[str]) -> int:
    """Render graph.html (``argv``: the store's folder, the page's path, and the lookup file if
    any); print one JSON line."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import pyoxigraph as ox

        from kg.graph.lookup import Lookup
        from kg.graph.oxgraph import OxGraph
        from kg.outputs.view import render_html

        started = time.perf_counter()
        lookup = Lookup(argv[2]) if len(argv) > 2 else None
        render_html(OxGraph.over(ox.Store.read_only(argv[0])), argv[1], lookup=lookup)
        answer: dict = {"seconds": time.perf_counter() - started}
    except OSError as exc:
        answer = {"os": [exc.errno, exc.strerror or str(exc), exc.filename]}
    except LookupDamaged as exc:
        answer = {"lookup": str(exc)}
    except Exception as exc:  # a bug: told to the build, which raises it
        answer = {"bug": f"{type(exc).__name__}: {exc}"}
    print(json.dumps(answer, ensure_ascii=False), flush=True)
    return 0
