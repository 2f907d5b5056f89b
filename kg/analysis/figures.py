"""The figures (``kg:Indicator``) of a built graph as the analysis reads them: one row per
figure, region and what it counts, by SPARQL (``figure_rows``) or gathered from the extractions
as a build writes them (``FigureTally``), the same rows either way.

A row is ``(figure, region, value, text, unit, year, article, begin, measures, is_iri)`` as
plain values (``kg.analysis.common.rows``): IRIs as strings, an integer value as an int, other
literals as their text as Oxigraph gives it back; ``begin`` is the offset of the figure's
sentence, ``measures`` an entity's IRI (``is_iri`` True) or a short noun (False), or None.
Only figures placed in a region (``kg:inRegion``) have a row.

What this module does not do: profile the provinces with them (``kg.analysis.hierarchy``).
"""
from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.namespace import XSD

from kg.graph.iri import article_iri, indicator_iri
from kg.graph.oxgraph import OxGraph
from kg.model import Extraction

from kg.analysis.common import rows

# A row per figure, region and what it counts (each figure's IRI read once: on an on-disk
# store spelling out a term costs more than finding it).
FIGURES = """
SELECT ?i ?r ?value ?text ?unit ?year ?a ?begin ?m ?iri WHERE {
  ?i a kg:Indicator ; kg:inRegion ?r ; kg:value ?value .
  OPTIONAL { ?i rdfs:label ?text } OPTIONAL { ?i kg:unit ?unit } OPTIONAL { ?i kg:year ?year }
  OPTIONAL { ?a kg:mentions ?i }
  OPTIONAL { ?i kg:evidence ?s . ?s nif:beginIndex ?begin }
  OPTIONAL { ?i kg:measures ?m BIND (isIRI(?m) AS ?iri) }
}"""


def figure_rows(graph: Graph | OxGraph) -> list[tuple]:
    """The rows of the figures in ``graph`` (see the module docstring), in the store's order."""
    return rows(graph, FIGURES)


class FigureTally:
    """``figure_rows`` worked out from the extractions as a build writes them (``add`` each,
    then ``rows``), without reading the graph back: the figures ``kg.graph.rdf`` writes for an
    article, as it writes them (a region or an entity counted that is not in ``iris`` is left
    out, as there; two figures of one article on the same span are one node, as there)."""

    def __init__(self, iris: dict[tuple[str, str], str]):
        self.iris = {key: node[1:-1] for key, node in iris.items()}     # N-Triples <…> → IRI
        self.out: list[tuple] = []
        self._values: dict[float, object] = {}
        self._shared: dict[str, str] = {}       # one string for each unit, noun, year and article

    def add(self, ex: Extraction) -> None:
        """Gather one article's figures."""
        self.out.extend(self.article_rows(ex))

    def article_rows(self, ex: Extraction) -> list[tuple]:
        """The rows of one article's figures (not kept)."""
        out: list[tuple] = []
        art, iris, share = ex.article, self.iris, self._shared.setdefault
        a = share(str(article_iri(art.id)), str(article_iri(art.id)))
        begins = {s.index: art.raw_span(s.start, s.end)[0] for s in ex.sentences}
        nodes: dict[str, dict[str, set]] = {}
        for ind in ex.indicators:
            i = str(indicator_iri(art.id, *art.raw_span(ind.start, ind.end)))
            node = nodes.setdefault(i, {k: set() for k in ("r", "value", "text", "unit", "year",
                                                            "begin", "m")})
            if ind.region and ind.region in iris:
                node["r"].add(iris[ind.region])
            node["value"].add(self._value(ind.value))
            node["text"].add(ind.text)
            node["unit"].add(share(ind.unit, ind.unit))
            if ind.year:
                node["year"].add(share(str(ind.year), str(ind.year)))
            if ind.sentence in begins:
                node["begin"].add(begins[ind.sentence])
            if ind.measures_key and ind.measures_key in iris:
                node["m"].add((iris[ind.measures_key], True))
            elif ind.measures:
                node["m"].add((share(ind.measures, ind.measures), False))
        for i, node in nodes.items():
            out.extend((i, r, v, t, u, y, a, b, m, is_iri)
                            for r in sorted(node["r"]) for v in sorted(node["value"], key=repr)
                            for t in sorted(node["text"]) for u in sorted(node["unit"])
                            for y in sorted(node["year"]) or [None]
                            for b in sorted(node["begin"]) or [None]
                            for m, is_iri in sorted(node["m"]) or [(None, None)])
        return out

    def take(self, rows: list[tuple]) -> None:
        """Keep rows made by ``article_rows`` (or read back from a build's state: their regions,
        units, years, articles and nouns shared with the rows already kept)."""
        share = self._shared.setdefault
        self.out.extend((i, share(r, r), v, t, share(u, u), y if y is None else share(y, y), share(a, a), b,
                         share(m, m) if isinstance(m, str) else m, is_iri)
                        for i, r, v, t, u, y, a, b, m, is_iri in rows)

    def _value(self, value):
        """The plain value of the figure's ``kg:value`` as Oxigraph gives it back (it stores a
        decimal in its canonical form)."""
        if isinstance(value, int):
            return value
        if value not in self._values:
            store = ox.Store()
            node = ox.NamedNode("urn:x")
            store.add(ox.Quad(node, node, ox.Literal(str(Literal(value, datatype=XSD.decimal)),
                                                     datatype=ox.NamedNode(str(XSD.decimal)))))
            self._values[value] = rows(OxGraph.over(store), "SELECT ?v WHERE { ?s ?p ?v }")[0][0]
        return self._values[value]

    def rows(self) -> list[tuple]:
        """The rows of the figures added, in the order added."""
        return self.out
