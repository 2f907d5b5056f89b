"""What a build keeps for the next one, and reading it back: the build's state.

Beside its outputs a build that uses the extraction cache keeps, in ``.builds/<id>/state/``:

    records.sqlite   per article an ``ArticleRecord`` (what it wrote, and what that depended
                     on), where its Turtle is in this build's graph.ttl, the merge of all the
                     articles' entities, and what kg wrote it
    store/           the on-disk Oxigraph store the view and the analysis read
    lookup.sqlite    its mentions, relation statements, articles and entities as rows
                     (``kg.graph.lookup``)

The next build into the same folder (``PreviousBuild.open``) takes an unchanged article's
entities (the merge whole when no article went or changed, so that adding articles reads
no other's), report row, coverage and figure rows, posts and Turtle from there instead of reading
its extraction again, and brings a copy of the store up to date instead of filling a new one
(``kg.graph.shards``, ``kg.graph.graphpass``). What an article wrote is unchanged when its key
(its bytes, name and the extractor), its path, and the merged entities it refers to (their
IRIs, labels and types) are, and it is still the first to state the same relation lines; else it
is written again. A state that is missing, of another kg or not readable is not used: the build
is then a full one, with the same bytes (a state found damaged only while the build reads it,
lookup tables read back by the view and the analysis included, likewise: ``StateError``).

A build kept in memory (at most ``kg.graph.shards.MEMORY_TRIPLES`` triples) keeps no state:
remaking it takes seconds.

What this module does not do: decide what is reused (``kg.graph.graphpass``) or write triples.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Iterator

import orjson

from kg import serial
from kg.model import ArticleRecord

STATE = "state"
LOOKUP = "lookup.sqlite"      # kg.graph.lookup.FILE (which imports this module)


class StateError(Exception):
    """A previous build's state that turned out not to be usable while it was read (damaged
    records, a store that cannot be copied, a graph.ttl that is not the one it describes): the
    build is then made in full (``kg.build``)."""

FORMAT = "3"
_SCHEMA = """
CREATE TABLE records (id TEXT PRIMARY KEY, key TEXT, path TEXT, fingerprint TEXT, entities TEXT, body TEXT);
CREATE TABLE blocks (id TEXT PRIMARY KEY, offset INTEGER, size INTEGER, triples INTEGER);
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT);
"""
_BODY = ("refs", "stated", "owned", "report", "coverage", "figures", "posts")


def fingerprint(key: str, name: str, refs, iris: dict, labels: dict, types: dict) -> str:
    """A digest of what an article's triples and rows depend on besides its extraction: its
    ``key``, its file's ``name``, and for each entity key it looks up (``refs``) the merged
    entity's IRI, label and the types of that IRI.

    >>> a = fingerprint("k", "a.txt", [("Body", "县委")], {("Body", "县委"): "<x>"}, {}, {})
    >>> a == fingerprint("k", "a.txt", [("Body", "县委")], {("Body", "县委"): "<y>"}, {}, {})
    False
    """
    parts = [key, name]
    for k in refs:
        iri = iris.get(k)
        parts.append([*k, iri, labels.get(k), sorted(types.get(iri, ()))])
    return hashlib.blake2b(_dumps(parts).encode("utf-8"), digest_size=16).hexdigest()


def _dumps(doc) -> str:
    """Compact JSON (orjson's; the standard library's for what orjson refuses, integers beyond
    64 bits)."""
    try:
        return orjson.dumps(doc).decode("utf-8")
    except TypeError:
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def _body(rec: ArticleRecord) -> str:
    doc = {name: getattr(rec, name) for name in _BODY}
    doc["stated"] = [d.hex() for d in rec.stated]
    doc["owned"] = [d.hex() for d in rec.owned]
    return _dumps(doc)


class StateWriter:
    """The state of the build being written, in ``folder`` (``put`` each article's record as
    the graph pass makes it, then ``finish``; or ``discard``)."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.folder.mkdir()
        self._db = sqlite3.connect(self.folder / "records.sqlite", isolation_level=None)
        self._db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA + "BEGIN;")

    @property
    def store(self) -> Path:
        """Where the build's on-disk store goes (its lookup tables beside it,
        ``kg.graph.lookup``)."""
        return self.folder / "store"

    def put(self, rec: ArticleRecord, raw: tuple[str, str] | None = None) -> None:
        """Keep one article's record; ``raw``: its entities and the rest as a previous build
        kept them (``PreviousBuild.record``), copied as they are."""
        entities, body = raw or (json.dumps(serial.entities_out(rec.entities), ensure_ascii=False), _body(rec))
        self._db.execute("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?)",
                         (rec.id, rec.key, rec.path, rec.fingerprint, entities, body))

    def finish(self, where: dict, meta: dict[str, str], entity_table: str) -> None:
        """Keep where each part of graph.ttl is (``GraphShards.write_turtle``'s answer), ``meta``
        (the extractor version …) and the merge of the articles' entities
        (``kg.graph.spool.EntityTable.dump``), and close."""
        self._db.executemany("INSERT INTO blocks VALUES (?, ?, ?, ?)",
                             ((i, *block) for i, block in where["blocks"].items()))
        sections = {"posts": where["posts"], "entities": where["entities"]}
        rows = {**meta, "format": FORMAT, "sections": json.dumps(sections), "entity_table": entity_table}
        self._db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(rows.items()))
        self._db.execute("COMMIT")
        self._db.close()
        with open(self.folder / "records.sqlite", "rb+") as fh:    # on disk before the build is
            os.fsync(fh.fileno())                                   # committed (written unsynced)

    def discard(self) -> None:
        """Keep no state (a build held in memory)."""
        self._db.close()
        shutil.rmtree(self.folder, ignore_errors=True)


