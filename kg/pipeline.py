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
from typing import Callable, Iterable

from kg.extract.context import home_label
from kg.extract.home import build_context
from kg.extract.groups import keep_supported
from kg.extract.posts import find as find_posts
from kg.model import Article, BuildResult, Entity, EntityType, Extraction, Skipped, Unit, entity_key
from kg.cache import Cache, extractor_version, pack
from kg.ingest.inputs import DEFAULT_MAX_MB, list_files, read_unit, units_of
from kg.ingest.decode import InputError
from kg.extract.relations import extract_relations, lead_body
from kg.extract.resolve import (add_byline, build_entities, find_indicators, find_mentions, settle_overlaps,
                      trim_actor_prefix)

# Articles handed to a worker process at once: chunks big enough to pay for the hand-over, small
# enough (at least CHUNKS_PER_WORKER per worker) that one slow article does not leave the others idle.
MAX_CHUNK = 16
CHUNKS_PER_WORKER = 8


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
    skipped = _stream(paths, progress, lambda ex, blob: extractions.append(ex),
                      jobs=jobs, cache=cache, max_mb=max_mb, client=client)
    extractions.sort(key=lambda ex: ex.article.id)
    return BuildResult(extractions, merge(extractions), skipped, time.perf_counter() - t0,
                       cache=dict(cache.stats) if cache else {})


def chunk_size(items: int, workers: int) -> int:
    """Articles handed to a worker at once (see MAX_CHUNK)."""
    return max(1, min(MAX_CHUNK, items // (workers * CHUNKS_PER_WORKER)))


def _stream(paths, progress, keep: Callable[[Extraction, bytes | None], None], *, jobs: int,
            cache: Cache | None, max_mb: float, client=None) -> list[Skipped]:
    """Call ``keep(extraction, blob)`` for each article under ``paths`` as it is extracted (or
    taken from ``cache``), in no set order: its path is the file as given this time, ``blob``
    its packed bytes (``kg.cache.pack``) or None. Returns what was skipped, by file and line."""
    files, skipped = list_files(paths)
    units, more = units_of(files, max_mb)
    skipped += more
    version = extractor_version() if cache else ""

    def take(unit: Unit, kind: str, value, blob: bytes | None) -> None:
        if kind == "ok":
            value.article.path = unit.path       # the file as given this time
            keep(value, blob)
        else:
            skipped.append(Skipped(unit.where, value))

    todo: list[int] = []
    done = 0
    for i, u in enumerate(units):
        hit = cache.entry(u.key(version), u.id) if cache else None
        if hit is None:
            todo.append(i)
            continue
        done += 1
        take(u, *hit)
    if progress and done:
        progress(done - 1, len(units), f"{done} article(s) from the cache")

    def finished(i: int, work: tuple) -> None:
        nonlocal done
        kind, value, blob = work
        if cache and blob is not None:
            cache.put(units[i].key(version), blob)
        if progress:
            progress(done, len(units), units[i].where)
        done += 1
        take(units[i], kind, value, blob)

    work = partial(_work, store=bool(cache))
    if client is not None:
        from kg.cluster import map_batches, threads

        map_batches(client, work, [units[i] for i in todo], lambda k, result: finished(todo[k], result),
                    chunk_size(len(todo), threads(client)))
    elif jobs <= 1 or len(todo) <= 1:
        for i in todo:
            finished(i, work(units[i]))
    else:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init) as pool:
            try:
                chunk = chunk_size(len(todo), jobs)
                for i, done_work in zip(todo, pool.map(work, [units[i] for i in todo], chunksize=chunk)):
                    finished(i, done_work)
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    return sorted(skipped, key=_skip_order)


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
          step: Callable[[str], None] | None = None) -> BuildResult:
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
    """
    from kg.outputs.folder import Staging, pause

    paths = list(paths)
    out = Path(out_dir)
    with _cluster(cluster, jobs) as client, Staging(out, OUTPUTS) as staging:   # the cluster first: a
        work = staging.path / ".work"       # refusal touches nothing; spool and shards: gone before commit
        work.mkdir()
        try:
            result = _extract_to_spool(paths, work, progress, jobs, cache, max_mb, client)
            _release(client)
            result.stages["extract"] = result.seconds
            if not result.extractions or (strict and result.skipped):
                return result
            pause("extracted")
            _write_outputs(result, staging, work, html, step or (lambda name: None))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        manifest = staging.commit(_build_info(paths, result))
    result.build_id = manifest["build"]
    result.outputs = {name: out / name for name in [*manifest["outputs"], "build.json"]}
    result.seconds = sum(result.stages.values())
    return result


def _extract_to_spool(paths: list, work: Path, progress, jobs: int, cache, max_mb: float, client) -> BuildResult:
    """``extract_paths`` for a build: each extraction goes to a spool file in ``work`` as it
    finishes (``kg.graph.shards.ExtractionSpool``) and its entities into the merge, so memory
    holds the entities, not the articles. ``result.extractions`` is the spool."""
    from kg.graph.shards import EntityTable, ExtractionSpool

    t0 = time.perf_counter()
    cache = _open_cache(cache)
    spool, table = ExtractionSpool(work), EntityTable()

    def keep(ex: Extraction, blob: bytes | None) -> None:
        spool.add(ex, blob)
        table.add(ex.article.id, ex.entities)

    skipped = _stream(paths, progress, keep, jobs=jobs, cache=cache, max_mb=max_mb, client=client)
    return BuildResult(spool, table.entities(), skipped, time.perf_counter() - t0,
                       cache=dict(cache.stats) if cache else {})


def _write_outputs(result: BuildResult, staging, work: Path, html: bool, step: Callable[[str], None]) -> None:
    """Write the outputs into the staging folder, timing each stage into ``result.stages``: the
    graph as shards in ``work`` (``kg.graph.shards``), graph.ttl streamed from them, and a store
    filled from them for the view and the analysis to read (on disk for a large graph)."""
    from kg.analysis.analyze import write_analysis
    from kg.analysis.coverage import CoverageTally
    from kg.files import write_atomic
    from kg.outputs.folder import OutputError, cause, current_build, pause
    from kg.graph.shards import GraphShards
    from kg.outputs.report import build_report

    clock = [time.perf_counter()]

    def lap(stage: str) -> None:
        now = time.perf_counter()
        result.stages[stage] = now - clock[0]
        clock[0] = now

    d = staging.path
    shards = GraphShards(work, result.entities)
    tally = CoverageTally(shards.iris, result.entities)     # the analysis' coverage, in the same pass
    try:
        step("graph")
        report = build_report(result, each=lambda ex: (shards.add(ex), tally.add(ex)))
        graph = shards.graph(work / "store")
        lap("graph")
        step("turtle")
        shards.write_turtle(d / "graph.ttl")
        lap("turtle")
        pause("writing")
        if html:
            from kg.outputs.view import render_html
            step("html")
            render_html(graph, d / "graph.html")
            lap("html")
        step("report")
        write_atomic(d / "report.md", report)
        write_analysis(graph, d, step, tally.rows())      # analysis.md, analysis.json
        lap("analysis")
    except OSError as exc:
        held = (current_build(staging.out) or {}).get("build", "none")
        raise OutputError(f"{staging.out}: cannot write the build ({cause(exc)}); "
                          f"the folder still holds build {held}") from None
    finally:
        shards.close()


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
