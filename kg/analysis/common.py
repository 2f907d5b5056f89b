"""Small helpers shared by the analysis modules: running a SPARQL query with kg's prefixes, and
the article id of a node (its label: ``kg.graph.labels.label``).

``select`` runs on Oxigraph for a ``kg.graph.oxgraph.OxGraph`` (what ``kg.analysis.analyze`` reads) and on
rdflib for an rdflib ``Graph``: the same rows (rdflib terms), tens of times faster on Oxigraph.
``rows`` gives the same rows as plain values (``plain``: an IRI as its string, an integer or a
boolean literal as an int or a bool, any other literal as its text), read straight from
Oxigraph's answer: at 10,000 articles the analysis reads about a million rows, and making an
rdflib term of each value took most of its time.

What this module does not do: any analysis.
"""
from __future__ import annotations

from urllib.parse import unquote

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.namespace import XSD

from kg.graph.oxgraph import OxGraph
from kg.vocab import PREFIXES

_INTEGER = frozenset(str(XSD[t]) for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte"))
_BOOLEAN = str(XSD.boolean)


def select(graph: Graph, query: str, **bindings) -> list[tuple]:
    """Rows of a SPARQL SELECT over ``graph`` with kg's prefixes bound; keyword arguments
    are bound to the variables of the same name."""
    return [tuple(row) for row in graph.query(query, initNs=PREFIXES, initBindings=bindings)]


def rows(graph: Graph | OxGraph, query: str, **bindings) -> list[tuple]:
    """The rows of ``select(graph, query, **bindings)`` as tuples of ``plain`` values; on an
    ``OxGraph`` read from Oxigraph's answer without making rdflib terms."""
    if not isinstance(graph, OxGraph):
        return [tuple(map(plain, row)) for row in select(graph, query, **bindings)]
    answer = graph.solutions(query, bindings)
    width = len(answer.variables)
    value = _plain_ox
    return [tuple(value(sol[i]) for i in range(width)) for sol in answer]


def plain(term):
    """An rdflib term as a plain value: an IRI (or blank node) as its string, an integer literal
    as an int, a boolean one as a bool, any other literal as its text; None stays None."""
    if isinstance(term, Literal):
        return _literal(str(term), None if term.datatype is None else str(term.datatype))
    return None if term is None else str(term)


def _plain_ox(term):
    if type(term) is ox.Literal:
        return _literal(term.value, term.datatype.value)
    return None if term is None else term.value


def _literal(lexical: str, datatype: str | None):
    if datatype in _INTEGER:
        try:
            return int(lexical)
        except ValueError:
            return lexical
    if datatype == _BOOLEAN:
        return lexical in ("true", "1")
    return lexical


def article_id(iri) -> str:
    """``kgr:article/000_abc`` → ``000_abc`` (the id the build gave the article)."""
    text = str(iri)
    return unquote(text.rsplit("/article/", 1)[-1]) if "/article/" in text else text


def text(value) -> str | None:
    """The value as a string, None kept as None (rdflib terms and plain values alike)."""
    return None if value is None else str(value)


def number(value):
    """A literal's value as int when whole, else float; None stays None."""
    if value is None:
        return None
    v = value.toPython() if isinstance(value, Literal) else value
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    return int(f) if f.is_integer() else round(f, 6)
