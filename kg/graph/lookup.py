"""A build's lookup tables, beside its on-disk store: every mention, relation statement, article
and entity of the graph as a row of an SQLite file, for the view and the analysis to read by
entity or by edge.

Why: in an on-disk Oxigraph store each term spelt out costs 3–5 µs, and the view and the
analysis read whole what hangs off entities mentioned everywhere (one group of a 10,000-article
build: 28,737 mentions in 7,785 articles). SQLite hands those rows over for a fraction of that,
and its index gives an entity's first mentions in IRI order without reading the rest.

The rows are what ``kg.graph.rdf`` writes, with its IRIs (entity, article, mention, sentence,
evidence):

    mention    (entity, mention, article id, sentence)         one per kg:Mention kg:denotes
    statement  (s, o, p, article id, sentence index, evidence, pattern, role)
                                                                one per rdf:Statement and pattern
    article    (id, IRI, label, file name, URL)                 one per kg:Article
    entity     (IRI, type, label, level, code)                  one per merged entity

A statement is told apart by (article, sentence index, role), as its IRI is
(``kg.graph.iri.statement_iri``); its evidence is the sentence, the byline (sentence -1) or
none. ``LookupRows`` gathers the rows of the articles a build writes; ``make`` turns them into
the build's file, or, with the previous build's file, a copy of it with the rows of the articles
written again (or gone) swapped: the tables follow the store (``kg.graph.shards``). A previous
file that cannot be read is a ``kg.graph.state.StateError`` (the build is then made in full), and
so is, through ``kg.build``, one whose damage shows only when the view or the analysis reads it
(``LookupDamaged``).

What this module does not do: decide what the view or the analysis show with them.
"""
from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Iterable, Iterator

from kg.graph.iri import article_iri
from kg.graph.state import LOOKUP as FILE, StateError
from kg.model import POST_RELATIONS, Extraction
from kg.vocab import KG

_TABLES = """
CREATE TABLE IF NOT EXISTS mention (entity TEXT, mention TEXT, article TEXT, sentence TEXT,
  PRIMARY KEY (entity, mention)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS statement (s TEXT, o TEXT, p TEXT, article TEXT, sentence INTEGER,
  evidence TEXT, pattern TEXT, role TEXT,
  PRIMARY KEY (s, o, p, article, sentence, role, pattern)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entity (iri TEXT, type TEXT, label TEXT, level TEXT, code TEXT,
  PRIMARY KEY (iri, type, label)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS article (id TEXT PRIMARY KEY, iri TEXT, label TEXT, file TEXT, url TEXT);
"""
_INDEXES = """
CREATE INDEX IF NOT EXISTS mention_article ON mention (article);
CREATE INDEX IF NOT EXISTS statement_article ON statement (article);
"""
_FAST = "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
_CHUNK = 500        # IRIs in one query


class LookupDamaged(Exception):
    """Lookup tables found damaged while read (the view's process and the analysis read them;
    ``kg.build`` then makes the build in full when they came from the previous build)."""


def article_rows(ex: Extraction, iris: dict[tuple[str, str], str]) -> tuple[list[tuple], list[tuple]]:
    """The mention and statement rows of one article (``iris``: entity key → IRI in N-Triples
    form, as ``kg.graph.shards`` holds them); what is not in ``iris`` is not written, as in
    ``kg.graph.rdf``. (Its article row: ``article_row``.)"""
    art = ex.article
    a = str(article_iri(art.id))    # the mention, sentence and byline IRIs of kg.graph.iri, spelt here
    mentions = []                   # from the article's once (tests/test_lookup.py checks them)
    for m in ex.mentions:
        node = iris.get((m.type, m.label))
        if node is not None:
            rs, re_ = art.raw_span(m.start, m.end)
            mentions.append((node[1:-1], f"{a}/m{rs}-{re_}-{m.type.lower()}", art.id, f"{a}/s{m.sentence}"))
    statements = []
    byline = f"{a}/byline" if art.author else None
    for r in ex.relations:
        s, o = iris.get(r.subject), iris.get(r.object)
        if s is not None and o is not None:
            evidence = f"{a}/s{r.sentence}" if r.sentence >= 0 else byline
            role = r.role if r.predicate in POST_RELATIONS and r.role else ""
            statements.append((s[1:-1], o[1:-1], str(KG[r.predicate]), art.id, r.sentence, evidence,
                               r.pattern, role))
    return mentions, statements


def article_row(ex: Extraction) -> tuple:
    """The article row of one article: what ``kg.graph.rdf`` writes of it as a kg:Article."""
    art = ex.article
    return (art.id, str(article_iri(art.id)), art.title or art.id, Path(art.path).name, art.url or None)


def entity_rows(entities: dict, iris: dict[tuple[str, str], str]) -> Iterator[tuple]:
    """(IRI, type, label, level, code) of each merged entity, as ``kg.graph.rdf`` writes it
    (``iris`` as in ``article_rows``; level and code those of a region, else None)."""
    for key, e in entities.items():
        attrs = e.attrs if e.type == "Region" else {}
        level, code = attrs.get("level"), attrs.get("code")
        yield (iris[key][1:-1], str(e.type), e.label, str(level) if level else None, str(code) if code else None)


