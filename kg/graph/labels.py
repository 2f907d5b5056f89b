"""The one way a node of a graph is named for people: the page (``kg.outputs.view``), the exports
(``kg.outputs.export``) and the analysis (``kg.analysis``) all call ``label``.

What this module does not do: choose labels when building (``kg.graph.rdf`` writes one
``rdfs:label`` per entity, in Chinese) or make IRIs (``kg.graph.iri``).
"""
from __future__ import annotations

import re

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS


def label(graph: Graph, node) -> str:
    """A node's label: a literal's own text; else its ``rdfs:label`` — the Chinese one first,
    then one without a language, then the others by language, each kind by text — else, when it
    has none, the last part of its IRI (``local_name``); a blank node its id.

    >>> g = Graph(); n = URIRef("https://w3id.org/kgpa/id/body/61bcfffe9f0f")
    >>> label(g, n)
    '61bcfffe9f0f'
    >>> _ = g.add((n, RDFS.label, Literal("County Party Committee", lang="en")))
    >>> _ = g.add((n, RDFS.label, Literal("某县委", lang="zh")))
    >>> label(g, n), label(g, Literal("8761支"))
    ('某县委', '8761支')
    """
    if isinstance(node, Literal):
        return str(node)
    labels = sorted((x for x in graph.objects(node, RDFS.label) if isinstance(x, Literal)),
                    key=lambda x: (x.language != "zh", x.language or "", str(x)))
    if labels:
        return str(labels[0])
    return local_name(node) if isinstance(node, URIRef) else str(node)


def local_name(iri) -> str:
    """The last part of an IRI, after its last ``/`` or ``#`` (a trailing one ignored).

    >>> local_name("https://w3id.org/kgpa/ontology#Body"), local_name("https://w3id.org/kgpa/id/region/430000/")
    ('Body', '430000')
    """
    return re.split(r"[#/]", str(iri).rstrip("/#"))[-1]
