"""A build's graph written without holding it: each article's triples written to a shard file
(the extractions come from ``kg.graph.spool``), graph.ttl written from the shards block by block,
an article unchanged since the previous build copied from that build's graph.ttl
(``kg.graph.state``), and an on-disk store filled from the shards, or copied from the previous
build's and brought up to date.

Why the bytes are those of ``kg.graph.rdf.build_graph`` + ``turtle``: an in-memory Oxigraph
store dumps its triples in the reverse of the order they were first added, and its Turtle
writer groups neighbouring triples of one subject. ``build_graph`` adds the entities (by key),
then the articles (by id), then the posts; so the stream here is the posts reversed, the
articles by descending id (each article's triples reversed) and the entities reversed, each
triple where it was first added (a relation between two entities belongs to the first article,
by id, that states it). ``tests/test_shards.py`` checks the bytes against ``build_graph``. Each
block (the posts, an article, the entities) is serialised on its own and the prefix lines written
once: no subject spans two blocks (an article's block begins and ends with triples of its own
nodes), so the pieces join into the bytes of one serialisation.

Memory: the merged entities (label, aliases,
attributes; not their mentions), the IRIs of the entities, one digest per distinct relation
triple and the posts. An on-disk Oxigraph store is filled from the shards by its bulk loader
(``GraphShards.load_store``) for the writers that read the graph back (view, analysis).

What this module does not do: decide the triples (``kg.graph.rdf``) or extract anything.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import itertools
from pathlib import Path
from typing import Iterator, NamedTuple

import pyoxigraph as ox

from kg.graph import rdf
from kg.graph.iri import article_iri, entity_iri
from kg.graph.lookup import FILE as LOOKUP_FILE, LookupRows, entity_rows
from kg.graph.state import StateError
from kg.model import Entity, Extraction
from kg.vocab import PREFIXES

_NT = ox.RdfFormat.N_TRIPLES
# Up to this many triples the graph the view and the analysis read is an in-memory store (about
# 420 bytes a triple; their lookups cost ~3 µs there, ~40 µs in an on-disk store); beyond, an
# on-disk one, so that memory stops growing with the corpus.
MEMORY_TRIPLES = 1_500_000
# A store is compacted (``Store.optimize``) once filled, and again when a rebuild's changes have
# added this many files since: a store read while RocksDB still holds its freshly loaded files
# side by side is slow to read (the view of 10,000 articles, read-only: 48 s fresh, 18 s compacted).
STORE_FILES_SLACK = 12
# Triples handed to Oxigraph's bulk loader at once: it holds what it is given in memory (the
# shards of 1,000 articles in one call: 890 MB peak; in calls of 100,000 lines: 170 MB, and faster).
LOAD_LINES = 100_000


_PREFIXES = {p: uri for p, uri in sorted(PREFIXES.items()) if p != "kgr"}
@functools.cache
def turtle_header() -> bytes:
    """The prefix lines Oxigraph's Turtle writer starts graph.ttl with (all of kg's prefixes,
    whatever the triples use; ``kgr:`` is left out, see ``kg.graph.rdf.turtle``)."""
    x = ox.NamedNode("urn:x")
    buf = io.BytesIO()
    ox.serialize([ox.Triple(x, x, x)], buf, format=ox.RdfFormat.TURTLE, prefixes=_PREFIXES)
    return b"".join(line for line in buf.getvalue().splitlines(keepends=True) if line.startswith(b"@prefix "))


def turtle_body(nt: bytes) -> bytes:
    """N-Triples as Turtle, without the prefix lines (``turtle_header``): what graph.ttl holds
    of them when no subject spans the boundary with what comes before or after."""
    if not nt:
        return b""
    buf = io.BytesIO()
    ox.serialize(ox.parse(nt, format=_NT), buf, format=ox.RdfFormat.TURTLE, prefixes=_PREFIXES)
    out, head = buf.getvalue(), turtle_header()
    if not out.startswith(head):
        raise RuntimeError("Oxigraph's Turtle writer no longer starts with the prefix lines kg expects")
    return out[len(head):]


class _Sink:
    """``add_ntriple`` into a list of lines, each once; a triple between entities once across
    the whole graph (``shared`` holds their digests; ``stated`` lists the digests of such
    lines this sink was given, ``owned`` those it kept)."""

    def __init__(self, shared: set[bytes], entity_nodes: set[str]):
        self.lines: list[str] = []
        self.stated: list[bytes] = []
        self.owned: list[bytes] = []
        self._seen: set[str] = set()
        self._shared, self._entities = shared, entity_nodes

    def add_ntriple(self, s: str, p: str, o: str) -> None:
        line = f"{s} {p} {o} .\n"
        if line in self._seen:
            return
        if s in self._entities:
            digest = hashlib.blake2b(line.encode("utf-8"), digest_size=16).digest()
            self.stated.append(digest)
            if digest in self._shared:
                return
            self._shared.add(digest)
            self.owned.append(digest)
        self._seen.add(line)
        self.lines.append(line)


class Block(NamedTuple):
    """Where an article's triples are: its lines in articles.nt, or (``old``) its Turtle in
    the previous build's graph.ttl."""
    id: str
    offset: int
    size: int
    old: bool
    triples: int


