"""The graph a build holds while it writes its outputs: an in-memory Oxigraph store behind the
few rdflib ``Graph`` methods kg's writers read it with.

``OxGraph`` takes and returns rdflib terms (``add``, ``subjects``, ``objects``,
``subject_objects``, ``value``, ``triples``, iteration, ``len``), so ``kg.outputs.view``, ``kg.analysis``
and tests work on it or on an rdflib ``Graph`` alike, and answers SPARQL through ``sparql``
(a ``kg.graph.store.OxiStore`` over the same store). Why: at 10,000 articles (8.7 million triples)
rdflib's memory store took 15 µs and about 700 bytes per triple, Oxigraph's a fifth of the
time and a third of the memory; and Oxigraph writes Turtle and answers queries natively.

Triples added are buffered and written to the store in batches; reads see all of them. Answers
come in the order of the store's index; ``kg.graph.rdf.build_graph`` adds triples in a canonical order
(entities by key, articles by id), so ``dump_turtle`` gives the same bytes for the same input.

What this module does not do: decide what goes into the graph (``kg.graph.rdf``), or keep it on disk
(``kg.graph.store.OxiStore`` does, for ``kg query --store``).
"""
from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox

from kg.graph.store import OxiStore, to_oxigraph, to_rdflib

_BATCH = 100_000
_DEFAULT = ox.DefaultGraph()
_OX = (ox.NamedNode, ox.Literal, ox.BlankNode)


class OxGraph:
    """rdflib-like access to an in-memory Oxigraph store (default graph only)."""

    def __init__(self) -> None:
        self.store = ox.Store()
        self._pending: list[ox.Quad] = []
        self._lines: list[str] = []         # N-Triples lines from add_ntriple
        self._ox = lru_cache(maxsize=1 << 18)(to_oxigraph)
        self._rdf = lru_cache(maxsize=1 << 18)(to_rdflib)
        self.sparql = OxiStore.over(self.store)

    @classmethod
    def over(cls, store: ox.Store) -> "OxGraph":
        """The same access over an open store (an on-disk one, for instance: ``kg.graph.shards``)."""
        self = cls()
        self.store, self.sparql = store, OxiStore.over(store)
        return self

    @classmethod
    def of(cls, graph) -> "OxGraph":
        """A copy of the triples of an rdflib Graph."""
        copy = cls()
        for triple in graph:
            copy.add(triple)
        return copy

    # -- writing -------------------------------------------------------------------------
    def add(self, triple) -> None:
        """Add a triple of rdflib or Oxigraph terms."""
        s, p, o = triple
        if type(s) not in _OX:
            s = self._ox(s)
        if type(p) not in _OX:
            p = self._ox(p)
        if type(o) not in _OX:
            o = self._ox(o)
        self._pending.append(ox.Quad(s, p, o, _DEFAULT))
        if len(self._pending) >= _BATCH:
            self._flush()

    def add_ntriple(self, s: str, p: str, o: str) -> None:
        """Add a triple of terms already written as N-Triples (``<iri>``, ``"text"@zh`` …): the
        fast way, parsed in batches by Oxigraph instead of one Python object per term."""
        self._lines.append(f"{s} {p} {o} .\n")
        if len(self._lines) >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self.store.extend(self._pending)
            self._pending = []
        if self._lines:
            self.store.load("".join(self._lines), format=ox.RdfFormat.N_TRIPLES, to_graph=_DEFAULT)
            self._lines = []

    # -- reading -------------------------------------------------------------------------
    def _quads(self, s=None, p=None, o=None):
        self._flush()
        term = self._ox
        return self.store.quads_for_pattern(None if s is None else term(s), None if p is None else term(p),
                                            None if o is None else term(o), _DEFAULT)

    def __len__(self) -> int:
        self._flush()
        return len(self.store)

    def __iter__(self):
        return self.triples((None, None, None))

    def __contains__(self, triple) -> bool:
        return next(iter(self._quads(*triple)), None) is not None

    def triples(self, pattern):
        """The triples matching ``(s, p, o)`` (None is a wildcard) as rdflib terms."""
        rdf = self._rdf
        for q in self._quads(*pattern):
            yield rdf(q.subject), rdf(q.predicate), rdf(q.object)

    def subjects(self, predicate=None, object=None):
        """Subjects of the triples with this predicate and object (None: any)."""
        rdf = self._rdf
        for q in self._quads(None, predicate, object):
            yield rdf(q.subject)

    def objects(self, subject=None, predicate=None):
        """Objects of the triples with this subject and predicate (None: any)."""
        rdf = self._rdf
        for q in self._quads(subject, predicate, None):
            yield rdf(q.object)

    def subject_objects(self, predicate=None):
        """(subject, object) pairs of the triples with this predicate (None: any)."""
        rdf = self._rdf
        for q in self._quads(None, predicate, None):
            yield rdf(q.subject), rdf(q.object)

    def value(self, subject=None, predicate=None, object=None, default=None):
        """One term completing the pattern (the one missing of subject and object), else ``default``."""
        q = next(iter(self._quads(subject, predicate, object)), None)
        if q is None:
            return default
        return self._rdf(q.object if object is None else q.subject)

    def query(self, sparql: str, initNs=None, initBindings=None):
        """SPARQL over the graph, as rdflib's ``Graph.query`` answers (kg's prefixes are bound)."""
        self._flush()
        return self.sparql.query(sparql, initBindings or {})

    def solutions(self, sparql: str, bindings: dict | None = None):
        """Oxigraph's own answer to a SELECT (``pyoxigraph.QuerySolutions``: terms of pyoxigraph,
        no rdflib terms made), kg's prefixes and ``bindings`` (rdflib terms) as in ``query``."""
        self._flush()
        return self.sparql._run(sparql, bindings or {})

    # -- writing out ---------------------------------------------------------------------
    def dump_turtle(self, prefixes: dict[str, str]) -> bytes:
        """The graph as Turtle bytes, written with ``prefixes``."""
        self._flush()
        return self.store.dump(format=ox.RdfFormat.TURTLE, from_graph=_DEFAULT, prefixes=prefixes)
