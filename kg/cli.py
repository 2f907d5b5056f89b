"""The ``kg`` command: a thin layer over the ``kg`` package.

Each command parses its options, calls one library function and turns known errors into a
clear message and exit code. Run ``kg --help`` for the list. The installed ``kg`` script calls
``main`` here (pyproject); ``cli.py`` at the top of a checkout only re-exports it.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

# Plain (click) help, not typer's rich panels: those print a `<bool>` type beside every flag
# (typer 0.29), and plain text reads the same in a terminal, a pipe and a log.
app = typer.Typer(add_completion=True, no_args_is_help=True, rich_markup_mode=None,
                  help="Knowledge graph of regions, bodies, programmes and measures from Chinese "
                       "Party-building-for-poverty-alleviation articles.")

DEFAULT_GRAPH = Path("output/graph.ttl")
# what a switch's value would be if one were (wrongly) given: `kg build --quiet true` reads
# `true` as an input path, and the "no such file" line then says why
_BOOL_WORDS = {"true", "false", "yes", "no", "on", "off"}


def kg_version() -> str:
    """The installed kg's version (package metadata), else the checkout's ``kg.__version__``."""
    from importlib import metadata

    try:
        return metadata.version("kg")
    except metadata.PackageNotFoundError:
        from kg import __version__
        return __version__


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"kg {kg_version()}")
        raise typer.Exit(0)


@app.callback()
def _root(version: bool = typer.Option(False, "--version", "-V", callback=_print_version, is_eager=True,
                                       help="print the kg version and exit")) -> None:
    """Knowledge graph of regions, bodies, programmes and measures from Chinese
    Party-building-for-poverty-alleviation articles."""


@app.command()
def build(paths: List[Path] = typer.Argument(None, metavar="[PATH]...", help=".txt, .html/.htm, .jsonl files or folders of them (default: seeds/)"),
          out: Path = typer.Option(Path("output"), "--out", metavar="DIR", help="folder for graph.ttl, graph.html, report.md, analysis.md/json and build.json, switched in whole"),
          quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress output"),
          jobs: int = typer.Option(1, "--jobs", "-j", min=1, metavar="N", help="extract with N processes (same output whatever N)"),
          cluster: str = typer.Option(None, "--cluster", metavar="ADDRESS", help="extract on the Dask scheduler at tcp://HOST:8786, or 'local' (a local cluster of --jobs processes); same output"),
          strict: bool = typer.Option(False, "--strict", help="exit 1 and write nothing when any input is skipped"),
          no_cache: bool = typer.Option(False, "--no-cache", help="neither read nor write the extraction cache (~/.cache/kg, $KG_CACHE_DIR)"),
          max_size: float = typer.Option(10.0, "--max-size", min=0.0, metavar="MB", help="skip an article (file or .jsonl line) over this many MB"),
          store: Path = typer.Option(None, "--store", metavar="DIR", help="also load the build into the on-disk Oxigraph store in this folder (replacing its content)")) -> None:
    """Build the graph of PATHS into OUT (graph.ttl, graph.html, report.md, analysis.md/json)."""
    from kg.build import build as run_build

    if not paths and not Path("seeds").is_dir():
        _fail(f"error: {Path.cwd() / 'seeds'}: no such folder (the default input); give the articles: kg build PATH...", 2)
    paths = paths or [Path("seeds")]

    from kg.cluster import ClusterError
    from kg.graph.storeload import StoreInterrupted
    from kg.outputs.folder import OutputError, current_build, interrupted_message
    from kg.progress import Progress

    before = (current_build(out) or {}).get("build")
    if store is not None:
        from kg.graph.storeload import check_store_target

        try:
            check_store_target(store)
        except OSError as exc:
            _fail(f"error: {exc}")
    try:
        with Progress(enabled=not quiet) as bar:
            progress, step = _build_progress(bar)
            result = run_build(paths, out, progress=progress, step=step, jobs=jobs, cache=not no_cache,
                               max_mb=max_size, strict=strict, cluster=cluster, store=store)
    except (OutputError, ClusterError) as exc:
        _fail(f"error: {exc}")
    except OSError as exc:      # the store's folder (kg.graph.storeload): one line naming it
        _fail(f"error: {exc}")
    except StoreInterrupted as exc:
        held = "this build's graph" if exc.swapped else "the graph it held before"
        now = (current_build(out) or {}).get("build")
        _fail(f"interrupted: {out}/ holds build {now}; the store {store} holds {held}", 130)
    except KeyboardInterrupt:
        _fail(interrupted_message(out, before), 130)
    for s in result.skipped:
        hint = (" (switches such as --quiet take no value: this was read as an input path)"
                if s.path.lower() in _BOOL_WORDS and not Path(s.path).exists() else "")
        typer.echo(f"skipped {s.path}: {s.reason}{hint}", err=True)
    if not result.extractions:
        typer.echo("error: no article could be built; nothing written", err=True)
        raise typer.Exit(1)
    if strict and result.skipped:
        typer.echo(f"error: {len(result.skipped)} input(s) skipped and --strict given; nothing written", err=True)
        raise typer.Exit(1)
    for note in result.notes:
        typer.echo(f"note: {note}", err=True)
    n_ent = len(result.entities)
    n_rel, n_ind = result.counts.get("relations", 0), result.counts.get("indicators", 0)
    typer.echo(f"built {len(result.extractions)} article(s), skipped {len(result.skipped)}: "
               f"{n_ent} entities, {n_ind} indicators, {n_rel} relation statements "
               f"in {result.seconds:.1f}s -> {out}/graph.ttl, graph.html, report.md, analysis.md, analysis.json "
               f"(build {result.build_id})")
    if not quiet:
        typer.echo("seconds per stage: " + ", ".join(f"{k} {v:.1f}" for k, v in result.stages.items()), err=True)
        if result.cache:
            typer.echo(f"extraction cache: {result.cache.get('hits', 0)} hit(s), "
                       f"{result.cache.get('misses', 0)} miss(es)", err=True)
        if result.reused:
            typer.echo(f"previous build: {result.reused} article(s) as written there", err=True)
    if store is not None:
        typer.echo(f"loaded {result.store_triples} triples (build and ontology) into the store {store}")


def _build_progress(bar):
    """The build's ``progress`` and ``step`` callbacks: the articles on one bar, then the writing
    and the analysis' steps on one each; none for a build of one article (as quick as a step)."""
    from kg.analysis.analyze import STEPS
    from kg.build import WRITE_STEPS

    articles, total = bar.counter("extract", min_total=2), [0]
    writing, analysis = bar.steps("writing", WRITE_STEPS), bar.steps("analysis", STEPS)

    def progress(i: int, n: int, name: str) -> None:
        total[0] = n
        articles(i + 1, n, name)

    def step(name: str) -> None:
        if total[0] > 1:
            (analysis if name in STEPS else writing)(name)
    return progress, step


