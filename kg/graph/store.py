"""Where a built graph lives while it is queried: Oxigraph in memory or on disk (rdflib for reference).

Two stores with one interface, so the same command gives the same answers on either:

- ``OxiStore``: an Oxigraph store (``pyoxigraph``). ``OxiStore.in_memory(ttl)`` holds a Turtle
  file in memory: what ``kg query --graph`` and ``kg serve --graph`` read (``open_store``).
  ``OxiStore(folder)`` is a persistent database for large builds: it keeps the graph on disk
  between runs and can be opened read-only by a server while nothing writes. Oxigraph loads
  about 15x and queries 10-100x faster than rdflib (``bench/store_bench.py``).
- ``MemoryStore``: an rdflib ``Graph`` read from a Turtle file. No command uses it any more; it
  is the reference the tests compare Oxigraph's answers with, and ``bench/store_bench.py``'s
  baseline.

Both hold the build's triples *and* the ontology in the **default graph** and query only it.
Oxigraph's "default graph as union of named graphs" is never used: it keeps a row per graph a
triple sits in, which multiplies rows through joins where rdflib returns one (FACTS.md).

``query`` returns an rdflib ``Result`` either way (rdflib terms, materialised), so
``kg.outputs.query.format_result`` and rdflib's result serialisers work on both, with parameters bound
through ``initBindings`` / Oxigraph ``substitutions`` (never pasted into query text), an
optional row limit (the result says ``truncated``) and an optional deadline (``QueryTimeout``).
The deadline stops rdflib's evaluation at its next triple read; Oxigraph's at its next row.

What this module does not do: build graphs (``kg.build``), serve HTTP (``kg.outputs.serve``), push to
remote stores (``kg.outputs.push``), or format answers (``kg.outputs.query``).
"""
from __future__ import annotations

import threading
from functools import lru_cache
import time
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.plugins.stores.memory import Memory
from rdflib.query import Result

from kg.graph.sparql import QueryError, inspect_query
from kg.vocab import ONTOLOGY_PATH, PREFIXES, bind_prefixes


class QueryTimeout(QueryError):
    """A query that ran past its deadline."""


_local = threading.local()          # the deadline of the query running in this thread
_parse_lock = threading.Lock()      # rdflib's SPARQL parser (pyparsing) is not thread-safe


def _check_deadline() -> None:
    deadline = getattr(_local, "deadline", None)
    if deadline is not None and time.monotonic() > deadline:
        raise QueryTimeout("query ran past its time limit")


class _DeadlineMemory(Memory):
    """rdflib's memory store, checking the running query's deadline every 512 triples read."""

    def triples(self, triple_pattern, context=None):
        n = 0
        for item in super().triples(triple_pattern, context):
            n += 1
            if not n & 511:
                _check_deadline()
            yield item


def _finish(kind: str, rows=None, variables=None, triples=None, ask=None, max_rows=None) -> Result:
    """An rdflib Result holding materialised rows (at most ``max_rows``) or triples."""
    res = Result(kind)
    res.truncated = False
    if kind == "ASK":
        res.askAnswer = bool(ask)
        return res
    items = []
    source = rows if kind == "SELECT" else triples
    for item in source:
        if max_rows is not None and len(items) >= max_rows:
            res.truncated = True
            break
        items.append(item)
        if not len(items) & 255:
            _check_deadline()
    if kind == "SELECT":
        res.vars = list(variables)
        res.bindings = items
    else:
        g = bind_prefixes(Graph())
        for t in items:
            g.add(t)
        res.graph = g
    return res


