"""A build's graph written without holding it: extractions spooled to disk, entities merged in
memory proportional to the distinct entities, each article's triples written to a shard file,
and graph.ttl written as a stream from the shards.

Why the bytes are those of ``kg.graph.rdf.build_graph`` + ``turtle``: an in-memory Oxigraph
store dumps its triples in the reverse of the order they were first added, and its Turtle
writer groups neighbouring triples of one subject. ``build_graph`` adds the entities (by key),
then the articles (by id), then the posts; so the stream here is the posts reversed, the
articles by descending id (each article's triples reversed) and the entities reversed, each
triple where it was first added (a relation between two entities belongs to the first article,
by id, that states it). ``tests/test_shards.py`` checks the bytes against ``build_graph``.

Memory: the index of the spool (one entry per article), the merged entities (label, aliases,
attributes; not their mentions), the IRIs of the entities, one digest per distinct relation
triple and the posts. An on-disk Oxigraph store is filled from the shards by its bulk loader
(``GraphShards.load_store``) for the writers that read the graph back (view, analysis).

What this module does not do: decide the triples (``kg.graph.rdf``) or extract anything.
"""
from __future__ import annotations

import hashlib
import itertools
import pickle
import tempfile
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox

from kg import serial
from kg.graph import rdf
from kg.graph.iri import entity_iri
from kg.model import Entity, Extraction
from kg.vocab import PREFIXES

_NT = ox.RdfFormat.N_TRIPLES
# Up to this many triples the graph the view and the analysis read is an in-memory store (about
# 420 bytes a triple; their lookups cost ~3 µs there, ~40 µs in an on-disk store); beyond, an
# on-disk one, so that memory stops growing with the corpus.
MEMORY_TRIPLES = 1_500_000
# Triples handed to Oxigraph's bulk loader at once: it holds what it is given in memory (the
# shards of 1,000 articles in one call: 890 MB peak; in calls of 100,000 lines: 170 MB, and faster).
LOAD_LINES = 100_000


class ExtractionSpool:
    """Extractions written into an anonymous temporary file in ``folder`` as they finish
    (pickled, or as the cache entry they came from), read back one at a time in article-id
    order. ``len``, truth, iteration and
    indexing as a sorted list's (each item unpacked when read). The file goes when the spool
    does."""

    def __init__(self, folder: str | Path | None = None):
        self._fh = tempfile.TemporaryFile(dir=folder)
        self._index: dict[str, tuple[int, int, str, bool]] = {}      # id -> (offset, size, path, pickled)

    def add(self, ex: Extraction) -> None:
        """Append ``ex``. It is pickled: this file is written and read by this process alone
        and gone with it, and unpickling is ~4x faster than the checked reading of a cache
        entry (``kg.serial.load``), which the graph pass does once per article."""
        self._append(ex.article.id, ex.article.path, pickle.dumps(ex, protocol=pickle.HIGHEST_PROTOCOL), True)

    def add_packed(self, article_id: str, path: str, blob: bytes) -> None:
        """Append the extraction of ``article_id`` (read from ``path``) as a cache entry's
        bytes (``kg.serial.dump``), checked and unpacked only when read back."""
        self._append(article_id, path, blob, False)

    def _append(self, article_id: str, path: str, data: bytes, pickled: bool) -> None:
        self._fh.seek(0, 2)
        self._index[article_id] = (self._fh.tell(), len(data), path, pickled)
        self._fh.write(data)

    def __len__(self) -> int:
        return len(self._index)

    def __bool__(self) -> bool:
        return bool(self._index)

    def __iter__(self) -> Iterator[Extraction]:
        for article_id in sorted(self._index):
            yield self._read(article_id)

    def __getitem__(self, i: int) -> Extraction:
        return self._read(sorted(self._index)[i])

    def _read(self, article_id: str) -> Extraction:
        offset, size, path, pickled = self._index[article_id]
        self._fh.seek(offset)
        data = self._fh.read(size)
        if pickled:
            ex = pickle.loads(data)     # noqa: S301 (our own temporary file, see ``add``)
        else:
            kind, ex = serial.load(data, article_id)     # BadEntry: damaged since its summary
            if kind != "ok":
                raise serial.BadEntry(f"article {article_id!r}: a skip, not an extraction")
        ex.article.path = path
        return ex


class EntityTable:
    """Entities merged across articles as ``kg.pipeline.merge`` does, in any order of arrival:
    the label and each attribute come from the first article by id that has them; aliases are
    joined; mentions are not kept."""

    def __init__(self) -> None:
        self._first: dict[tuple[str, str], tuple[str, Entity]] = {}
        self._attr_from: dict[tuple[str, str], dict[str, str]] = {}

    def add(self, article_id: str, entities: dict[tuple[str, str], Entity]) -> None:
        """Fold one article's entities in."""
        for key, e in entities.items():
            seen = self._first.get(key)
            if seen is None or article_id < seen[0]:
                old = seen[1] if seen else None
                m = Entity(e.type, e.label, set(old.aliases) if old else set(), dict(old.attrs) if old else {})
                self._first[key] = (article_id, m)
            m = self._first[key][1]
            m.aliases |= e.aliases
            src = self._attr_from.setdefault(key, {})
            for k, v in e.attrs.items():
                if k not in src or article_id < src[k]:
                    src[k] = article_id
                    m.attrs[k] = v

    def entities(self) -> dict[tuple[str, str], Entity]:
        """The merged entities by key (without mentions)."""
        return {key: e for key, (_, e) in self._first.items()}