class PreviousBuild:
    """The state of the build an output folder holds, read back (``open``)."""

    def __init__(self, build_dir: Path, db: sqlite3.Connection, sections: dict, store_files: int = 0):
        self.dir = build_dir
        self.turtle = build_dir / "graph.ttl"
        self.store_files = store_files      # the files of its store when last compacted
        self._db = db
        self._sections = sections
        self._kept: dict[str, tuple[str, str]] | None = None     # id -> (key, file name)
        self._ahead: list | None = None     # [last id asked, cursor over the records, its row]
        self._blocks: dict | None = None    # id -> (offset, size, triples), read at the first call

    @classmethod
    def open(cls, build_dir: str | Path, graph_size: int, meta: dict[str, str]) -> "PreviousBuild | None":
        """The state of the build in ``build_dir`` (an output folder's ``.current``), if it has
        one written by a kg whose ``meta`` (extractor version …) is this one's and its graph.ttl
        is ``graph_size`` bytes (what its manifest says); else None."""
        build_dir = Path(build_dir)
        state = build_dir / STATE
        if not (state / "store").is_dir() or not all((state / f).is_file() for f in ("records.sqlite", LOOKUP)):
            return None
        db = None
        try:
            db = sqlite3.connect(f"file:{state / 'records.sqlite'}?mode=ro", uri=True, check_same_thread=False)
            kept = dict(db.execute("SELECT name, value FROM meta WHERE name != 'entity_table'"))
            if kept.get("format") == FORMAT and all(kept.get(k) == v for k, v in meta.items()) \
                    and (build_dir / "graph.ttl").stat().st_size == graph_size:
                return cls(build_dir.resolve(), db, json.loads(kept["sections"]), int(kept["store_files"]))
        except (OSError, sqlite3.Error, KeyError, TypeError, ValueError):
            pass
        if db is not None:
            db.close()
        return None

    @property
    def lookup(self) -> Path:
        """This build's lookup tables (``kg.graph.lookup``)."""
        return self.dir / STATE / LOOKUP

    def has(self, article_id: str, key: str, path: str) -> bool:
        """Whether this build had ``article_id`` with this ``key`` and a ``path`` of the same file
        name (what the outputs hold of it)."""
        return self._records().get(article_id) == (key, Path(path).name)

    def ids(self) -> set[str]:
        """The articles this build had."""
        return set(self._records())

    def _records(self) -> dict[str, tuple[str, str]]:
        """id -> (key, file name) of every record, read at the first call."""
        if self._kept is None:
            try:
                self._kept = {i: (k, Path(p).name) for i, k, p in self._db.execute("SELECT id, key, path FROM records")}
            except (sqlite3.Error, TypeError) as exc:
                raise StateError(f"the records cannot be read ({exc})") from None
        return self._kept

    def entities(self, article_id: str) -> dict:
        """The entities of ``article_id`` (without mentions), as its extraction found them."""
        try:
            row = self._db.execute("SELECT entities FROM records WHERE id = ?", (article_id,)).fetchone()
            return serial.entities_in(json.loads(row[0]))
        except (sqlite3.Error, ValueError, TypeError, serial.BadEntry) as exc:
            raise StateError(f"the entities of {article_id!r} cannot be read ({exc})") from None

    def entity_table(self):
        """This build's merge of all its articles' entities (``kg.graph.spool.EntityTable``)."""
        from kg.graph.spool import EntityTable

        try:
            row = self._db.execute("SELECT value FROM meta WHERE name = 'entity_table'").fetchone()
            return EntityTable.load(row[0])
        except (sqlite3.Error, TypeError, serial.BadEntry) as exc:
            raise StateError(f"the merged entities cannot be read ({exc})") from None

    def record(self, article_id: str) -> tuple[ArticleRecord, tuple[str, str]] | None:
        """What this build wrote for ``article_id`` (None if it had no such article), and the
        record's entities and body as kept (for ``StateWriter.put``). The record's entities are
        not read (the build has them, through ``entities`` or ``entity_table``)."""
        try:
            row = self._row(article_id)
            if row is None:
                return None
            key, path, fp, entities, body = row
            doc = orjson.loads(body)
            rec = ArticleRecord(article_id, key, path, fp, {}, [tuple(k) for k in doc["refs"]],
                                [bytes.fromhex(d) for d in doc["stated"]], [bytes.fromhex(d) for d in doc["owned"]],
                                doc["report"], doc["coverage"], [tuple(r) for r in doc["figures"]], doc["posts"])
            if not all(isinstance(doc[k], t) for k, t in (("report", dict), ("coverage", dict), ("posts", list))):
                raise TypeError("a record of another shape")
        except (sqlite3.Error, ValueError, TypeError, KeyError, AttributeError) as exc:
            raise StateError(f"the record of {article_id!r} cannot be read ({exc})") from None
        return rec, (entities, body)

    def _row(self, article_id: str) -> tuple | None:
        """The record's row (key, path, fingerprint, entities, body): read from one pass over all
        records in id order while the ids asked for ascend (as the graph pass asks), else alone."""
        if self._ahead is None or article_id <= self._ahead[0]:
            self._ahead = [article_id, self._db.execute(
                "SELECT id, key, path, fingerprint, entities, body FROM records WHERE id >= ? ORDER BY id",
                (article_id,)), None]
        ahead = self._ahead
        ahead[0] = article_id
        while ahead[2] is None or ahead[2][0] < article_id:
            ahead[2] = ahead[1].fetchone()
            if ahead[2] is None:
                ahead[2] = ("\U0010ffff" * 2,)      # past every id
                break
        return ahead[2][1:] if ahead[2][0] == article_id else None

    def block(self, article_id: str) -> tuple[int, int, int] | None:
        """(offset, size, triples) of the article's Turtle in this build's graph.ttl."""
        try:
            if self._blocks is None:
                self._blocks = {i: (o, s, t) for i, o, s, t in self._db.execute(
                    "SELECT id, offset, size, triples FROM blocks")}
            return self._blocks.get(article_id)
        except sqlite3.Error as exc:
            raise StateError(f"where {article_id!r} is in graph.ttl cannot be read ({exc})") from None

    def blocks(self) -> Iterator[tuple[str, int, int]]:
        """(article id, offset, size) of every article's Turtle in graph.ttl."""
        try:
            yield from self._db.execute("SELECT id, offset, size FROM blocks ORDER BY id").fetchall()
        except sqlite3.Error as exc:
            raise StateError(f"where the articles are in graph.ttl cannot be read ({exc})") from None

    def sections(self) -> list[tuple[int, int]]:
        """(offset, size) of the posts' and the entities' Turtle in graph.ttl."""
        return [tuple(self._sections[name]) for name in ("posts", "entities")]

    def checkpoint(self, directory: str | Path):
        """A copy of this build's store at ``directory`` (hard links where the filesystem
        allows), opened for writing."""
        import pyoxigraph as ox

        try:
            ox.Store.read_only(str(self.dir / STATE / "store")).backup(str(directory))
            return ox.Store(str(directory))
        except (OSError, RuntimeError) as exc:      # RocksDB's "Corruption" comes as a RuntimeError
            raise StateError(f"the store cannot be copied ({exc})") from None

    def close(self) -> None:
        """Let go of the records."""
        self._db.close()