class Written(NamedTuple):
    """What ``GraphShards.add`` wrote for an article besides its lines: the digests of its
    lines between entities (``stated``), those it was the first to state (``owned``), and its
    posts as ``[post node, body, role, person, [evidence…]]``."""
    stated: list[bytes]
    owned: list[bytes]
    posts: list[list]


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
        self._blocks: list[Block] = []      # per article, in ascending id
        self._last = ""
        self.triples = 0        # written to the article shards so far
        self.store_dir: Path | None = None      # the on-disk store ``graph`` made, if it made one
        self.store_files = 0                    # its files when last compacted
        self.rows = LookupRows(self.folder)     # the lookup rows of the articles added
        self.lookup: Path | None = None         # the lookup file beside the on-disk store, if any

    def add(self, ex: Extraction) -> Written:
        """Write the triples of the next article (ids must come in ascending order)."""
        self._next(ex.article.id)
        sink = _Sink(self._shared, self._nodes)
        posts: dict[str, rdf._Post] = {}
        rdf._add_article(sink, ex, self.iris, self._lit, posts)
        self.rows.add(ex, self.iris)
        if len(self._lit) > 200_000:     # a cache of written literals, not a record: keep it small
            self._lit.clear()
        self.triples += len(sink.lines)
        data = "".join(reversed(sink.lines)).encode("utf-8")
        self._blocks.append(Block(ex.article.id, self._articles.tell(), len(data), False, len(sink.lines)))
        self._articles.write(data)
        mine = [[node, p.body, p.role, p.person, sorted(p.evidence)] for node, p in posts.items()]
        self._fold_posts(ex.article.id, mine)
        return Written(sink.stated, sink.owned, mine)

    def owns(self, stated: list[bytes]) -> list[bytes]:
        """Which of an article's ``stated`` lines it would be the first to state, were it added next."""
        return [d for d in stated if d not in self._shared]

    def reuse(self, article_id: str, stated: list[bytes], posts: list[list], turtle: tuple[int, int],
              triples: int) -> None:
        """Take the next article as the previous build wrote it: its Turtle at ``turtle`` (offset,
        size) in that build's graph.ttl, ``triples`` triples, the lines and posts it stated."""
        self._next(article_id)
        self._shared.update(stated)
        self.triples += triples
        self._blocks.append(Block(article_id, *turtle, True, triples))
        self._fold_posts(article_id, posts)

    def _next(self, article_id: str) -> None:
        if article_id <= self._last and self._blocks:
            raise ValueError(f"articles out of order: {article_id} after {self._last}")
        self._last = article_id

    def _fold_posts(self, article_id: str, posts: list[list]) -> None:
        a = rdf._node(article_iri(article_id))
        for node, body, role, person, evidence in posts:
            post = self._posts.setdefault(node, rdf._Post(body, role, person))
            post.articles.add(a)
            post.evidence.update(evidence)

    @property
    def reused(self) -> set[str]:
        """The articles taken from the previous build (``reuse``)."""
        return {b.id for b in self._blocks if b.old}

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

    def _article_blocks(self) -> Iterator[bytes]:
        """Each new article's shard (not those ``reuse``d), in ascending id order, read through
        a handle of its own: the Turtle and the store are written at the same time."""
        self._articles.flush()
        with open(self.folder / "articles.nt", "rb") as fh:
            for b in self._blocks:
                if not b.old:
                    fh.seek(b.offset)
                    yield fh.read(b.size)

    def write_turtle(self, path: str | Path, previous: str | Path | None = None) -> dict:
        """graph.ttl, byte for byte what ``rdf.turtle(rdf.build_graph(…))`` gives, as a stream:
        the posts, each article's block (by descending id; a ``reuse``d one copied from the
        ``previous`` graph.ttl) and the entities, each written on its own (no subject spans two:
        see the module). Returns where each part went: ``{"posts": (offset, size), "entities":
        …, "blocks": {article id: (offset, size, triples)}}``."""
        self._articles.flush()
        where: dict = {"blocks": {}}
        with open(path, "wb") as fh, open(self.folder / "articles.nt", "rb") as nt, \
                (open(previous, "rb") if previous else contextlib.nullcontext()) as old:
            fh.write(turtle_header())

            def put(data: bytes) -> tuple[int, int]:
                at = fh.tell()
                fh.write(data)
                return at, len(data)
            where["posts"] = put(turtle_body(self._lines(self._post_lines())))
            for b in reversed(self._blocks):
                src = old if b.old else nt
                src.seek(b.offset)
                data = src.read(b.size)
                if len(data) != b.size:
                    raise StateError(f"{previous}: shorter than the build it belongs to")
                where["blocks"][b.id] = (*put(data if b.old else turtle_body(data)), b.triples)
            where["entities"] = put(turtle_body(self._lines(self._entity_lines())))
        return where

    def graph(self, directory: str | Path, memory_triples: int | None = None, previous=None):
        """The graph for the writers that read it back (``kg.graph.oxgraph.OxGraph``): in memory,
        filled in ``build_graph``'s order (so it answers in the same order), while it has at
        most ``memory_triples`` (``MEMORY_TRIPLES``) triples; else an on-disk store at
        ``directory``: a new one, or with ``previous`` (``kg.graph.state.PreviousBuild``) a copy
        of that build's store brought up to date. Beside an on-disk store, in the folder that
        holds it, its lookup tables (``kg.graph.lookup``; their path in ``lookup``)."""
        from kg.graph.oxgraph import OxGraph

        if previous is not None:
            self.store_dir = Path(directory)
            self.lookup = self.rows.make(self.store_dir.parent / LOOKUP_FILE, entity_rows(self.entities, self.iris),
                                         previous.lookup, self.reused)
            store = self._update_store(previous, directory)
            self.store_files = _compacted(store, directory, previous.store_files)
            return OxGraph.over(store)
        if self.triples > (MEMORY_TRIPLES if memory_triples is None else memory_triples):
            self.store_dir = Path(directory)
            self.lookup = self.rows.make(self.store_dir.parent / LOOKUP_FILE, entity_rows(self.entities, self.iris))
            store = self.load_store(directory)
            self.store_files = _compacted(store, directory)
            return OxGraph.over(store)
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
        for chunk in self._new_lines():
            store.bulk_load(chunk, format=_NT, to_graph=ox.DefaultGraph())
        rest = "".join(self._entity_lines() + self._post_lines()).encode("utf-8")
        store.bulk_load(rest, format=_NT, to_graph=ox.DefaultGraph())
        return store

    def _new_lines(self) -> Iterator[bytes]:
        """The lines of articles.nt, ``LOAD_LINES`` at a time."""
        self._articles.flush()
        with open(self.folder / "articles.nt", "rb") as fh:
            while lines := list(itertools.islice(fh, LOAD_LINES)):
                yield b"".join(lines)

    def _update_store(self, previous, directory: str | Path) -> ox.Store:
        """A copy of ``previous``'s store at ``directory``, changed into this graph's: the triples
        of the articles not ``reuse``d and those of the posts and entities that changed are
        taken out (read from the previous graph.ttl), the new ones put in."""
        store = previous.checkpoint(directory)
        head, kept = turtle_header(), self.reused
        fresh = set(self._entity_lines() + self._post_lines())
        with open(previous.turtle, "rb") as fh:
            def old_triples(offset: int, size: int) -> Iterator[ox.Quad]:
                fh.seek(offset)
                data = head + fh.read(size)
                try:
                    yield from ox.parse(data, format=ox.RdfFormat.TURTLE)
                except SyntaxError as exc:
                    raise StateError(f"{previous.turtle}: not the graph its state describes ({exc})") from None
            for article_id, offset, size in previous.blocks():
                if article_id not in kept:
                    for q in old_triples(offset, size):
                        store.remove(q)
            for offset, size in previous.sections():
                for q in old_triples(offset, size):
                    line = f"{q.subject} {q.predicate} {q.object} .\n"
                    if line in fresh:
                        fresh.discard(line)     # there already
                    else:
                        store.remove(q)
        for chunk in self._new_lines():
            store.load(chunk, format=_NT, to_graph=ox.DefaultGraph())
        store.load("".join(sorted(fresh)).encode("utf-8"), format=_NT, to_graph=ox.DefaultGraph())
        store.flush()
        return store

    def close(self) -> None:
        """Close the shard file and the lookup rows (the caller removes the folder)."""
        self._articles.close()
        self.rows.close()


def _store_files(directory: str | Path) -> int:
    return sum(1 for p in Path(directory).iterdir() if p.suffix == ".sst")


def _compacted(store: ox.Store, directory: str | Path, files: int | None = None) -> int:
    """Compact ``store`` if it is fresh (``files`` None) or has more than ``STORE_FILES_SLACK``
    files beyond the ``files`` it had when last compacted; the files it has when last compacted."""
    if files is not None and _store_files(directory) <= files + STORE_FILES_SLACK:
        return files
    store.optimize()
    return _store_files(directory)
