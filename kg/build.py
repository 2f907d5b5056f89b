"""``build``: a corpus into an output folder: graph.ttl, graph.html, report.md, the analysis
(``analysis.md``, ``analysis.json``) and build.json, the folder changing as a whole
(``kg.outputs.folder``).

The stages, each a module of its own: the extraction (``kg.pipeline``: each article spooled to
disk as it is done, its entities merged as they come, ``kg.graph.spool``), the graph pass and
graph.ttl with the store (``kg.graph.graphpass``, ``kg.graph.shards``), then graph.html in a
process of its own (``kg.outputs.viewproc``) beside the analysis (``kg.analysis.analyze``). Memory
follows the entities, not the articles. A build with the extraction cache keeps its state
(``kg.graph.state``) for the next build into the folder, which takes from it what still holds.

What this module does not do: extract (``kg.pipeline``) or parse the command line (``cli.py``).
"""
from __future__ import annotations

import contextlib
import shutil
import time
from concurrent.futures import Future
from functools import partial
from pathlib import Path
from typing import Callable, Iterable

from kg.cache import Cache, extractor_version
from kg.ingest.inputs import DEFAULT_MAX_MB, list_files
from kg.model import BuildResult
from kg.ingest.decode import InputError
from kg.pipeline import Done, cluster_client, open_cache, release_client, stream

OUTPUTS = ("graph.ttl", "graph.html", "report.md", "analysis.md", "analysis.json")
WRITE_STEPS = ("graph", "turtle", "html", "report")     # then the analysis' steps (kg.analysis.analyze.STEPS)


def build(paths: Iterable[str | Path], out_dir: str | Path,
          progress: Callable[[int, int, str], None] | None = None, html: bool = True, *,
          jobs: int = 1, cache: Cache | str | Path | bool | None = None,
          max_mb: float = DEFAULT_MAX_MB, strict: bool = False, cluster: str | None = None,
          step: Callable[[str], None] | None = None, store: str | Path | None = None) -> BuildResult:
    """Extract ``paths`` (see ``extract_paths``) and write graph.ttl, graph.html, report.md,
    analysis.md, analysis.json and the manifest build.json into ``out_dir``.

    Progress: ``progress(i, n, name)`` after article ``i`` (0-based) of ``n``; ``step(name)`` as
    each of ``WRITE_STEPS`` and then of the analysis' steps starts.

    The folder changes as a whole (``kg.outputs.folder``): the outputs are written into a staging
    folder, probed before extraction starts, and swapped in at once; a failed or interrupted
    build leaves the previous build in place. Nothing changes when no article could be built,
    nor, with ``strict``, when any input was skipped. Raises ``kg.outputs.folder.OutputError`` when the
    folder cannot be written or is being written by another build, ``kg.cluster.ClusterError``
    when ``cluster`` cannot run the extraction (the folder is then left as it was).

    ``store``: an on-disk Oxigraph store folder to fill with the graph and the ontology as well
    (``kg.graph.storeload``), from the build's own store or its shards rather than by parsing
    graph.ttl again; it replaces the folder's content once the build is in place (whole or not
    at all: ``StoreInterrupted``, OSError naming it). ``result.store_triples`` counts it.
    """
    from kg.graph.state import StateError
    from kg.graph.storeload import install_store, new_store_path
    from kg.outputs.folder import OutputError, Staging, pause
    from kg.serial import BadEntry

    started = time.perf_counter()
    paths = list(paths)
    out = Path(out_dir)
    cache = open_cache(cache)
    new_store = new_store_path(store) if store is not None else None
    with cluster_client(cluster, jobs) as client, Staging(out, OUTPUTS) as staging:   # the cluster first: a
        work = staging.path / ".work"       # refusal touches nothing; spool and shards: gone before commit
        work.mkdir()
        previous = _previous(out) if cache else None
        try:
            try:
                result = _extract_to_spool(paths, work, progress, jobs, cache, max_mb, client, previous)
            except StateError as exc:       # its records found damaged: extracted again (from the cache)
                previous.close()
                previous = None
                cache.stats.update(hits=0, misses=0)        # counted again (its writes stay done)
                result = _extract_to_spool(paths, work, progress, jobs, cache, max_mb, client)
                result.notes.append(_not_used(exc))
            release_client(client)
            result.stages["extract"] = result.seconds
            if not result.extractions or (strict and result.skipped):
                return result
            pause("extracted")
            write = partial(_write_outputs, result, staging, work, html, step or (lambda name: None),
                            (new_store, Path(store)) if store is not None else None, keep_state=cache is not None)
            try:
                try:
                    write(previous)
                except StateError as exc:       # found damaged while read: a build in full
                    result.notes.append(_not_used(exc))
                    result.stages = {"extract": result.stages["extract"]}
                    write(None)
            except BadEntry as exc:     # an entry changed on disk after its summary was read
                raise OutputError(f"{cache.root}: a cached extraction is damaged ({exc}); build again "
                                  f"with --no-cache, or delete that folder") from None
            except InputError as exc:   # an input changed on disk while it was built
                raise OutputError(f"{exc}: changed while kg built it; build again") from None
        except BaseException:
            if new_store is not None:
                shutil.rmtree(new_store, ignore_errors=True)
            raise
        finally:
            if previous is not None:
                previous.close()
            shutil.rmtree(work, ignore_errors=True)
        manifest = staging.commit(_build_info(paths, result))
    if new_store is not None:
        install_store(new_store, store)
    result.build_id = manifest["build"]
    result.outputs = {name: out / name for name in [*manifest["outputs"], "build.json"]}
    result.seconds = time.perf_counter() - started
    return result