class LookupRows:
    """The rows of the articles a build writes (``add`` each), gathered in an SQLite file in
    ``folder`` until ``make`` places them."""

    def __init__(self, folder: str | Path):
        self.path = Path(folder) / "new-rows.sqlite"
        self.path.unlink(missing_ok=True)       # (left by a build attempt that was given up)
        # (made in the graph pass, placed by ``make`` in the thread that fills the store)
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        with _as_os_error(self.path):
            self._db.executescript(_FAST + _TABLES + "BEGIN;")

    def add(self, ex: Extraction, iris: dict) -> None:
        """Keep the rows of one article."""
        mentions, statements = article_rows(ex, iris)
        with _as_os_error(self.path):
            self._db.execute("INSERT OR REPLACE INTO article VALUES (?, ?, ?, ?, ?)", article_row(ex))
            self._db.executemany("INSERT OR IGNORE INTO mention VALUES (?, ?, ?, ?)", mentions)
            self._db.executemany("INSERT OR IGNORE INTO statement VALUES (?, ?, ?, ?, ?, ?, ?, ?)", statements)

    def make(self, path: str | Path, entities: Iterable[tuple], previous: str | Path | None = None,
             kept: Iterable[str] = ()) -> Path:
        """The build's lookup file at ``path``: these rows and the ``entities`` (``entity_rows``);
        with ``previous`` (the previous build's file), a copy of it where only the rows of the
        articles ``kept`` stay, these rows added. Synced to disk (part of the build's state)."""
        self.close()
        path = Path(path)
        if previous is None:
            with _as_os_error(path):
                shutil.move(self.path, path)
                _filled(sqlite3.connect(path, isolation_level=None), _INDEXES, entities)
        else:
            _updated(Path(previous), path, self.path, set(kept), entities)
        with open(path, "rb+") as fh:
            os.fsync(fh.fileno())
        return path

    def close(self) -> None:
        """Let go of the rows (kept in the file until ``make`` moves it or the folder goes)."""
        if self._db is not None:
            db, self._db = self._db, None
            try:
                with _as_os_error(self.path):
                    if db.in_transaction:
                        db.execute("COMMIT")
            finally:
                db.close()


@contextlib.contextmanager
def _as_os_error(path: Path):
    """SQLite's "disk full" and "disk I/O error" as the OSError a build reports (naming no
    traceback): the rows are written where the build writes its outputs."""
    try:
        yield
    except sqlite3.Error as exc:
        code = getattr(exc, "sqlite_errorcode", None)
        if code is not None and code & 0xFF == sqlite3.SQLITE_FULL:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path)) from None
        if code is not None and code & 0xFF == sqlite3.SQLITE_IOERR:
            raise OSError(errno.EIO, os.strerror(errno.EIO), str(path)) from None
        raise


def _filled(db: sqlite3.Connection, script: str, entities: Iterable[tuple]) -> None:
    """Run ``script`` on ``db``, put the ``entities`` in place of those it held, close it."""
    try:
        db.executescript(_FAST + script + "BEGIN; DELETE FROM entity;")
        db.executemany("INSERT OR IGNORE INTO entity VALUES (?, ?, ?, ?, ?)", entities)
        db.execute("COMMIT")
    finally:
        db.close()


def _updated(previous: Path, path: Path, rows: Path, kept: set[str], entities: Iterable[tuple]) -> None:
    """A copy of ``previous`` at ``path`` keeping the rows of the articles ``kept``, with those
    of the file ``rows`` added and the ``entities`` in place of its own (``StateError`` if
    ``previous`` cannot be read)."""
    try:
        shutil.copyfile(previous, path)
        moves = "".join(f"DELETE FROM {table} WHERE {column} IN (SELECT id FROM gone);"
                        for table, column in (("mention", "article"), ("statement", "article"), ("article", "id")))
        inserts = "".join(f"INSERT OR IGNORE INTO main.{table} SELECT * FROM new.{table};"
                          for table in ("mention", "statement", "article"))
        db = sqlite3.connect(path, isolation_level=None)
        try:
            gone = {a for (a,) in db.execute("SELECT id FROM article")} - kept
            db.execute("CREATE TEMP TABLE gone (id TEXT PRIMARY KEY)")
            db.executemany("INSERT INTO temp.gone VALUES (?)", ((a,) for a in sorted(gone)))
            db.execute("ATTACH DATABASE ? AS new", (str(rows),))
            _filled(db, "BEGIN;" + moves + inserts + "COMMIT;", entities)
        finally:
            db.close()
    except (OSError, sqlite3.Error) as exc:
        raise StateError(f"the lookup tables cannot be copied ({exc})") from None


