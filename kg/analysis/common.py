"""Small helpers shared by the analysis modules: running a SPARQL query with kg's prefixes, and
the article id of a node (its label: ``kg.graph.labels.label``).

``select`` runs on Oxigraph for a ``kg.graph.oxgraph.OxGraph`` (what ``kg.analysis.analyze`` reads) and on
rdflib for an rdflib ``Graph``: the same rows (rdflib terms), tens of times faster on Oxigraph.

What this module does not do: any analysis.
"""
from __future__ import annotations

from urllib.parse import unquote

from rdflib import Graph, Literal

from kg.vocab import PREFIXES


def select(graph: Graph, query: str, **bindings) -> list[tuple]:
    """Rows of a SPARQL SELECT over ``graph`` with kg's prefixes bound; keyword arguments
    are bound to the variables of the same name."""
    return [tuple(row) for row in graph.query(query, initNs=PREFIXES, initBindings=bindings)]


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
