"""Seconds and peak memory of each step of the analysis (``kg.analysis.analyze.STEPS``) over a
built graph, as ``kg build`` runs it (not a test: timings vary with the machine and its load).

    python bench/analysis_bench.py /tmp/s10k                 # an on-disk Oxigraph store (read-only)
    python bench/analysis_bench.py out/graph.ttl             # a Turtle file, loaded into a store first
    python bench/analysis_bench.py /tmp/s10k --out /tmp/a    # also write analysis.json / analysis.md
    python bench/analysis_bench.py /tmp/s10k --gathered      # coverage and figures given, as kg build does

A Turtle file is bulk-loaded into a fresh on-disk store in a temporary folder (``--memory``: an
in-memory one), as a build beyond ``kg.graph.shards.MEMORY_TRIPLES`` triples gives the analysis.
Prints one line per step: seconds, and the process' peak RSS so far (MB); then the writing of
the two files (JSON and Markdown rendering) and the total, with the machine's load average.
``--gathered``: the coverage rows and the figure rows are read from the graph first (untimed,
their seconds printed) and handed to the analysis, as ``kg build`` hands it those it gathers
in its pass over the extractions (``CoverageTally``, ``FigureTally``).
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from kg.analysis.analyze import STEPS, analyze, to_json
from kg.analysis.coverage import article_coverage
from kg.analysis.figures import figure_rows
from kg.analysis.markdown import render_markdown
from kg.files import write_atomic
from kg.graph.oxgraph import OxGraph


def peak_mb() -> float:
    """The process' peak resident memory so far, in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def open_graph(path: Path, memory: bool, scratch: str) -> OxGraph:
    """The graph at ``path``: an on-disk store opened read-only, or a Turtle file loaded."""
    if path.is_dir():
        return OxGraph.over(ox.Store.read_only(str(path)))
    store = ox.Store() if memory else ox.Store(scratch)
    with open(path, "rb") as fh:
        store.bulk_load(fh, format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
    return OxGraph.over(store)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("graph", type=Path, help="an on-disk Oxigraph store folder or a Turtle file")
    ap.add_argument("--out", type=Path, help="write analysis.json and analysis.md here")
    ap.add_argument("--memory", action="store_true", help="load a Turtle file into memory, not disk")
    ap.add_argument("--gathered", action="store_true",
                    help="hand the analysis the coverage and figure rows, as kg build does")
    args = ap.parse_args()
    if not args.graph.exists():
        sys.exit(f"error: {args.graph}: no such store or file")
    with tempfile.TemporaryDirectory(prefix="kg-analysis-bench-") as scratch:
        t = time.perf_counter()
        graph = open_graph(args.graph, args.memory, scratch)
        print(f"{args.graph}: {len(graph)} triples, opened in {time.perf_counter() - t:.1f} s; "
              f"load average {os.getloadavg()[0]:.2f}", flush=True)
        coverage = figures = None
        if args.gathered:
            t = time.perf_counter()
            coverage, figures = article_coverage(graph), figure_rows(graph)
            print(f"  (coverage and figure rows read first, untimed: {time.perf_counter() - t:.2f} s, "
                  f"{len(figures)} figure rows)", flush=True)
        laps: list[tuple[str, float]] = []
        clock = [None, time.perf_counter()]

        def step(name: str) -> None:
            now = time.perf_counter()
            if clock[0] is not None:
                laps.append((clock[0], now - clock[1]))
                print(f"  {clock[0]:<12} {now - clock[1]:8.2f} s  peak {peak_mb():7.0f} MB", flush=True)
            clock[0], clock[1] = name, now

        start = time.perf_counter()
        result = analyze(graph, step, coverage, figures)
        step("write")
        text = to_json(result)
        md = render_markdown(result)
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            write_atomic(args.out / "analysis.json", text)
            write_atomic(args.out / "analysis.md", md)
        step("")
        print(f"  {'total':<12} {time.perf_counter() - start:8.2f} s  peak {peak_mb():7.0f} MB; "
              f"analysis.json {len(text.encode()) / 1e6:.1f} MB, analysis.md {len(md.encode()) / 1e6:.2f} MB; "
              f"load average {os.getloadavg()[0]:.2f}", flush=True)
        assert [name for name, _ in laps][:len(STEPS)] == list(STEPS)


if __name__ == "__main__":
    main()
