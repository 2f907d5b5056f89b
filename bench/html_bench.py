"""Benchmark of the html stage of a build (``kg.outputs.view.render_html``) over a built graph:
the seconds it takes (wall clock and CPU: the machine may be shared) and the resident memory it adds at its peak (RSS growth during the call,
the graph itself not counted), with the page's bytes and what it holds.

The graph is what a build hands the stage: an on-disk Oxigraph store (``--store``, as
``kg.graph.shards`` leaves for a graph beyond 1.5 million triples; opened read-only) or a
graph.ttl read into an in-memory ``OxGraph`` (``--ttl``, a smaller build's case).

Does not: assert anything (figures only), or build the graph (``kg build`` does).

    kg build /tmp/b1k --out /tmp/o1k
    python bench/html_bench.py --ttl /tmp/o1k/graph.ttl
    python bench/html_bench.py --store /tmp/s10k --out /tmp/graph-10k.html
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_kb(field: str = "VmRSS") -> int:
    """This process's resident memory (``VmRSS``) or its peak (``VmHWM``) in kB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


class PeakRss:
    """The highest RSS seen while it runs: the kernel's high-water mark, reset at the start
    (``/proc/self/clear_refs``), and a 10 ms sampler in case the reset is not allowed."""

    def __enter__(self):
        try:
            Path("/proc/self/clear_refs").write_text("5")
        except OSError:
            pass
        self.peak, self.start, self._stop = rss_kb(), rss_kb(), threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, rss_kb())

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_kb(), rss_kb("VmHWM"))


def _cpu(times) -> float:
    return times.user + times.system


def load(args):
    """The graph to render, as a build would hand it over."""
    from kg.graph.oxgraph import OxGraph
    if args.store:
        import pyoxigraph as ox
        return OxGraph.over(ox.Store.read_only(args.store))
    import pyoxigraph as ox
    g = OxGraph()
    g.store.bulk_load(path=args.ttl, format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
    return g


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--store", help="an on-disk Oxigraph store folder")
    src.add_argument("--ttl", help="a graph.ttl, read into memory")
    ap.add_argument("--out", help="where to write graph.html (default: a temporary file)")
    args = ap.parse_args()
    from kg.outputs.view import render_html
    t = time.perf_counter()
    graph = load(args)
    loaded = time.perf_counter() - t
    with tempfile.TemporaryDirectory(prefix="kg-html-bench-") as tmp:
        out = Path(args.out or Path(tmp) / "graph.html")
        with PeakRss() as mem:
            t, cpu = time.perf_counter(), os.times()
            stats = render_html(graph, out)
            secs, cpu = time.perf_counter() - t, _cpu(os.times()) - _cpu(cpu)
        size = out.stat().st_size
    print(f"graph: {args.store or args.ttl} ({len(graph):,} triples, opened in {loaded:.1f} s, "
          f"RSS {mem.start / 1024:.0f} MB before render_html)")
    print(f"render_html: {secs:.1f} s ({cpu:.1f} s CPU, load {os.getloadavg()[0]:.1f}), peak RSS {mem.peak / 1024:.0f} MB "
          f"(+{(mem.peak - mem.start) / 1024:.0f} MB during the call)")
    print(f"page: {size:,} bytes, {stats['nodes']} nodes, {stats['edges']} edges, "
          f"{stats['indexed']:,} of {stats['entities']:,} entities findable")


if __name__ == "__main__":
    main()