class _Sink:
    """``add_ntriple`` into a list of lines, each once; a triple between entities once across
    the whole graph (``shared`` holds their digests)."""

    def __init__(self, shared: set[bytes], entity_nodes: set[str]):
        self.lines: list[str] = []
        self._seen: set[str] = set()
        self._shared, self._entities = shared, entity_nodes

    def add_ntriple(self, s: str, p: str, o: str) -> None:
        line = f"{s} {p} {o} .\n"
        if line in self._seen:
            return
        if s in self._entities:
            digest = hashlib.blake2b(line.encode("utf-8"), digest_size=16).digest()
            if digest in self._shared:
                return
            self._shared.add(digest)
        self._seen.add(line)
        self.lines.append(line)


class GraphShards:
    """The triples of a build in shard files under ``folder``: ``add`` each article in
    ascending id order, then ``write_turtle`` and ``load_store``."""

    def __init__(self, folder: str | Path, entities: dict[tuple[str, str], Entity]):
        self.folder = Path(folder)
        self.entities = entities
        self.iris = {key: rdf._node(entity_iri(e.type, key[1], e.attrs.get("code", "")))
                     for key, e in entities.items()}
        self._nodes = set(self.iris.values())
        self._shared: set[bytes] = set()
        self._lit = rdf._Literals()
        self._posts: dict[str, rdf._Post] = {}
        self._articles = open(self.folder / "articles.nt", "w+b")
        self._blocks: list[tuple[int, int]] = []        # (offset, size), in ascending article id
        self._last = ""
        self.triples = 0        # written to the article shards so far
        self.store_dir: Path | None = None      # the on-disk store ``graph`` made, if it made one

    def add(self, ex: Extraction) -> None:
        """Write the triples of the next article (ids must come in ascending order)."""
        if ex.article.id <= self._last and self._blocks:
            raise ValueError(f"articles out of order: {ex.article.id} after {self._last}")
        self._last = ex.article.id
        sink = _Sink(self._shared, self._nodes)
        rdf._add_article(sink, ex, self.iris, self._lit, self._posts)
        if len(self._lit) > 200_000:     # a cache of written literals, not a record: keep it small
            self._lit.clear()
        self.triples += len(sink.lines)
        data = "".join(reversed(sink.lines)).encode("utf-8")
        self._blocks.append((self._articles.tell(), len(data)))
        self._articles.write(data)

    def _entity_lines(self) -> list[str]:
        sink = _Sink(set(), set())
        for key in sorted(self.entities):
            rdf._add_entity(sink, self.iris[key], self.entities[key])
        return sink.lines

    def _post_lines(self) -> list[str]:
        sink = _Sink(set(), set())
        rdf._add_posts(sink, self._posts)
        return sink.lines

    @staticmethod
    def _lines(lines: list[str]) -> bytes:
        """Lines as a shard holds them: reversed."""
        return "".join(reversed(lines)).encode("utf-8")

    def _article_blocks(self, reverse: bool = False) -> Iterator[bytes]:
        """Each article's shard, in ascending id order (descending with ``reverse``), read
        through a handle of its own: the Turtle and the store are written at the same time."""
        self._articles.flush()
        with open(self.folder / "articles.nt", "rb") as fh:
            for offset, size in (reversed(self._blocks) if reverse else self._blocks):
                fh.seek(offset)
                yield fh.read(size)

    def _chunks(self) -> Iterator[bytes]:
        """The graph's N-Triples in the order of ``build_graph``'s store dump (see the module)."""
        yield self._lines(self._post_lines())
        yield from self._article_blocks(reverse=True)
        yield self._lines(self._entity_lines())

    def write_turtle(self, path: str | Path) -> None:
        """graph.ttl, byte for byte what ``rdf.turtle(rdf.build_graph(…))`` gives, as a stream."""
        prefixes = {p: uri for p, uri in sorted(PREFIXES.items()) if p != "kgr"}

        def triples():
            for chunk in self._chunks():
                if chunk:
                    yield from ox.parse(chunk, format=_NT)
        with open(path, "wb") as fh:
            ox.serialize(triples(), fh, format=ox.RdfFormat.TURTLE, prefixes=prefixes)

    def graph(self, directory: str | Path, memory_triples: int | None = None):
        """The graph for the writers that read it back (``kg.graph.oxgraph.OxGraph``): in memory,
        filled in ``build_graph``'s order (so it answers in the same order), while it has at
        most ``memory_triples`` (``MEMORY_TRIPLES``) triples; else an on-disk store at ``directory``."""
        from kg.graph.oxgraph import OxGraph

        if self.triples > (MEMORY_TRIPLES if memory_triples is None else memory_triples):
            self.store_dir = Path(directory)
            return OxGraph.over(self.load_store(directory))
        g = OxGraph()
        blocks = itertools.chain([self._lines(self._entity_lines())], self._article_blocks(),
                                 [self._lines(self._post_lines())])
        for chunk in blocks:
            g.store.load(b"".join(reversed(chunk.splitlines(keepends=True))), format=_NT, to_graph=ox.DefaultGraph())
        return g

    def load_store(self, directory: str | Path) -> ox.Store:
        """A new on-disk Oxigraph store at ``directory`` holding the graph (bulk-loaded from the
        shards; the default graph)."""
        store = ox.Store(str(directory))
        self._articles.flush()
        with open(self.folder / "articles.nt", "rb") as fh:
            while lines := list(itertools.islice(fh, LOAD_LINES)):
                store.bulk_load(b"".join(lines), format=_NT, to_graph=ox.DefaultGraph())
        rest = "".join(self._entity_lines() + self._post_lines()).encode("utf-8")
        store.bulk_load(rest, format=_NT, to_graph=ox.DefaultGraph())
        return store

    def close(self) -> None:
        """Close the shard file (the caller removes the folder)."""
        self._articles.close()