class MemoryStore:
    """A build (and the ontology) in an rdflib in-memory graph."""

    kind = "memory"

    def __init__(self, graph: Graph | None = None):
        self.graph = graph if graph is not None else bind_prefixes(Graph(store=_DeadlineMemory()))

    @classmethod
    def from_turtle(cls, path: str | Path, with_ontology: bool = True) -> "MemoryStore":
        """A store holding the Turtle file at ``path`` (and the ontology unless told not to)."""
        s = cls()
        s.graph.parse(str(path), format="turtle")
        if with_ontology:
            s.graph.parse(str(ONTOLOGY_PATH), format="turtle")
        return s

    def __len__(self) -> int:
        return len(self.graph)

    def query(self, sparql, bindings: dict | None = None, *,
              timeout: float | None = None, max_rows: int | None = None) -> Result:
        """The materialised answer to ``sparql`` (text, or a query rdflib has prepared)."""
        from rdflib.plugins.sparql import prepareQuery    # here: a build that never asks rdflib saves its import

        if not isinstance(sparql, str):       # already prepared (kg.graph.sparql.inspect_query)
            prepared = sparql
        else:
            try:
                with _parse_lock:
                    prepared = prepareQuery(sparql, initNs=PREFIXES)
            except Exception as exc:
                raise QueryError(str(exc)) from exc
        _local.deadline = time.monotonic() + timeout if timeout else None
        try:
            res = self.graph.query(prepared, initBindings=bindings or {})
            if res.type == "ASK":
                return _finish("ASK", ask=res.askAnswer)
            if res.type == "SELECT":
                rows = ({v: row[i] for i, v in enumerate(res.vars) if row[i] is not None} for row in res)
                return _finish("SELECT", rows=rows, variables=res.vars, max_rows=max_rows)
            return _finish(res.type, triples=iter(res), max_rows=max_rows)
        except QueryError:
            raise
        except Exception as exc:   # rdflib raises several types for queries it cannot evaluate
            raise QueryError(str(exc)) from exc
        finally:
            _local.deadline = None


# --- Oxigraph ------------------------------------------------------------------------------

def to_rdflib(term):
    """The rdflib term for a pyoxigraph term (None stays None)."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise QueryError(f"unsupported term in answer: {term!r}")


def to_oxigraph(term):
    """The pyoxigraph term for an rdflib term or a plain Python value."""
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    return to_oxigraph(Literal(term))        # plain Python values, as rdflib's initBindings takes them


class OxiStore:
    """A build (and the ontology) in the default graph of an on-disk Oxigraph database."""

    kind = "oxigraph"

    def __init__(self, directory: str | Path, read_only: bool = False):
        import pyoxigraph as ox

        self.directory = Path(directory)
        try:
            if read_only:
                self.store = ox.Store.read_only(str(self.directory))
            else:
                self.directory.mkdir(parents=True, exist_ok=True)
                self.store = ox.Store(str(self.directory))
        except OSError as exc:
            raise OSError(f"{self.directory}: cannot open the store ({exc})") from exc

    @classmethod
    def in_memory(cls, path: str | Path, with_ontology: bool = True) -> "OxiStore":
        """A store in memory (nothing on disk) holding the Turtle file at ``path`` and the
        ontology: what ``kg serve --graph`` and ``kg query --graph`` read. A file Oxigraph
        cannot parse raises ``ValueError`` naming it."""
        import pyoxigraph as ox

        self = cls.over(ox.Store())
        self.kind = "oxigraph in memory"
        try:
            self.load_turtle(path, with_ontology)
        except SyntaxError as exc:
            raise ValueError(f"{path}: not readable as Turtle: {exc}") from exc
        return self

    @classmethod
    def over(cls, store) -> "OxiStore":
        """Queries over an open ``pyoxigraph.Store`` (an in-memory one, for instance)."""
        self = cls.__new__(cls)
        self.directory = None
        self.store = store
        return self

    def load_turtle(self, path: str | Path, with_ontology: bool = True, replace: bool = True) -> int:
        """Load a Turtle file (and the ontology) into the default graph; returns the triple count."""
        import pyoxigraph as ox

        if replace:
            self.store.clear()
        files = [Path(path)] + ([ONTOLOGY_PATH] if with_ontology else [])
        for f in files:
            self.store.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
        self.store.flush()
        return len(self)

    def __len__(self) -> int:
        return len(self.store)

    def query(self, sparql: str, bindings: dict | None = None, *,
              timeout: float | None = None, max_rows: int | None = None) -> Result:
        """The result of ``sparql`` over the store, ``bindings`` substituted; past ``timeout``
        seconds it raises ``QueryTimeout``, bad queries raise ``QueryError``."""
        import pyoxigraph as ox

        _local.deadline = time.monotonic() + timeout if timeout else None
        res = source = None
        try:
            res = self._run(sparql, bindings or {})
            if isinstance(res, ox.QueryBoolean):
                return _finish("ASK", ask=bool(res))
            if isinstance(res, ox.QuerySolutions):
                names = [v.value for v in res.variables]
                variables = [Variable(n) for n in names]

                term = lru_cache(maxsize=1 << 16)(to_rdflib)   # the same IRIs recur row after row

                def rows():
                    for sol in res:
                        yield {v: term(x) for v, n in zip(variables, names)
                               if (x := sol[n]) is not None}
                source = rows()
                return _finish("SELECT", rows=source, variables=variables, max_rows=max_rows)
            source = ((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in res)
            kind = "DESCRIBE" if _form(sparql) == "DESCRIBE" else "CONSTRUCT"
            return _finish(kind, triples=source, max_rows=max_rows)
        except SyntaxError as exc:
            raise QueryError(str(exc)) from exc
        except QueryError:
            raise
        except (OSError, ValueError, TypeError, RuntimeError) as exc:
            raise QueryError(str(exc)) from exc
        finally:
            _local.deadline = None
            # Oxigraph's answer let go here, on the thread that made it (pyo3 refuses to drop it
            # on another: it would leak, with a warning), even when the error raised holds this
            # frame: a truncated or timed-out answer's rows are never all read
            if source is not None:
                source.close()
            res = source = None


    def _run(self, sparql: str, bindings: dict):
        """Oxigraph's answer, parameters bound by substitution (SEP-0007). Oxigraph substitutes
        only projected variables; for others the values open the WHERE group as a VALUES block
        of terms written by rdflib's serialiser (``n3()``, which escapes them), so they are
        joined before any grouping, as rdflib's ``initBindings`` are."""
        import pyoxigraph as ox

        def run(q, subs=None):
            return self.store.query(q, prefixes=dict(PREFIXES), substitutions=subs,
                                    use_default_graph_as_union=False)

        if not bindings:
            return run(sparql)
        terms = {str(k): v if isinstance(v, (URIRef, BNode, Literal)) else Literal(v)
                 for k, v in bindings.items()}
        try:
            return run(sparql, {ox.Variable(k): to_oxigraph(v) for k, v in terms.items()})
        except RuntimeError as exc:
            if "projection" not in str(exc):
                raise QueryError(str(exc)) from exc
        names = " ".join("?" + k for k in terms)
        values = " ".join(v.n3() for v in terms.values())
        at = _where_brace(sparql)
        if at is None:
            raise QueryError(f"cannot bind {names}: no WHERE group found")
        return run(f"{sparql[:at + 1]} VALUES ({names}) {{ ({values}) }} {sparql[at + 1:]}")