def _fail(message: str, code: int = 1) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(code)


@app.command()
def query(query_text: str = typer.Argument(None, metavar="QUERY", help="SPARQL text, a .rq file, or a named query (see --list)"),
          graph: Path = typer.Option(DEFAULT_GRAPH, "--graph", help="Turtle file of a build", metavar="FILE"),
          fmt: str = typer.Option("table", "--format", help="table | json | xml | csv | tsv (SELECT, ASK) | ttl | nt | jsonld | rdfxml (CONSTRUCT); the bytes /sparql sends", metavar="FORMAT"),
          params: List[str] = typer.Option(None, "--param", help="NAME=VALUE bound to ?NAME, never pasted into the text (repeatable)", metavar="NAME=VALUE"),
          list_names: bool = typer.Option(False, "--list", help="list the named queries and their parameters"),
          store: Optional[Path] = typer.Option(None, "--store", help="query an on-disk store (kg build --store DIR) instead of --graph", metavar="DIR")) -> None:
    """Run a SPARQL SELECT, ASK or CONSTRUCT over a built graph or an on-disk store."""
    from kg.graph.sparql import QueryError, parse_query
    from kg.graph.store import open_store
    from kg.outputs.query import FORMATS, ParamError, list_queries, prepare, render

    if list_names:
        typer.echo(list_queries())
        return
    if query_text is None:
        typer.echo("error: give a QUERY (text, .rq file or name; `kg query --list`)", err=True)
        raise typer.Exit(2)
    if fmt not in FORMATS:
        typer.echo(f"error: unknown format {fmt!r} ({', '.join(FORMATS)})", err=True)
        raise typer.Exit(2)
    if store is None and not graph.is_file():
        typer.echo(f"error: {graph}: no such graph file; run `kg build` first", err=True)
        raise typer.Exit(2)
    try:
        st = open_store(graph=graph, store=store)      # --graph: Oxigraph in memory
        text, bindings = prepare(query_text, params, ask=st.query, note=lambda s: typer.echo(s, err=True))
        parse_query(text)                              # rdflib's parser points at the line and column
        typer.echo(render(st.query(text, bindings), fmt), nl=False)
    except (FileNotFoundError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    except ParamError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1)
    except QueryError as exc:
        typer.echo(f"error: bad query: {exc}", err=True)
        raise typer.Exit(2)


