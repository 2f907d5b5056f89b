"""The ``kg`` command: a thin layer over the ``kg`` package.

Each command parses its options, calls one library function and turns known errors into a
clear message and exit code. Run ``kg --help`` for the list.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Knowledge graph of regions, bodies, programmes and measures from Chinese "
                       "Party-building-for-poverty-alleviation articles.")

DEFAULT_GRAPH = Path("output/graph.ttl")


@app.command()
def build(paths: List[Path] = typer.Argument(None, help=".txt files or folders of them (default: seeds/)"),
          out: Path = typer.Option(Path("output"), "--out", help="folder for graph.ttl, graph.html, report.md, analysis.md/json"),
          quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress output")) -> None:
    """Build the graph of PATHS into OUT (graph.ttl, graph.html, report.md, analysis.md/json)."""
    from kg.pipeline import build as run_build

    paths = paths or [Path("seeds")]

    def progress(i: int, n: int, name: str) -> None:
        if not quiet and n > 1:
            typer.echo(f"[{i + 1}/{n}] {name}", err=True)

    result = run_build(paths, out, progress=progress)
    for s in result.skipped:
        typer.echo(f"skipped {s.path}: {s.reason}", err=True)
    if not result.extractions:
        typer.echo("error: no article could be built; nothing written", err=True)
        raise typer.Exit(1)
    n_ent = len(result.entities)
    n_rel = sum(len(ex.relations) for ex in result.extractions)
    n_ind = sum(len(ex.indicators) for ex in result.extractions)
    typer.echo(f"built {len(result.extractions)} article(s), skipped {len(result.skipped)}: "
               f"{n_ent} entities, {n_ind} indicators, {n_rel} relation statements "
               f"in {result.seconds:.1f}s -> {out}/graph.ttl, graph.html, report.md, analysis.md, analysis.json")


@app.command()
def query(query_text: str = typer.Argument(..., metavar="QUERY", help="SPARQL text or a .rq file"),
          graph: Path = typer.Option(DEFAULT_GRAPH, "--graph", help="Turtle file of a build"),
          fmt: str = typer.Option("table", "--format", help="table | csv | json")) -> None:
    """Run a SPARQL SELECT, ASK or CONSTRUCT over a built graph."""
    from kg.query import QueryError, format_result, load_graph, read_query, run_query

    if fmt not in ("table", "csv", "json"):
        typer.echo(f"error: unknown format {fmt!r} (table, csv, json)", err=True)
        raise typer.Exit(2)
    if not graph.is_file():
        typer.echo(f"error: {graph}: no such graph file; run `kg build` first", err=True)
        raise typer.Exit(2)
    try:
        result = run_query(load_graph(graph), read_query(query_text))
        typer.echo(format_result(result, fmt))
    except QueryError as exc:
        typer.echo(f"error: bad query: {exc}", err=True)
        raise typer.Exit(2)


@app.command()
def viz(graph: Path = typer.Option(DEFAULT_GRAPH, "--graph", help="Turtle file of a build"),
        out: Path = typer.Option(Path("output/graph.html"), "--out", help="HTML file to write"),
        max_nodes: int = typer.Option(1500, "--max-nodes", help="draw at most this many nodes")) -> None:
    """Render a built graph as an interactive HTML page that works offline."""
    from kg.query import load_graph
    from kg.viz import render_html

    if not graph.is_file():
        typer.echo(f"error: {graph}: no such graph file; run `kg build` first", err=True)
        raise typer.Exit(2)
    stats = render_html(load_graph(graph, with_ontology=False), out, max_nodes=max_nodes)
    typer.echo(f"drew {stats['nodes']} nodes, {stats['edges']} edges ({stats['omitted']} left out) -> {out}")


@app.command()
def analyze(graph: Path = typer.Option(DEFAULT_GRAPH, "--graph", help="Turtle file of a build"),
            out: Path = typer.Option(Path("output"), "--out", help="folder for analysis.md and analysis.json")) -> None:
    """Analyse a built graph: central nodes, communities, regions, provinces, article coverage."""
    from kg.analyze import write_analysis
    from kg.query import load_graph

    if not graph.is_file():
        typer.echo(f"error: {graph}: no such graph file; run `kg build` first", err=True)
        raise typer.Exit(2)
    paths = write_analysis(load_graph(graph, with_ontology=False), out)
    typer.echo("wrote " + ", ".join(str(p) for p in paths.values()))


@app.command("eval")
def evaluate(gold: Path = typer.Option(..., "--gold", help="gold file (format of tests/gold/seeds.json)"),
             articles: Path = typer.Option(Path("seeds"), "--articles", help="folder holding the gold's articles"),
             as_json: bool = typer.Option(False, "--json", help="print the figures as JSON"),
             verbose: bool = typer.Option(False, "--verbose", help="list misses and false positives per article")) -> None:
    """Score extraction against a gold file: P/R/F1 per type, canonical labels, indicators, relations."""
    import json

    from kg.evaluate import evaluate as run_eval, format_misses, format_table

    if not gold.is_file():
        typer.echo(f"error: {gold}: no such gold file", err=True)
        raise typer.Exit(2)
    report = run_eval(gold, articles)
    if verbose:
        typer.echo(format_misses(report))
    typer.echo(json.dumps(report["summary"], ensure_ascii=False) if as_json else format_table(report))


def main() -> None:
    app()


if __name__ == "__main__":
    sys.exit(main())
