"""The pipeline: files → articles → extractions → merged entities → graph and outputs.

``extract_article`` runs the stages on one article (context, mentions, indicators, entities,
relations); ``merge`` joins the entities of many articles into one node per real thing;
``build`` does it all for paths and writes ``graph.ttl``, ``graph.html``, ``report.md``, the
analysis (``analysis.md``, ``analysis.json``) and ``build.json`` (``kg.outputs.folder``: the folder
changes as a whole).
Bad inputs are skipped with a reason and the rest is built. ``extract_paths`` reads the units
of ``kg.ingest.inputs`` (.txt, .html, .jsonl lines), takes what it can from ``kg.cache`` and extracts
the rest in ``jobs`` processes or on a Dask cluster (``kg.cluster``); the result does not depend on
``jobs``, the cluster or the input order. ``build`` spools each result to disk as it is done and
merges the entities as they come (``kg.graph.shards``), so its memory follows the entities, not
the articles.

What this module does not do: command-line parsing (``cli.py``) or rendering details.
"""
from __future__ import annotations

import shutil
import signal
import time
from contextlib import contextmanager
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import Callable, Iterable, NamedTuple

from kg.extract.context import home_label
from kg.extract.home import build_context
from kg.extract.groups import keep_supported
from kg.extract.posts import find as find_posts
from kg.model import Article, BuildResult, Entity, EntityType, Extraction, Skipped, Unit, entity_key
from kg.cache import Cache, extractor_version, pack, unpack
from kg.ingest.inputs import DEFAULT_MAX_MB, list_files, load_unit, read_unit, units_of
from kg.ingest.decode import InputError
from kg.extract.relations import extract_relations, lead_body
from kg.extract.resolve import (add_byline, build_entities, find_indicators, find_mentions, settle_overlaps,
                      trim_actor_prefix)

# Articles handed to a worker process at once: chunks big enough to pay for the hand-over, small
# enough (at least CHUNKS_PER_WORKER per worker) that one slow article does not leave the others idle.
MAX_CHUNK = 16
CHUNKS_PER_WORKER = 8
# Batches submitted per worker process at a time: enough that a worker never waits for the
# parent, few enough that the articles in flight, not the corpus, set the memory.
IN_FLIGHT = 3


def extract_article(article: Article) -> Extraction:
    """Everything kg extracts from one article: mentions, entities, relations, indicators and
    posts, overlaps settled."""
    ctx = build_context(article)
    mentions = find_mentions(ctx)
    indicators, counted = find_indicators(ctx, mentions)
    mentions = settle_overlaps(trim_actor_prefix(mentions + counted, article.text))
    title_bodies, posts = find_posts(ctx, mentions)
    mentions = settle_overlaps(title_bodies + mentions) if title_bodies else mentions
    entities = build_entities(ctx, mentions)
    for ind in indicators:   # a counted group whose mention lost an overlap still exists
        if ind.measures_key and ind.measures_key not in entities:
            entities[ind.measures_key] = Entity(EntityType.GROUP, ind.measures_key[1])
        if ind.region and ind.region not in entities:
            ind.region = None
    add_byline(ctx, entities)
    lead = lead_body(ctx, mentions)
    relations = extract_relations(ctx, mentions, entities, lead)
    relations += [r for r in posts if r.subject in entities and r.object in entities and r not in relations]
    mentions, relations = keep_supported(mentions, entities, relations, indicators, article.text)
    home = entity_key(EntityType.REGION, home_label(ctx)) if home_label(ctx) else None
    return Extraction(article, ctx.sentences, mentions, relations, indicators, entities, home, lead)


def merge(extractions: Iterable[Extraction]) -> dict[tuple[str, str], Entity]:
    """One entity per key across articles: aliases and mentions joined, attributes kept."""
    merged: dict[tuple[str, str], Entity] = {}
    for ex in extractions:
        for key, e in ex.entities.items():
            m = merged.setdefault(key, Entity(e.type, e.label))
            m.aliases |= e.aliases
            m.mentions += e.mentions
            for k, v in e.attrs.items():
                m.attrs.setdefault(k, v)
    return merged


def input_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[Skipped]]:
    """Files to read, sorted (``kg.ingest.inputs.list_files``)."""
    return list_files(paths)