def _not_used(exc: Exception) -> str:
    """The note of a build made in full because the previous build's state was damaged."""
    return f"the previous build's state was not used ({exc}); built in full"


def _extract_to_spool(paths: list, work: Path, progress, jobs: int, cache, max_mb: float, client,
                      previous=None) -> BuildResult:
    """``extract_paths`` for a build: each extraction goes to a spool file in ``work`` as it
    finishes (``kg.graph.spool.ExtractionSpool``) and its entities into the merge, so memory
    holds the entities, not the articles. ``result.extractions`` is the spool. An article
    unchanged since the ``previous`` build (``kg.graph.state.PreviousBuild``) is taken from its
    state, not from the cache."""
    from kg.graph.spool import EntityTable, ExtractionSpool

    t0 = time.perf_counter()
    cache = open_cache(cache)
    spool, table, unchanged = ExtractionSpool(work), EntityTable(), []

    def keep(done: Done) -> None:
        if done.extraction is not None:
            spool.add(done.extraction, done.key)
        elif done.entry is not None:
            spool.add_packed(done.id, done.path, done.entry, done.key)
        else:
            spool.add_later(done.id, done.path, done.key, done.load)
        if done.entities is None:
            unchanged.append(done.id)
        else:
            table.add(done.id, done.entities)

    skipped = stream(paths, progress, keep, jobs=jobs, cache=cache, max_mb=max_mb, client=client,
                     previous=previous)
    if unchanged:
        table = _with_unchanged(table, previous, unchanged)
    return BuildResult(spool, table.entities(), skipped, time.perf_counter() - t0,
                       cache=dict(cache.stats) if cache else {}, entity_table=table)


def _with_unchanged(table, previous, unchanged: list[str]):
    """``table`` with the entities of the articles ``unchanged`` since the ``previous`` build
    folded in: its whole merge when it had no other article (articles were only added), else
    each article's entities (``kg.graph.state.StateError`` if they cannot be read)."""
    if set(unchanged) == previous.ids():
        merged = previous.entity_table()
        merged.update(table)
        return merged
    for article_id in unchanged:
        table.add(article_id, previous.entities(article_id))
    return table


def _previous(out: Path):
    """The state of the build ``out`` holds (``kg.graph.state.PreviousBuild``), or None."""
    from kg.graph.state import PreviousBuild
    from kg.outputs.folder import CURRENT, current_build

    try:
        size = current_build(out)["outputs"]["graph.ttl"]["size"]
    except (TypeError, KeyError):
        return None
    return PreviousBuild.open(out / CURRENT, size, _state_meta())


def _state_meta() -> dict[str, str]:
    """What a build's state must have been written by to be used (``kg.graph.state``): the
    extractor, and the libraries whose bytes and store it holds."""
    from importlib import metadata

    return {"extractor_version": extractor_version(), "pyoxigraph": metadata.version("pyoxigraph"),
            "rdflib": metadata.version("rdflib")}