class Lookup:
    """A build's lookup file, read (by the view's process and the analysis at once)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        self._iris: dict[str, str] = {}
        self._regions: tuple | None = None

    def article_iris(self, ids: Iterable[str]) -> list[str]:
        """The IRIs of the articles ``ids``."""
        iris = self._iris
        return [iris[a] if a in iris else iris.setdefault(a, str(article_iri(a))) for a in ids]

    def articles(self, entity: str) -> list[str]:
        """The ids of the articles that mention ``entity`` (an IRI), sorted."""
        return [a for (a,) in self._rows(
            "SELECT DISTINCT article FROM mention WHERE entity = ? ORDER BY article", (entity,))]

    def first_mentions(self, entity: str, first: int) -> list[tuple[str, str]]:
        """(mention, sentence) of the ``first`` mentions of ``entity`` in IRI order."""
        return list(self._rows("SELECT mention, sentence FROM mention WHERE entity = ? "
                               "ORDER BY mention LIMIT ?", (entity, first)))

    def statements(self, s: str, p: str, o: str) -> list[tuple]:
        """(article id, sentence index, evidence, pattern, role) of each statement of ``s p o``
        and pattern."""
        return list(self._rows("SELECT article, sentence, evidence, pattern, role FROM statement "
                               "WHERE s = ? AND o = ? AND p = ?", (s, o, p)))

    def mentioned(self) -> Iterator[tuple[str, list[str]]]:
        """(entity, the sorted ids of the articles that mention it) of every entity mentioned."""
        if not list(self._rows("SELECT 1 FROM article WHERE instr(id, ',') LIMIT 1")):
            # (the quick form, whose only separator is a comma)
            rows = self._rows("SELECT entity, group_concat(DISTINCT article) FROM mention GROUP BY entity")
            return ((entity, sorted(ids.split(","))) for entity, ids in rows)
        rows = self._rows("SELECT entity, group_concat(article, char(31)) FROM "
                                "(SELECT DISTINCT entity, article FROM mention) "
                                "GROUP BY entity")
        return ((entity, sorted(ids.split("\x1f"))) for entity, ids in rows)

    def edges(self, predicate: str | None = None) -> Iterator[tuple[str, str, str]]:
        """(s, p, o) of every relation the articles state (of ``predicate``, an IRI, if given),
        each once."""
        if predicate is None:
            return self._rows("SELECT DISTINCT s, p, o FROM statement")
        return self._rows("SELECT DISTINCT s, p, o FROM statement WHERE p = ?", (predicate,))

    def titles(self) -> Iterator[tuple[str, str, str]]:
        """(IRI, label, file name) of every article."""
        return self._rows("SELECT iri, label, file FROM article")

    def urls(self, iris: Iterable[str]) -> dict[str, str]:
        """IRI → URL of those articles of ``iris`` that have one."""
        return dict(self._each("SELECT iri, url FROM article WHERE url IS NOT NULL AND iri IN ({})", iris))

    def objects(self, s: str, p: str) -> list[str]:
        """The objects of the relations ``s p ?o`` (IRIs), each once."""
        return [o for (o,) in self._rows("SELECT DISTINCT o FROM statement WHERE s = ? AND p = ?", (s, p))]

    def labels(self, iris: Iterable[str]) -> dict[str, str]:
        """IRI → label (the first by text, if it has two) of those of ``iris`` that are entities."""
        return dict(self._each("SELECT iri, MIN(label) FROM entity WHERE iri IN ({}) GROUP BY iri", iris))

    def article_counts(self, iris: Iterable[str]) -> dict[str, int]:
        """IRI → the number of articles that mention it, for those of ``iris`` mentioned."""
        return dict(self._each("SELECT entity, COUNT(DISTINCT article) FROM mention WHERE entity IN ({}) "
                               "GROUP BY entity", iris))

    def _each(self, query: str, iris: Iterable[str]) -> Iterator[tuple]:
        """The rows of ``query`` (its ``{}`` the place of a list of IRIs) for ``iris``, asked
        ``_CHUNK`` at a time."""
        iris = list(iris)
        for start in range(0, len(iris), _CHUNK):
            part = iris[start:start + _CHUNK]
            yield from self._rows(query.format(",".join("?" * len(part))), part)

    def region_facts(self) -> tuple[dict[str, str], dict[str, list[str]]]:
        """(IRI → level of each region that has one, IRI → what it is ``kg:partOf``), read once."""
        if self._regions is None:
            levels = {iri: level for iri, t, _l, level, _c in self.entities() if level}
            parents: dict[str, list[str]] = {}
            for s, _p, o in self.edges(str(KG.partOf)):
                parents.setdefault(s, []).append(o)
            self._regions = (levels, parents)
        return self._regions

    def entities(self) -> Iterator[tuple[str, str, str, str | None, str | None]]:
        """(IRI, type, label, level, code) of every entity (a row per type and label it has)."""
        return self._rows("SELECT iri, type, label, level, code FROM entity")

    def _rows(self, query: str, params=()) -> Iterator[tuple]:
        """The rows of ``query``; a file that turns out damaged raises ``LookupDamaged``."""
        try:
            yield from self._db.execute(query, params)
        except sqlite3.DatabaseError as exc:
            raise LookupDamaged(f"{self.path}: {exc}") from None

    def close(self) -> None:
        """Let go of the file."""
        self._db.close()