def _work(unit: Unit, store: bool = False) -> tuple[str, object, bytes | None]:
    """Read and extract one unit (in a worker process or inline): ``(kind, value, entry)``,
    the entry being the packed cache entry when ``store`` (packed here, in the worker)."""
    try:
        kind, value = "ok", extract_article(read_unit(unit))
    except InputError as exc:
        kind, value = "skip", exc.reason
    except Exception as exc:  # a bug on one article must not lose the others
        kind, value = "skip", f"extraction failed: {type(exc).__name__}: {exc}"
    blob = None
    if store:
        try:
            blob = pack(kind, value)
        except (TypeError, ValueError):     # a value JSON cannot hold: built, just not cached
            pass
    return kind, value, blob


def _worker_init() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)    # the parent handles Ctrl-C and stops us


def _skip_order(s: Skipped):
    path, _, line = s.path.rpartition(":")
    return (path, int(line)) if path and line.isdigit() else (s.path, 0)


def extract_paths(paths: Iterable[str | Path],
                  progress: Callable[[int, int, str], None] | None = None, *, jobs: int = 1,
                  cache: Cache | str | Path | bool | None = None,
                  max_mb: float = DEFAULT_MAX_MB, cluster: str | None = None) -> BuildResult:
    """Extract every article under ``paths``, with ``jobs`` processes.

    ``cache``: a Cache, a folder for one, True for the default folder (``kg.cache``), or
    None/False for none. ``cluster``: the address of a Dask scheduler (``tcp://host:8786``) or
    ``local`` (a local cluster of ``jobs`` processes) to extract on instead (``kg.cluster``;
    raises its ``ClusterError``). The result is the same whatever ``jobs``, the cluster, the
    cache and the order of ``paths``: extractions are sorted by article id, skips by file and line.
    """
    with _cluster(cluster, jobs) as client:
        return _extract(paths, progress, jobs, cache, max_mb, client)


@contextmanager
def _cluster(address: str | None, jobs: int):
    """A Dask client for ``address`` (``kg.cluster.connect``), or None without one."""
    if not address:
        yield None
        return
    from kg.cluster import connect

    with connect(address, jobs) as client:
        yield client


def _release(client) -> None:
    """Let the cluster's workers go once the extraction is done (a local cluster's stop)."""
    if client is not None:
        from kg.cluster import disconnect

        disconnect(client)


def _extract(paths, progress, jobs: int, cache, max_mb: float, client) -> BuildResult:
    """``extract_paths`` once the executor is chosen: processes, or ``client``'s cluster."""
    t0 = time.perf_counter()
    cache = _open_cache(cache)
    extractions: list[Extraction] = []
    skipped = _stream(paths, progress, lambda done: extractions.append(done.unpacked()),
                      jobs=jobs, cache=cache, max_mb=max_mb, client=client)
    extractions.sort(key=lambda ex: ex.article.id)
    return BuildResult(extractions, merge(extractions), skipped, time.perf_counter() - t0,
                       cache=dict(cache.stats) if cache else {})


