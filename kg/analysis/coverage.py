"""Per-article coverage of a built graph, by SPARQL: how many entities of each type an article
names, its figures, mentions and relation statements, and how many of its sentences carry no
extraction at all.

The graph holds a ``nif:Sentence`` only for a sentence that carries a mention, relation or
figure; ``kg:sentenceCount`` on the article gives how many sentences it was split into. The
sentences with no extraction are the indices below that count that have no ``nif:Sentence``
(unknown, ``None``, for a graph written before ``kg:sentenceCount`` existed).

What this module does not do: say *why* a sentence has no extraction, or hold sentence text
(the graph has none for those sentences).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import PROV, RDF

from kg.model import ENTITY_TYPES, POST_RELATIONS, Entity, Extraction
from kg.vocab import KG, NIF

from kg.analysis.common import article_id, rows, text

ARTICLES = """
SELECT ?a ?title ?file ?date ?count ?home WHERE {
  ?a a kg:Article .
  OPTIONAL { ?a rdfs:label ?title } OPTIONAL { ?a kg:sourceFile ?file }
  OPTIONAL { ?a schema:datePublished ?date } OPTIONAL { ?a kg:sentenceCount ?count }
  OPTIONAL { ?a schema:spatialCoverage ?r . ?r rdfs:label ?home }
}"""

MENTIONED_TYPES = """
SELECT ?a ?t (COUNT(DISTINCT ?e) AS ?n) WHERE {
  ?a a kg:Article ; kg:mentions ?e . ?e a ?t .
} GROUP BY ?a ?t"""

# Per article: its nif:Sentence nodes and their indices (in any order, space-separated), one
# row per article; a row per sentence made Oxigraph spell out every sentence IRI from disk.
SENTENCES = """
SELECT ?a (COUNT(DISTINCT ?s) AS ?n) (GROUP_CONCAT(COALESCE(STR(?index), ""); separator=" ") AS ?indices)
WHERE { ?s nif:referenceContext ?a ; a nif:Sentence . OPTIONAL { ?s kg:sentenceIndex ?index } }
GROUP BY ?a"""

# Things of one class (bound to ?t) that point at their article by one predicate (bound to ?p).
PER_ARTICLE = """
SELECT ?a (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?t ; ?p ?a } GROUP BY ?a"""


def article_coverage(graph: Graph) -> list[dict]:
    """One dict per article, by article id: id, title, file, date, home (region label),
    ``entities`` (type → distinct entities it mentions), ``indicators``, ``mentions``,
    ``relation_statements``, ``sentences`` (its sentence count), ``sentences_with_extraction``,
    ``sentences_without_extraction``, ``empty_sentences`` (their indices) and ``coverage``
    (share of sentences with an extraction, 3 decimals)."""
    info: dict[str, dict] = {}
    for a, title, file, date, count, home in rows(graph, ARTICLES):
        info.setdefault(a, {"id": article_id(a), "title": text(title), "file": text(file),
                                 "date": text(date), "home": text(home),
                                 "count": int(count) if count is not None else None})
    types: dict[str, dict[str, int]] = defaultdict(dict)
    for a, t, n in rows(graph, MENTIONED_TYPES):
        types[a][t.rsplit("#", 1)[-1]] = int(n)
    covered: dict[str, int] = defaultdict(int)
    indexed: dict[str, set[int]] = defaultdict(set)
    for a, n, indices in rows(graph, SENTENCES):
        covered[a] = int(n)
        indexed[a] = {int(i) for i in indices.split()}
    mentions = _per_article(graph, KG.Mention, NIF.referenceContext)
    statements = _per_article(graph, RDF.Statement, PROV.wasDerivedFrom)

    out = [_row(d, {t: types[a].get(t, 0) for t in ENTITY_TYPES}, types[a].get("Indicator", 0),
                mentions.get(a, 0), statements.get(a, 0), covered[a],
                indexed[a] if len(indexed[a]) == covered[a] else None)     # every covered sentence says where it stands
           for a, d in info.items()]
    out.sort(key=lambda r: r["id"])
    return out


def _row(d: dict, entities: dict[str, int], indicators: int, mentions: int, statements: int,
         with_ex: int, indexed: set[int] | None) -> dict:
    """One article's row of ``article_coverage`` (``d``: id, title, file, date, home, count;
    ``indexed``: the indices of its sentences with an extraction, None when not all are known)."""
    d = dict(d)
    count = d.pop("count")
    row = {**d, "entities": entities, "indicators": indicators, "mentions": mentions,
           "relation_statements": statements, "sentences": count,
           "sentences_with_extraction": with_ex,
           "sentences_without_extraction": None if count is None else max(count - with_ex, 0),
           "empty_sentences": None, "coverage": None}
    if count is not None:
        if indexed is not None:
            row["empty_sentences"] = [i for i in range(count) if i not in indexed]
        row["coverage"] = round(with_ex / count, 3) if count else None
    return row


class CoverageTally:
    """``article_coverage`` worked out from the extractions as a build writes them (``add`` each,
    then ``rows``), the same rows the graph gives, without reading the graph back: the sentences,
    mentions, statements and figures ``kg.graph.rdf`` writes for an article, counted as it writes
    them (an entity or a relation end not in ``iris`` is left out, as there)."""

    def __init__(self, iris: dict[tuple[str, str], str], entities: dict[tuple[str, str], Entity]):
        self.iris = iris
        self.types: dict[str, set[str]] = defaultdict(set)       # node → its types, as written
        for key, node in iris.items():
            self.types[node].add(entities[key].type)
        self.labels = {key: e.label for key, e in entities.items()}
        self.out: list[dict] = []

    def add(self, ex: Extraction) -> None:
        """Count one article's extraction."""
        self.out.append(self.row(ex))

    def row(self, ex: Extraction) -> dict:
        """The row of one article's extraction (not kept)."""
        art, iris = ex.article, self.iris
        nodes = {iris[(m.type, m.label)] for m in ex.mentions if (m.type, m.label) in iris}
        types = Counter(t for node in nodes for t in self.types[node])
        mentions = {(*art.raw_span(m.start, m.end), m.type.lower()) for m in ex.mentions
                    if (m.type, m.label) in iris}
        statements = {(iris[r.subject], r.predicate, iris[r.object], r.sentence,
                       (r.role or "") if r.predicate in POST_RELATIONS else "")
                      for r in ex.relations if r.subject in iris and r.object in iris}
        figures = {art.raw_span(i.start, i.end) for i in ex.indicators}
        used = {m.sentence for m in ex.mentions} | {r.sentence for r in ex.relations} \
            | {i.sentence for i in ex.indicators}
        written = used & {s.index for s in ex.sentences}
        home = self.labels.get(ex.home_region) if ex.home_region in iris else None
        d = {"id": art.id, "title": art.title or art.id, "file": Path(art.path).name,
             "date": art.date or None, "home": home, "count": len(ex.sentences)}
        return _row(d, {t: types.get(t, 0) for t in ENTITY_TYPES}, len(figures),
                    len(mentions), len(statements), len(written), written)

    def rows(self) -> list[dict]:
        """The rows of the articles added, by id (as ``article_coverage``)."""
        return sorted(self.out, key=lambda r: r["id"])


def _per_article(graph: Graph, type_, predicate) -> dict[str, int]:
    return {a: int(n) for a, n in rows(graph, PER_ARTICLE, t=type_, p=predicate)}
