"""Benchmark of the browser view on synthetic graphs (tests/test_viz.py ``large_graph``: a build's
shape and vocabulary, no articles extracted), printed per size: triples, time to make graph.html
(``kg.outputs.view.render_html``), the process's peak resident memory after it (graph
included), the page's bytes and what it holds (nodes and edges drawn, entities in all, entities findable by
search).

Does not: assert anything (figures only; tests check the 3 MB bound on 20,000 entities).

    python bench/view_bench.py [--sizes 1000 10000 100000]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
import resource
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from test_viz import large_graph  # noqa: E402
from kg.outputs.view import PAGE_BYTES, render_html  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    args = ap.parse_args()
    print(f"page budget {PAGE_BYTES:,} bytes")
    print(f"{'entities':>9} {'triples':>10} {'make graph':>10} {'view s':>7} {'peak MB':>8} "
          f"{'html bytes':>11} {'nodes':>6} {'edges':>6} {'searchable':>10}")
    with tempfile.TemporaryDirectory(prefix="kg-view-bench-") as tmp:
        for n in args.sizes:
            t = time.perf_counter()
            g = large_graph(n)
            triples = len(g)
            made = time.perf_counter() - t
            out = Path(tmp) / f"graph-{n}.html"
            t = time.perf_counter()
            stats = render_html(g, out)
            secs = time.perf_counter() - t
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{n:>9,} {triples:>10,} {made:>9.1f}s {secs:>7.1f} {peak:>8.0f} "
                  f"{out.stat().st_size:>11,} {stats['nodes']:>6} {stats['edges']:>6} "
                  f"{stats['indexed']:>5,} / {stats['entities']:,}", flush=True)


if __name__ == "__main__":
    main()