@app.command()
def viz(graph: Path = typer.Option(DEFAULT_GRAPH, "--graph", help="Turtle file of a build", metavar="FILE"),
        out: Path = typer.Option(Path("output/graph.html"), "--out", help="HTML file to write", metavar="FILE"),
        max_nodes: int = typer.Option(1500, "--max-nodes", help="draw at most this many nodes", metavar="N")) -> None:
    """Render a built graph as an interactive HTML page that works offline."""
    from kg.graph.sparql import load_graph
    from kg.outputs.view import render_html

    if not graph.is_file():
        typer.echo(f"error: {graph}: no such graph file; run `kg build` first", err=True)
        raise typer.Exit(2)
    stats = render_html(load_graph(graph, with_ontology=False), out, max_nodes=max_nodes)
    typer.echo(f"drew {stats['nodes']} nodes, {stats['edges']} edges ({stats['omitted']} left out) -> {out}")


@app.command()
def analyze(graph: Path = typer.Option(DEFAULT_GRAPH, "--graph", metavar="FILE", help="Turtle file of a build"),
            out: Path = typer.Option(Path("output"), "--out", metavar="DIR", help="folder for analysis.md and analysis.json"),
            quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress output")) -> None:
    """Analyse a built graph: central nodes, communities, regions, provinces, article coverage."""
    from kg.analysis.analyze import STEPS, write_analysis
    from kg.graph.sparql import load_graph
    from kg.progress import Progress

    if not graph.is_file():
        typer.echo(f"error: {graph}: no such graph file; run `kg build` first", err=True)
        raise typer.Exit(2)
    with Progress(enabled=not quiet) as bar:
        paths = write_analysis(load_graph(graph, with_ontology=False), out, bar.steps("analysis", STEPS))
    typer.echo("wrote " + ", ".join(str(p) for p in paths.values()))


@app.command("export")
def export_graph(graph: Path = typer.Option(DEFAULT_GRAPH, "--graph", help="Turtle file of a build", metavar="FILE"),
                 fmt: str = typer.Option(..., "--format", help="ttl | nt | jsonld (one graph) | nq | trig | jsonld-quads (a named graph per article) | graphml | csv", metavar="FORMAT"),
                 out: Path = typer.Option(..., "--out", help="file to write (a folder for csv)", metavar="PATH")) -> None:
    """Export a built graph for other tools: RDF in one graph (ttl, nt, jsonld) or with a named graph per article (nq, trig, jsonld-quads), GraphML, CSV tables."""
    from kg.outputs.export import FORMATS, export
    from kg.graph.sparql import load_graph

    if fmt not in FORMATS:
        typer.echo(f"error: unknown format {fmt!r} ({', '.join(FORMATS)})", err=True)
        raise typer.Exit(2)
    if not graph.is_file():
        typer.echo(f"error: {graph}: no such graph file; run `kg build` first", err=True)
        raise typer.Exit(2)
    try:
        paths = export(load_graph(graph, with_ontology=False), fmt, out)
    except (ValueError, OSError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    typer.echo("wrote " + ", ".join(str(p) for p in paths))


@app.command("validate")
def validate_graph(graph: Path = typer.Option(DEFAULT_GRAPH, "--graph", help="Turtle file of a build", metavar="FILE"),
                   shapes: Path = typer.Option(None, "--shapes", help="SHACL shapes (default: shapes.ttl)", metavar="FILE")) -> None:
    """Check a built graph against the SHACL shapes (pyshacl): exit 0 when it conforms, 1 when not."""
    from kg.graph.sparql import load_graph
    from kg.outputs.validate import format_report, validate

    for f in (graph, shapes):
        if f is not None and not f.is_file():
            typer.echo(f"error: {f}: no such file", err=True)
            raise typer.Exit(2)
    result = validate(load_graph(graph, with_ontology=False), shapes)
    typer.echo(format_report(result))
    raise typer.Exit(0 if result.conforms else 1)


@app.command("eval")
def evaluate(gold: list[Path] = typer.Option(..., "--gold", help="gold file (format of tests/gold/seeds.json); repeat for several, one table each", metavar="FILE"),
             articles: list[Path] = typer.Option(None, "--articles", help="folder of the gold's articles, one per --gold in order (default: beside the gold file, else seeds/)", metavar="DIR"),
             as_json: bool = typer.Option(False, "--json", help="print the figures as JSON, one line per gold file"),
             verbose: bool = typer.Option(False, "--verbose", help="list missed and extra entities and relations per article")) -> None:
    """Score extraction against gold files: P/R/F1 per type, canonical labels, indicators, relations, posts."""
    import json

    from kg.analysis.evaluate import articles_for, evaluate as run_eval, format_misses, format_table

    articles = list(articles or [])
    if len(articles) > len(gold):
        typer.echo("error: more --articles than --gold", err=True)
        raise typer.Exit(2)
    for g in gold:
        if not g.is_file():
            typer.echo(f"error: {g}: no such gold file", err=True)
            raise typer.Exit(2)
    for i, g in enumerate(gold):
        folder = articles[i] if i < len(articles) else articles_for(g)
        report = run_eval(g, folder)
        if as_json:
            typer.echo(json.dumps({"gold": str(g), **report["summary"]}, ensure_ascii=False))
            continue
        if len(gold) > 1:
            typer.echo(f"{'' if i == 0 else chr(10)}== {g} ({report['scored']} articles from {folder})")
        if verbose:
            typer.echo(format_misses(report))
        typer.echo(format_table(report))


@app.command()
def serve(graph: Path = typer.Option(DEFAULT_GRAPH, "--graph", help="Turtle file of a build (loaded into an in-memory Oxigraph store)", metavar="FILE"),
          store: Path = typer.Option(None, "--store", help="on-disk Oxigraph store made by `kg build --store DIR` (instead of --graph)", metavar="DIR"),
          port: int = typer.Option(7878, "--port", min=0, max=65535, help="TCP port (0: any free one)", metavar="PORT"),
          host: str = typer.Option("127.0.0.1", "--host", help="address to bind: loopback (127.0.0.1, localhost, ::1) unless --public", metavar="HOST"),
          public: bool = typer.Option(False, "--public", help="allow --host beyond loopback (0.0.0.0, ::, a LAN address): anyone who reaches it can query"),
          timeout: float = typer.Option(30.0, "--timeout", min=0.1, help="query time limit in seconds (then HTTP 503 and the query is killed)", metavar="SECONDS"),
          max_rows: int = typer.Option(10000, "--max-rows", min=1, help="at most this many rows or triples per answer", metavar="N"),
          workers: int = typer.Option(8, "--workers", min=1, help="query worker processes (queries answered at once)", metavar="N"),
          allow_federation: bool = typer.Option(False, "--allow-federation", help="let queries use SERVICE (the server then fetches the URLs they name)"),
          cors: str = typer.Option(None, "--cors", metavar="ORIGIN", help="send Access-Control-Allow-Origin: ORIGIN (none by default)"),
          quiet: bool = typer.Option(False, "--quiet", "-q", help="no request log")) -> None:
    """Serve a read-only SPARQL 1.1 endpoint at /sparql and a query page (YASGUI) at /."""
    from kg.outputs.listen import ServeError, bind
    from kg.outputs.serve import Settings, serve as run_serve
    from kg.graph.store import OxiStore, open_store

    try:
        sock = bind(host, port, public)       # first: a refused address costs no graph loading
        st = open_store(graph=graph, store=store)
        size, kind = len(st), st.kind
        if st.directory is not None:      # each worker opens the folder itself, read-only
            del st.store
            opener = lambda: OxiStore(store, read_only=True)   # noqa: E731
        else:
            opener = lambda: st                                 # noqa: E731 (inherited at the fork)
    except (OSError, ValueError, ServeError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1)
    if public:
        typer.echo(f"warning: listening on {host or 'every interface'} beyond loopback: anyone who can reach "
                   "this machine can query the graph (no authentication)", err=True)
    settings = Settings(timeout=timeout, max_rows=max_rows, allow_federation=allow_federation, cors=cors, quiet=quiet)
    run_serve(opener, sock, settings, workers=workers, public=public,
              announce=lambda where: typer.echo(f"serving {size} triples ({kind}) read-only: {where}; Ctrl-C stops", err=True))


@app.command()
def push(endpoint: str = typer.Option(..., "--endpoint", metavar="URL", help="SPARQL 1.1 Graph Store Protocol URL (Fuseki .../data, Virtuoso .../sparql-graph-crud-auth, Oxigraph .../store, GraphDB .../rdf-graphs/service)"),
         graph: str = typer.Option(str(DEFAULT_GRAPH), "--graph", metavar="FILE", help="Turtle file of a build to send"),
         named_graph: str = typer.Option(None, "--named-graph", metavar="IRI", help="IRI of the named graph to replace (default: the default graph)"),
         user: str = typer.Option(None, "--user", metavar="NAME", help="user name (HTTP Basic or Digest); the password comes from KG_PASSWORD or a prompt"),
         password: str = typer.Option(None, "--password", hidden=True),
         batch_size: int = typer.Option(20000, "--batch-size", min=1, metavar="N", help="triples per request"),
         update_endpoint: str = typer.Option(None, "--update-endpoint", metavar="URL", help="SPARQL Update URL that moves the temporary graph over the target (default: derived from --endpoint)"),
         direct: bool = typer.Option(False, "--direct", help="no temporary graph: batches go straight into the target (for stores without SPARQL Update)"),
         timeout: float = typer.Option(120.0, "--timeout", min=0.1, metavar="SECONDS", help="seconds to wait for each answer")) -> None:
    """Replace a graph in a remote triple store with a build, in batches; a failure leaves it as it was (or, with --direct, says what it holds)."""
    from kg.outputs.push import PushError, push as run_push, read_triples, redact

    if password is not None:
        _fail("error: --password is not taken (it would show in the process list and shell history): "
              "set KG_PASSWORD, or type it at the prompt", 2)
    source = Path(graph)
    if not source.is_file():
        if _looks_like_iri(graph):
            _fail(f"error: --graph {graph}: --graph is now the Turtle file to send (as in every kg command); "
                  "give the named graph's IRI as --named-graph IRI", 2)
        _fail(f"error: {graph}: no such graph file; run `kg build` first", 2)
    user, password = _push_credentials(endpoint, user)
    try:
        triples = read_triples(source)
    except Exception as exc:            # rdflib raises many kinds for a bad file
        _fail(f"error: {graph}: not readable as Turtle: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")
    from kg.progress import Progress

    try:
        with Progress() as bar:
            n = run_push(triples, endpoint, graph=named_graph, user=user, password=password, batch_size=batch_size,
                         progress=bar.counter("batches"), timeout=timeout, update_endpoint=update_endpoint, direct=direct)
    except PushError as exc:
        _fail(f"error: {exc}")
    typer.echo(f"pushed {len(triples)} triples in {n} batches to {redact(endpoint)} "
               f"({named_graph or 'default graph'}), every batch confirmed")


def _looks_like_iri(text: str) -> bool:
    """``http://…``, ``urn:…``: what the old ``kg push --graph IRI`` was given."""
    import re

    return re.match(r"^[A-Za-z][A-Za-z0-9+.-]+:", text) is not None   # 2+ letters: not a C: drive


def _push_credentials(endpoint: str, user: str | None) -> tuple[str | None, str | None]:
    """The user (``--user``, else the URL's) and the password (KG_PASSWORD, the URL's, a prompt)."""
    import os

    from kg.outputs.push import split_credentials

    _, url_user, url_password = split_credentials(endpoint)
    user = user if user is not None else url_user
    password = os.environ.get("KG_PASSWORD") or url_password
    if user is not None and password is None:
        if not sys.stdin.isatty():
            _fail(f"error: no password for {user}: set KG_PASSWORD (or run in a terminal to be asked)", 2)
        password = typer.prompt(f"password for {user}", hide_input=True)
    return user, password


def main() -> None:
    """Run the ``kg`` command line (the console script's entry point)."""
    app()


if __name__ == "__main__":
    sys.exit(main())