def _write_outputs(result: BuildResult, staging, work: Path, html: bool, step: Callable[[str], None],
                   store: tuple[Path, Path] | None = None, previous=None, keep_state: bool = False) -> None:
    """Write the outputs into the staging folder, timing each stage into ``result.stages``: the
    graph as shards in ``work`` (``kg.graph.shards``), graph.ttl streamed from them, and a store
    filled from them for the view and the analysis to read (on disk for a large graph), copied
    when one is asked for (``kg build --store``: ``store`` is the new store's folder and the
    folder it will replace). With ``keep_state`` the build keeps its state for the next
    (``kg.graph.state``); what still holds of the ``previous`` one's is reused (a
    ``kg.graph.state.StateError`` if it turns out not to be usable: nothing is then kept)."""
    from kg.analysis.analyze import write_analysis
    from kg.files import write_atomic
    from kg.graph.lookup import Lookup, LookupDamaged
    from kg.graph.state import STATE, StateError
    from kg.outputs.folder import OutputError, cause, current_build, pause

    clock = [time.perf_counter()]

    def lap(stage: str) -> None:
        now = time.perf_counter()
        result.stages[stage] = now - clock[0]
        clock[0] = now

    d, view = staging.path, None
    try:
        report, graph, store_dir, lookup, tally, figures = _write_graph(result, d, work, store, staging.out,
                                                                        previous, keep_state, step, lap)
        pause("writing")
        if html:
            step("html")
            view = _render_view(graph, store_dir, d / "graph.html", lookup)
            if view is None:
                lap("html")
            else:
                result.stages["html"] = 0.0         # its own seconds, once it is done
        step("report")
        write_atomic(d / "report.md", report)
        with (contextlib.closing(Lookup(lookup)) if lookup else contextlib.nullcontext()) as tables, _frozen():
            write_analysis(graph, d, step, tally.rows(), figures.rows(), tables)   # analysis.md, .json
        lap("analysis")
        if view is not None:
            result.stages["html"] = view.result()   # beside the analysis: build() times the whole
    except OSError as exc:
        held = (current_build(staging.out) or {}).get("build", "none")
        raise OutputError(f"{staging.out}: cannot write the build ({cause(exc)}); "
                          f"the folder still holds build {held}") from None
    except LookupDamaged as exc:        # read back damaged: if copied from the previous build, a full one
        if previous is None:
            raise OutputError(f"{staging.out}: cannot read back the build ({exc})") from None
        shutil.rmtree(d / STATE, ignore_errors=True)       # (kept by then: the full build writes its own)
        raise StateError(f"the lookup tables cannot be read ({exc})") from None
    finally:
        if view is not None:
            view.stop()


def _write_graph(result: BuildResult, d: Path, work: Path, store, out: Path, previous, keep_state: bool,
                 step: Callable[[str], None], lap: Callable[[str], None]) -> tuple:
    """The graph pass, graph.ttl and the store (``_write_outputs``' first stages): the report's
    text, the graph the view and the analysis read (an on-disk store sealed: flushed, closed,
    its compactions ended, and opened again read-only, so that the files a second reader opens,
    ``kg.outputs.viewproc``, stay put), its folder and its lookup file if on disk
    (``kg.graph.lookup``), and the coverage and figure tallies."""
    from kg.analysis.coverage import CoverageTally
    from kg.analysis.figures import FigureTally
    from kg.graph.graphpass import graph_pass
    from kg.graph.shards import GraphShards
    from kg.graph.state import STATE, StateWriter
    from kg.outputs.report import build_report, report_part

    shards = GraphShards(work, result.entities)
    tally = CoverageTally(shards.iris, result.entities)     # the analysis' coverage, in the same pass
    figures = FigureTally(shards.iris)                      # and its figures
    state = StateWriter(d / STATE) if keep_state else None
    previous = previous if state is not None else None
    filling = None
    try:
        step("graph")
        report = build_report(result, parts=graph_pass(result.extractions, shards, report_part, tally, figures,
                                                       previous, state))
        lap("graph")
        step("turtle")
        filling = _in_thread(shards.graph, state.store if state else work / "store", None, previous)
        where = shards.write_turtle(d / "graph.ttl", previous.turtle if previous else None)
        graph = filling.result()        # (filled in another thread: Oxigraph loads without the GIL)
        filling.thread.join()           # (its last reference to the store gone)
        if state is not None and shards.store_dir:
            state.finish(where, {**_state_meta(), "store_files": str(shards.store_files)},
                         result.entity_table.dump())
        elif state is not None:
            state.discard()
        state = None
        result.reused = len(shards.reused)
        lap("turtle")
        if store is not None:       # kg build --store (its own step in the timings)
            _copy_store(result, graph, shards, *store, out)
            lap("store")
        if shards.store_dir is not None:
            graph.store.flush()
            graph = filling = None      # the last references: the store closes
            graph = _read_only(shards.store_dir)
        return report, graph, shards.store_dir, shards.lookup, tally, figures
    except BaseException as exc:
        if filling is not None and not isinstance(exc, KeyboardInterrupt):
            filling.exception()         # the store's thread done before its folder goes
        if state is not None:
            state.discard()
        raise
    finally:
        shards.close()


