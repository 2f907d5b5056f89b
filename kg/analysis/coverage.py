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

from collections import defaultdict

from rdflib import Graph
from rdflib.namespace import PROV, RDF

from kg.model import ENTITY_TYPES
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

    out = []
    for a, d in info.items():
        count, with_ex = d.pop("count"), covered[a]
        row = {**d,
               "entities": {t: types[a].get(t, 0) for t in ENTITY_TYPES},
               "indicators": types[a].get("Indicator", 0),
               "mentions": mentions.get(a, 0),
               "relation_statements": statements.get(a, 0),
               "sentences": count,
               "sentences_with_extraction": with_ex,
               "sentences_without_extraction": None if count is None else max(count - with_ex, 0),
               "empty_sentences": None, "coverage": None}
        if count is not None:
            if len(indexed[a]) == with_ex:      # every covered sentence says where it stands
                row["empty_sentences"] = [i for i in range(count) if i not in indexed[a]]
            row["coverage"] = round(with_ex / count, 3) if count else None
        out.append(row)
    out.sort(key=lambda r: r["id"])
    return out


def _per_article(graph: Graph, type_, predicate) -> dict[str, int]:
    return {a: int(n) for a, n in rows(graph, PER_ARTICLE, t=type_, p=predicate)}
