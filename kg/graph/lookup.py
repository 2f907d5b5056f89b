"""A build's lookup tables, beside its on-disk store: every mention and every relation statement
of the graph as a row of an SQLite file, for the view and the analysis to read by entity or by
edge.

Why: in an on-disk Oxigraph store each term spelt out costs 3–5 µs, and the view and the
analysis read whole what hangs off entities mentioned everywhere (one group of a 10,000-article
build: 28,737 mentions in 7,785 articles). SQLite hands those rows over for a fraction of that,
and its index gives an entity's first mentions in IRI order without reading the rest.

The rows are what ``kg.graph.rdf`` writes, with its IRIs (entity, article, mention, sentence,
evidence):

    mention    (entity, mention, article id, sentence)         one per kg:Mention kg:denotes
    statement  (s, o, p, article id, sentence index, evidence, pattern, role)
                                                                one per rdf:Statement and pattern

A statement is told apart by (article, sentence index, role), as its IRI is
(``kg.graph.iri.statement_iri``); its evidence is the sentence, the byline (sentence -1) or
none. ``LookupRows`` gathers the rows of the articles a build writes; ``make`` turns them into
the build's file, or, with the previous build's file, a copy of it with the rows of the articles
written again (or gone) swapped: the tables follow the store (``kg.graph.shards``).

What this module does not do: decide what the view or the analysis show with them.
"""
from __future__ import annotations

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
"""
_INDEXES = """
CREATE INDEX IF NOT EXISTS mention_article ON mention (article);
CREATE INDEX IF NOT EXISTS statement_article ON statement (article);
"""
_FAST = "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"


def article_rows(ex: Extraction, iris: dict[tuple[str, str], str]) -> tuple[list[tuple], list[tuple]]:
    """The mention and statement rows of one article (``iris``: entity key → IRI in N-Triples
    form, as ``kg.graph.shards`` holds them); what is not in ``iris`` is not written, as in
    ``kg.graph.rdf``."""
    art = ex.article
    a = str(article_iri(art.id))
    mentions = []
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


class LookupRows:
    """The rows of the articles a build writes (``add`` each), gathered in an SQLite file in
    ``folder`` until ``make`` places them."""

    def __init__(self, folder: str | Path):
        self.path = Path(folder) / "new-rows.sqlite"
        self.path.unlink(missing_ok=True)       # (left by a build attempt that was given up)
        # (made in the graph pass, placed by ``make`` in the thread that fills the store)
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.executescript(_FAST + _TABLES + "BEGIN;")
        self.articles: list[str] = []

    def add(self, ex: Extraction, iris: dict) -> None:
        """Keep the rows of one article."""
        mentions, statements = article_rows(ex, iris)
        self._db.executemany("INSERT OR IGNORE INTO mention VALUES (?, ?, ?, ?)", mentions)
        self._db.executemany("INSERT OR IGNORE INTO statement VALUES (?, ?, ?, ?, ?, ?, ?, ?)", statements)
        self.articles.append(ex.article.id)

    def make(self, path: str | Path, previous: str | Path | None = None, kept: Iterable[str] = ()) -> Path:
        """The build's lookup file at ``path``: these rows; with ``previous`` (the previous
        build's file), a copy of it where only the rows of the articles ``kept`` stay, these
        rows added. Synced to disk (it is part of the build's state)."""
        self.close()
        path = Path(path)
        if previous is None:
            shutil.move(self.path, path)
            db = sqlite3.connect(path, isolation_level=None)
            db.executescript(_FAST + _INDEXES)
        else:
            db = _updated(Path(previous), path, self.path, set(kept))
        db.close()
        with open(path, "rb+") as fh:
            os.fsync(fh.fileno())
        return path

    def close(self) -> None:
        """Let go of the rows (kept in the file until ``make`` moves it or the folder goes)."""
        if self._db is not None:
            if self._db.in_transaction:
                self._db.execute("COMMIT")
            self._db.close()
            self._db = None


def _updated(previous: Path, path: Path, rows: Path, kept: set[str]) -> sqlite3.Connection:
    """A copy of ``previous`` at ``path`` keeping the rows of the articles ``kept``, with those
    of the file ``rows`` added."""
    try:
        shutil.copyfile(previous, path)
        db = sqlite3.connect(path, isolation_level=None)
        db.executescript(_FAST + "BEGIN;")
        had = {a for (a,) in db.execute("SELECT DISTINCT article FROM mention UNION "
                                        "SELECT DISTINCT article FROM statement")}
        gone = sorted(had - kept)
        for table in ("mention", "statement"):
            db.executemany(f"DELETE FROM {table} WHERE article = ?", ((a,) for a in gone))
        db.execute("ATTACH DATABASE ? AS new", (str(rows),))
        db.execute("INSERT OR IGNORE INTO main.mention SELECT * FROM new.mention")
        db.execute("INSERT OR IGNORE INTO main.statement SELECT * FROM new.statement")
        db.execute("COMMIT")
        db.execute("DETACH DATABASE new")
        return db
    except (OSError, sqlite3.Error) as exc:
        raise StateError(f"the lookup tables cannot be copied ({exc})") from None


class Lookup:
    """A build's lookup file, read (by the view's process and the analysis at once)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        self._iris: dict[str, str] = {}

    def article_iris(self, ids: Iterable[str]) -> list[str]:
        """The IRIs of the articles ``ids``."""
        iris = self._iris
        return [iris[a] if a in iris else iris.setdefault(a, str(article_iri(a))) for a in ids]

    def articles(self, entity: str) -> list[str]:
        """The ids of the articles that mention ``entity`` (an IRI), sorted."""
        return [a for (a,) in self._db.execute(
            "SELECT DISTINCT article FROM mention WHERE entity = ? ORDER BY article", (entity,))]

    def first_mentions(self, entity: str, first: int) -> list[tuple[str, str]]:
        """(mention, sentence) of the ``first`` mentions of ``entity`` in IRI order."""
        return self._db.execute("SELECT mention, sentence FROM mention WHERE entity = ? "
                                "ORDER BY mention LIMIT ?", (entity, first)).fetchall()

    def statements(self, s: str, p: str, o: str) -> list[tuple]:
        """(article id, sentence index, evidence, pattern, role) of each statement of ``s p o``
        and pattern."""
        return self._db.execute("SELECT article, sentence, evidence, pattern, role FROM statement "
                                "WHERE s = ? AND o = ? AND p = ?", (s, o, p)).fetchall()

    def mentioned(self) -> Iterator[tuple[str, str]]:
        """(entity, article id) of every article that mentions an entity, each pair once."""
        return self._db.execute("SELECT DISTINCT entity, article FROM mention")

    def edges(self) -> Iterator[tuple[str, str, str]]:
        """(s, p, o) of every relation the articles state, each once."""
        return self._db.execute("SELECT DISTINCT s, p, o FROM statement")

    def close(self) -> None:
        """Let go of the file."""
        self._db.close()
