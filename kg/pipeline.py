"""The extraction: files → articles → extractions → merged entities.

``extract_article`` runs the stages on one article (context, mentions, indicators, entities,
relations); ``merge`` joins the entities of many articles into one node per real thing.
Bad inputs are skipped with a reason and the rest is extracted. ``extract_paths`` reads the units
of ``kg.ingest.inputs`` (.txt, .html, .jsonl lines), takes what it can from ``kg.cache`` and extracts
the rest in ``jobs`` processes or on a Dask cluster (``kg.cluster``); the result does not depend on
``jobs``, the cluster or the input order. ``stream`` hands each article on as it is done (or found
in the cache, or unchanged since the previous build), which ``kg.build`` spools to disk.

What this module does not do: write the graph or the outputs (``kg.build``), or parse the
command line (``cli.py``).
"""
from __future__ import annotations

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
    with cluster_client(cluster, jobs) as client:
        return _extract(paths, progress, jobs, cache, max_mb, client)


@contextmanager
def cluster_client(address: str | None, jobs: int):
    """A Dask client for ``address`` (``kg.cluster.connect``), or None without one."""
    if not address:
        yield None
        return
    from kg.cluster import connect

    with connect(address, jobs) as client:
        yield client


def release_client(client) -> None:
    """Let the cluster's workers go once the extraction is done (a local cluster's stop)."""
    if client is not None:
        from kg.cluster import disconnect

        disconnect(client)


def _extract(paths, progress, jobs: int, cache, max_mb: float, client) -> BuildResult:
    """``extract_paths`` once the executor is chosen: processes, or ``client``'s cluster."""
    t0 = time.perf_counter()
    cache = open_cache(cache)
    extractions: list[Extraction] = []
    skipped = stream(paths, progress, lambda done: extractions.append(done.unpacked()),
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


def stream(paths, progress, keep: Callable[[Done], None], *, jobs: int,
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


def open_cache(cache) -> Cache | None:
    """A Cache for ``extract_paths``' ``cache`` argument, or None."""
    if cache is True:
        return Cache()
    if cache is None or cache is False or isinstance(cache, Cache):
        return cache or None
    return Cache(cache)