@lru_cache(maxsize=256)
def _form(sparql: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE, as rdflib's parser reads the query (None if it
    cannot: Oxigraph's grammar admits a few things rdflib's does not)."""
    try:
        return inspect_query(sparql).kind
    except QueryError:
        return None


def _where_brace(sparql: str) -> int | None:
    """Index of the '{' that opens the query's WHERE group (skipping comments, IRIs, strings,
    and a CONSTRUCT template); the query's form comes from the parser."""
    import re

    kind = _form(sparql)
    i, n, seen_form, seen_where = 0, len(sparql), False, False
    while i < n:
        c = sparql[i]
        if c == "#":
            j = sparql.find("\n", i)
            i = n if j < 0 else j
        elif c == "<" and re.match(r"<[^<>\s\"{}|^`]*>", sparql[i:]):
            i += re.match(r"<[^<>\s\"{}|^`]*>", sparql[i:]).end()
            continue
        elif c in "\"'":
            m = re.match(r'"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\'|"(?:[^"\\\\]|\\\\.)*"|\'(?:[^\'\\\\]|\\\\.)*\'', sparql[i:])
            i += m.end() if m else 1
            continue
        elif c.isalpha():
            m = re.match(r"[A-Za-z_]+", sparql[i:])
            word = m.group(0).upper()
            if word == kind:
                seen_form = True
            elif word == "WHERE" and seen_form:
                seen_where = True
            i += m.end()
            continue
        elif c == "{" and seen_form and (seen_where or kind != "CONSTRUCT"):
            return i
        i += 1
    return None


def is_store_dir(path: str | Path) -> bool:
    """A folder that holds an Oxigraph database (RocksDB files)."""
    p = Path(path)
    return p.is_dir() and (p / "CURRENT").is_file()


def open_store(graph: str | Path | None = None, store: str | Path | None = None,
               read_only: bool = True) -> OxiStore:
    """The store a command reads: an Oxigraph folder (``store``) or a Turtle file loaded into an
    in-memory Oxigraph store (10-20x faster to query than rdflib's, same answers)."""
    if store is not None:
        if not is_store_dir(store):
            raise FileNotFoundError(f"{store}: not an Oxigraph store; create it with `kg build --store {store}`")
        return OxiStore(store, read_only=read_only)
    if graph is None or not Path(graph).is_file():
        raise FileNotFoundError(f"{graph}: no such graph file; run `kg build` first")
    return OxiStore.in_memory(graph)