def _read_only(store_dir: Path):
    """The on-disk store at ``store_dir``, opened read-only, as the graph the writers read."""
    import pyoxigraph as ox

    from kg.graph.oxgraph import OxGraph

    return OxGraph.over(ox.Store.read_only(str(store_dir)))


def _render_view(graph, store_dir: Path | None, out_path: Path, lookup: Path | None = None):
    """graph.html: in a process of its own when the graph is an on-disk store (the analysis goes
    on meanwhile; ``kg.outputs.viewproc``, returned, reading the store's ``lookup`` tables too),
    else here (None returned)."""
    if store_dir is None:
        from kg.outputs.view import render_html

        render_html(graph, out_path)
        return None
    from kg.outputs.viewproc import ViewProcess

    return ViewProcess(store_dir, out_path, lookup)


@contextlib.contextmanager
def _frozen():
    """The objects alive now left out of the garbage collector's passes while the block runs: a
    large build holds millions (entities, coverage and figure rows), and the analysis, which
    makes millions more, would have them all walked again at each full pass."""
    import gc

    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _in_thread(fn: Callable, *args) -> Future:
    """``fn(*args)`` started in a daemon thread (one that never holds up the exit of an
    interrupted build); its Future, the thread as its ``thread``."""
    import threading

    fut: Future = Future()

    def run() -> None:
        try:
            fut.set_result(fn(*args))
        except BaseException as exc:        # handed to whoever waits for the result
            fut.set_exception(exc)
    fut.thread = threading.Thread(target=run, name="kg-store", daemon=True)
    fut.thread.start()
    return fut


def _copy_store(result: BuildResult, graph, shards, new_store: Path, target: Path, out: Path) -> None:
    """Fill ``new_store`` (to replace ``target``) from the build's graph
    (``kg.graph.storeload.copy_build_store``); a failure is an OutputError naming ``target``
    (the build is then not committed)."""
    from kg.graph.storeload import copy_build_store
    from kg.outputs.folder import OutputError, cause, current_build

    try:
        result.store_triples = copy_build_store(graph, shards, new_store)
    except OSError as exc:
        held = (current_build(out) or {}).get("build", "none")
        raise OutputError(f"{target}: cannot load the store ({cause(exc)}); "
                          f"{out} still holds build {held}") from None


def _build_info(paths: list, result: BuildResult) -> dict:
    """What build.json says besides the outputs: when, with which kg, from which inputs."""
    from importlib import metadata

    from kg.outputs.folder import file_digest

    try:
        version = metadata.version("kg")
    except metadata.PackageNotFoundError:
        version = "unknown"
    files, _ = list_files(paths)
    inputs = []
    for f in files:
        try:
            inputs.append({"path": str(f), **file_digest(f)})
        except OSError as exc:      # gone or unreadable since it was read: say so, keep the build
            inputs.append({"path": str(f), "error": exc.strerror or str(exc)})
    return {"kg_version": version, "extractor_version": extractor_version(),
            "inputs": {"paths": [str(p) for p in paths], "articles": len(result.extractions),
                       "skipped": len(result.skipped), "files": inputs}}