def chunk_size(items: int, workers: int) -> int:
    """Articles handed to a worker at once (see MAX_CHUNK)."""
    return max(1, min(MAX_CHUNK, items // (workers * CHUNKS_PER_WORKER)))


class Done(NamedTuple):
    """An article done: extracted now (``extraction`` set; ``entry`` its packed bytes when
    the cache is used), found in the cache (``extraction`` None: ``entry`` holds it packed,
    ``kg.cache.pack``, and ``entities`` come from its summary) or unchanged since the previous
    build (``entry`` and ``entities`` None: they are in that build's state, ``load()`` gives the
    extraction). ``key``: its cache key when the cache is used."""
    id: str
    path: str                   # the file as given this time
    entities: dict | None
    extraction: Extraction | None
    entry: bytes | None
    key: str = ""
    load: Callable[[], Extraction] | None = None

    def unpacked(self) -> Extraction:
        """The extraction, unpacked from ``entry`` if need be, its path the file as given."""
        ex = self.extraction or (unpack(self.entry, self.id)[1] if self.entry is not None else self.load())
        ex.article.path = self.path
        return ex


def _stream(paths, progress, keep: Callable[[Done], None], *, jobs: int,
            cache: Cache | None, max_mb: float, client=None, previous=None) -> list[Skipped]:
    """Call ``keep(done)`` for each article under ``paths`` as it is extracted (or taken from
    ``cache``, or from the ``previous`` build's state, ``kg.graph.state``, without unpacking
    it), in no set order. Returns what was skipped, by file and line.
    An article's bytes are read when it is looked up or handed to a worker, and at most a few
    batches are in flight, so memory follows the work in flight, not the corpus."""
    files, skipped = list_files(paths)
    units, more = units_of(files, max_mb)
    skipped += more
    version = extractor_version() if cache else ""
    keys: dict[int, str] = {}

    def take(unit: Unit, kind: str, value, blob: bytes | None, key: str = "") -> None:
        if kind != "ok":
            skipped.append(Skipped(unit.where, value))
        elif isinstance(value, Extraction):
            value.article.path = unit.path       # the file as given this time
            keep(Done(unit.id, unit.path, value.entities, value, blob, key))
        else:                                    # from the cache: its entities, the rest packed
            keep(Done(unit.id, unit.path, value, None, blob, key))

    todo: list[int] = []
    done = 0
    for i, u in enumerate(units):
        if cache:
            try:
                keys[i] = load_unit(u).key(version)
            except InputError as exc:
                take(u, "skip", exc.reason, None)
                continue
            if previous is not None and previous.has(u.id, keys[i], u.path):
                done += 1
                cache.stats["hits"] += 1
                keep(Done(u.id, u.path, None, None, None, keys[i], partial(_load_again, cache, keys[i], u)))
                continue
            hit = cache.stored(keys[i], u.id)
            if hit is not None:
                done += 1
                take(u, *hit, keys[i])
                continue
        todo.append(i)
    if progress and done:
        progress(done - 1, len(units), f"{done} article(s) from the cache")

    def finished(i: int, work: tuple) -> None:
        nonlocal done
        kind, value, blob = work
        if cache and blob is not None:
            cache.put(keys[i], blob, (kind, value))
        if progress:
            progress(done, len(units), units[i].where)
        done += 1
        take(units[i], kind, value, blob, keys.get(i, ""))

    work = partial(_work, store=bool(cache))
    pending = _Loading([units[i] for i in todo])
    if client is not None:
        from kg.cluster import map_batches, threads

        map_batches(client, work, pending, lambda k, result: finished(todo[k], result),
                    chunk_size(len(todo), threads(client)))
    elif jobs <= 1 or len(todo) <= 1:
        for k, i in enumerate(todo):
            finished(i, work(pending[k]))
    else:
        _run_pool(work, pending, jobs, lambda k, result: finished(todo[k], result))
    return sorted(skipped, key=_skip_order)


def _load_again(cache: Cache, key: str, unit: Unit) -> Extraction:
    """The extraction of an article unchanged since the previous build: from the cache, else
    extracted again and put in the cache (InputError if its bytes are no longer those of ``key``)."""
    entry = cache.entry(key, unit.id)
    if entry is not None and entry[0] == "ok":
        return entry[1]
    unit = load_unit(unit)
    if unit.key(extractor_version()) != key:
        raise InputError(unit.where, "its bytes changed")
    kind, value, blob = _work(unit, store=True)
    if kind != "ok":
        raise InputError(unit.where, value)
    if blob is not None:
        cache.put(key, blob, (kind, value))
    return value


class _Loading:
    """Units as a sequence whose items are read (``load_unit``) when asked for: what the
    executors take, so a unit's bytes are in memory only while it is in flight. A unit that
    cannot be read is handed on as it is, and its worker reports why."""

    def __init__(self, units: list[Unit]):
        self._units = units

    def __len__(self) -> int:
        return len(self._units)

    def __getitem__(self, k: int) -> Unit:
        try:
            return load_unit(self._units[k])
        except InputError:
            return self._units[k]


def _work_many(work: Callable, units: list[Unit]) -> list[tuple]:
    """``work`` on each of a batch of units (one task of the process pool)."""
    return [work(u) for u in units]


def _run_pool(work: Callable, units: _Loading, jobs: int, take: Callable[[int, tuple], None]) -> None:
    """Run ``work`` on every unit in ``jobs`` processes, in batches of ``chunk_size``, with at
    most ``IN_FLIGHT`` batches per process submitted at once; ``take(index, result)`` as each
    batch finishes."""
    from concurrent.futures import FIRST_COMPLETED, wait

    size = chunk_size(len(units), jobs)
    starts = iter(range(0, len(units), size))
    with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init) as pool:
        running: dict = {}

        def submit() -> None:
            start = next(starts, None)
            if start is not None:
                rows = range(start, min(start + size, len(units)))
                running[pool.submit(_work_many, work, [units[k] for k in rows])] = rows
        try:
            for _ in range(jobs * IN_FLIGHT):
                submit()
            while running:
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for fut in sorted(finished, key=lambda f: running[f].start):
                    for k, result in zip(running.pop(fut), fut.result()):
                        take(k, result)
                    submit()
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _open_cache(cache) -> Cache | None:
    """A Cache for ``extract_paths``' ``cache`` argument, or None."""
    if cache is True:
        return Cache()
    if cache is None or cache is False or isinstance(cache, Cache):
        return cache or None
    return Cache(cache)


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
    cache = _open_cache(cache)
    new_store = new_store_path(store) if store is not None else None
    with _cluster(cluster, jobs) as client, Staging(out, OUTPUTS) as staging:   # the cluster first: a
        work = staging.path / ".work"       # refusal touches nothing; spool and shards: gone before commit
        work.mkdir()
        previous = _previous(out) if cache else None
        try:
            try:
                result = _extract_to_spool(paths, work, progress, jobs, cache, max_mb, client, previous)
            except StateError as exc:       # its records found damaged: extracted again (from the cache)
                previous.close()
                previous = None
                result = _extract_to_spool(paths, work, progress, jobs, cache, max_mb, client)
                result.notes.append(f"the previous build's state was not used ({exc}); built in full")
            _release(client)
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
                    result.notes.append(f"the previous build's state was not used ({exc}); built in full")
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


def _extract_to_spool(paths: list, work: Path, progress, jobs: int, cache, max_mb: float, client,
                      previous=None) -> BuildResult:
    """``extract_paths`` for a build: each extraction goes to a spool file in ``work`` as it
    finishes (``kg.graph.shards.ExtractionSpool``) and its entities into the merge, so memory
    holds the entities, not the articles. ``result.extractions`` is the spool. An article
    unchanged since the ``previous`` build (``kg.graph.state.PreviousBuild``) is taken from its
    state, not from the cache."""
    from kg.graph.spool import EntityTable, ExtractionSpool

    t0 = time.perf_counter()
    cache = _open_cache(cache)
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

    skipped = _stream(paths, progress, keep, jobs=jobs, cache=cache, max_mb=max_mb, client=client,
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
    from kg.outputs.folder import OutputError, cause, current_build, pause

    clock = [time.perf_counter()]

    def lap(stage: str) -> None:
        now = time.perf_counter()
        result.stages[stage] = now - clock[0]
        clock[0] = now

    d, view = staging.path, None
    try:
        report, graph, store_dir, tally, figures = _write_graph(result, d, work, store, staging.out, previous,
                                                                keep_state, step, lap)
        pause("writing")
        if html:
            step("html")
            view = _render_view(graph, store_dir, d / "graph.html")
            if view is None:
                lap("html")
            else:
                result.stages["html"] = 0.0         # its own seconds, once it is done
        step("report")
        write_atomic(d / "report.md", report)
        write_analysis(graph, d, step, tally.rows(), figures.rows())      # analysis.md, analysis.json
        lap("analysis")
        if view is not None:
            result.stages["html"] = view.result()   # beside the analysis: build() times the whole
    except OSError as exc:
        held = (current_build(staging.out) or {}).get("build", "none")
        raise OutputError(f"{staging.out}: cannot write the build ({cause(exc)}); "
                          f"the folder still holds build {held}") from None
    finally:
        if view is not None:
            view.stop()


def _write_graph(result: BuildResult, d: Path, work: Path, store, out: Path, previous, keep_state: bool,
                 step: Callable[[str], None], lap: Callable[[str], None]) -> tuple:
    """The graph pass, graph.ttl and the store (``_write_outputs``' first stages): the report's
    text, the graph the view and the analysis read (an on-disk store sealed: flushed, closed,
    its compactions ended, and opened again read-only, so that the files a second reader opens,
    ``kg.outputs.viewproc``, stay put), its folder if on disk, and the coverage and figure tallies."""
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
        return report, graph, shards.store_dir, tally, figures
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


def _render_view(graph, store_dir: Path | None, out_path: Path):
    """graph.html: in a process of its own when the graph is an on-disk store (the analysis goes
    on meanwhile; ``kg.outputs.viewproc``, returned), else here (None returned)."""
    if store_dir is None:
        from kg.outputs.view import render_html

        render_html(graph, out_path)
        return None
    from kg.outputs.viewproc import ViewProcess

    return ViewProcess(store_dir, out_path)


def _in_thread(fn: Callable, *args) -> "Future":
    """``fn(*args)`` started in a daemon thread (one that never holds up the exit of an
    interrupted build); its Future, the thread as its ``thread``."""
    import threading
    from concurrent.futures import Future

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
