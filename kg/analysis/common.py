"""Small helpers shared by the analysis modules: running a SPARQL query with kg's prefixes, and
the article id and label of a node.

``select`` runs on Oxigraph for a build's ``kg.oxgraph.OxGraph``; on an rdflib ``Graph`` it runs
on rdflib, or, inside ``with oxigraph_mirror(graph)``, on an in-memory Oxigraph copy of the
same triples: the same rows (rdflib terms), tens of times faster on a large build.

What this module does not do: any analysis.
"""
from __future__ import annotations

from contextlib import contextmanager
from urllib.parse import unquote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from kg.vocab import PREFIXES


_mirrors: dict[int, tuple[Graph, object]] = {}     # id(graph) -> (graph, OxiStore) while mirrored


@contextmanager
def oxigraph_mirror(graph: Graph, turtle: bytes | None = None):
    """While inside, ``select`` over ``graph`` runs on Oxigraph. ``turtle``: the graph already
    serialised (by ``kg.rdf.turtle``), to save converting it again. ``graph`` must not change
    meanwhile."""
    from kg.rdf import turtle as to_turtle
    from kg.store import OxiStore

    if hasattr(graph, "sparql"):        # a kg.oxgraph.OxGraph answers SPARQL on Oxigraph already
        yield
        return
    _mirrors[id(graph)] = (graph, OxiStore.in_memory(turtle if turtle is not None else to_turtle(graph)))
    try:
        yield
    finally:
        _mirrors.pop(id(graph), None)


def select(graph: Graph, query: str, **bindings) -> list[tuple]:
    """Rows of a SPARQL SELECT over ``graph`` with kg's prefixes bound; keyword arguments
    are bound to the variables of the same name."""
    store = getattr(graph, "sparql", None)              # a kg.oxgraph.OxGraph
    mirrored = _mirrors.get(id(graph))
    if store is None and mirrored and mirrored[0] is graph:
        store = mirrored[1]
    if store is not None:
        return [tuple(row) for row in store.query(query, bindings)]
    return [tuple(row) for row in graph.query(query, initNs=PREFIXES, initBindings=bindings)]


def article_id(iri) -> str:
    """``kgr:article/000_abc`` → ``000_abc`` (the id the build gave the article)."""
    text = str(iri)
    return unquote(text.rsplit("/article/", 1)[-1]) if "/article/" in text else text


def label(graph: Graph, node) -> str:
    """The canonical label (rdfs:label, Chinese first), else the last part of the IRI."""
    labels = sorted((x for x in graph.objects(node, RDFS.label) if isinstance(x, Literal)),
                    key=lambda x: (x.language != "zh", x.language or "", str(x)))
    if labels:
        return str(labels[0])
    return str(node).rstrip("/#").rsplit("/", 1)[-1] if isinstance(node, URIRef) else str(node)


def text(value) -> str | None:
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
