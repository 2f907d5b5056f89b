"""Turn extractions and merged entities into one RDF graph, and write it as Turtle.

Layout (see ontology.ttl and README): entities typed by their class with ``rdfs:label``@zh and
``skos:altLabel``@zh; relation triples between entities, each also reified as an
``rdf:Statement`` with ``kg:evidence`` (the sentence), ``kg:pattern`` and
``prov:wasDerivedFrom`` (the article); articles with ``kg:mentions``; sentences as
``nif:Sentence`` and mentions as ``kg:Mention`` with NIF offsets into the text as read;
indicators with value, unit, measures, inRegion, year and evidence. No blank nodes, so the
same input gives byte-identical Turtle.

What this module does not do: extraction, or any reading back (``kg.query``).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD
from rdflib.plugins.stores.memory import SimpleMemory

from .iri import article_iri, entity_iri, indicator_iri, mention_iri, sentence_iri, statement_iri
from .model import Entity, Extraction
from .vocab import KG, NIF, PREFIXES, SDO, bind_prefixes


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def build_graph(extractions: list[Extraction], entities: dict[tuple[str, str], Entity]) -> Graph:
    # SimpleMemory: no named graphs (kg uses none) and a third of the time and memory per
    # triple of rdflib's default store, which matters at millions of triples.
    g = bind_prefixes(Graph(store=SimpleMemory()))
    iris = {key: entity_iri(e.type, e.label, e.attrs.get("code", "")) for key, e in entities.items()}
    # in a canonical order: ``turtle`` writes triples in the order they were added
    for key in sorted(entities):
        _add_entity(g, iris[key], entities[key])
    for ex in sorted(extractions, key=lambda ex: ex.article.id):
        _add_article(g, ex, iris)
    return g


def _add_entity(g: Graph, iri: URIRef, e: Entity) -> None:
    g.add((iri, RDF.type, KG[e.type]))
    g.add((iri, RDFS.label, zh(e.label)))
    for alias in sorted(e.aliases):
        g.add((iri, SKOS.altLabel, zh(alias)))
    if e.type == "Region":
        if e.attrs.get("code"):
            g.add((iri, KG.adminCode, Literal(e.attrs["code"])))
        if e.attrs.get("level"):
            g.add((iri, KG.level, Literal(e.attrs["level"])))


def _add_article(g: Graph, ex: Extraction, iris: dict) -> None:
    art = ex.article
    a = article_iri(art.id)
    g.add((a, RDF.type, KG.Article))
    g.add((a, RDFS.label, zh(art.title or art.id)))
    g.add((a, KG.sourceFile, Literal(Path(art.path).name)))
    g.add((a, KG.sentenceCount, Literal(len(ex.sentences))))
    if art.date:
        dtype = XSD.date if len(art.date) == 10 else XSD.gYear if len(art.date) == 4 else XSD.gYearMonth
        g.add((a, SDO.datePublished, Literal(art.date, datatype=dtype)))
    if art.source:
        g.add((a, SDO.publisher, zh(art.source)))
    if art.author:
        g.add((a, SDO.author, zh(art.author)))
    if art.url:
        g.add((a, SDO.url, URIRef(art.url)))
    if ex.home_region and ex.home_region in iris:
        g.add((a, SDO.spatialCoverage, iris[ex.home_region]))

    used_sentences = {m.sentence for m in ex.mentions} | {r.sentence for r in ex.relations} \
        | {i.sentence for i in ex.indicators}
    for s in ex.sentences:
        if s.index not in used_sentences:
            continue
        si = sentence_iri(art.id, s.index)
        rs, re_ = art.raw_span(s.start, s.end)
        g.add((si, RDF.type, NIF.Sentence))
        g.add((si, NIF.referenceContext, a))
        g.add((si, NIF.beginIndex, Literal(rs)))
        g.add((si, NIF.endIndex, Literal(re_)))
        g.add((si, NIF.anchorOf, zh(art.raw[rs:re_])))
        g.add((si, KG.sentenceIndex, Literal(s.index)))
        if art.raw[rs:re_] != s.text:
            g.add((si, KG.normalizedText, zh(s.text)))

    for m in ex.mentions:
        key = (m.type, m.label)
        if key not in iris:
            continue
        g.add((a, KG.mentions, iris[key]))
        rs, re_ = art.raw_span(m.start, m.end)
        mi = mention_iri(art.id, rs, re_, m.type)
        g.add((mi, RDF.type, KG.Mention))
        g.add((mi, KG.denotes, iris[key]))
        g.add((mi, NIF.sentence, sentence_iri(art.id, m.sentence)))
        g.add((mi, NIF.referenceContext, a))
        g.add((mi, NIF.beginIndex, Literal(rs)))
        g.add((mi, NIF.endIndex, Literal(re_)))
        g.add((mi, NIF.anchorOf, zh(art.raw[rs:re_])))
        g.add((mi, KG.rule, Literal(m.rule)))

    for r in ex.relations:
        if r.subject not in iris or r.object not in iris:
            continue
        s, p, o = iris[r.subject], KG[r.predicate], iris[r.object]
        g.add((s, p, o))
        st = statement_iri(s, p, o, art.id, r.sentence)
        g.add((st, RDF.type, RDF.Statement))
        g.add((st, RDF.subject, s))
        g.add((st, RDF.predicate, p))
        g.add((st, RDF.object, o))
        g.add((st, KG.pattern, Literal(r.pattern)))
        g.add((st, PROV.wasDerivedFrom, a))
        if r.sentence >= 0:
            g.add((st, KG.evidence, sentence_iri(art.id, r.sentence)))

    for ind in ex.indicators:
        ii = indicator_iri(art.id, *art.raw_span(ind.start, ind.end))
        g.add((ii, RDF.type, KG.Indicator))
        g.add((ii, RDFS.label, zh(ind.text)))
        value = ind.value
        g.add((ii, KG.value, Literal(value, datatype=XSD.integer if isinstance(value, int) else XSD.decimal)))
        g.add((ii, KG.unit, Literal(ind.unit)))
        if ind.measures_key and ind.measures_key in iris:
            g.add((ii, KG.measures, iris[ind.measures_key]))
        elif ind.measures:
            g.add((ii, KG.measures, zh(ind.measures)))
        if ind.region and ind.region in iris:
            g.add((ii, KG.inRegion, iris[ind.region]))
        if ind.year:
            g.add((ii, KG.year, Literal(str(ind.year), datatype=XSD.gYear)))
        g.add((ii, KG.evidence, sentence_iri(art.id, ind.sentence)))
        rs, re_ = art.raw_span(ind.start, ind.end)
        g.add((ii, NIF.anchorOf, zh(art.raw[rs:re_])))
        g.add((a, KG.mentions, ii))


def turtle(g: Graph) -> bytes:
    """``g`` as Turtle, written by Oxigraph's serializer (rdflib's takes minutes on the millions
    of triples of a large build). Triples are streamed in the graph's own order, subject by
    subject in the order ``build_graph`` added them, which depends only on the input: no copy
    of the triples is held (a sorted one doubled the memory of a 10,000-article build)."""
    import pyoxigraph as ox

    from .store import to_oxigraph

    term = lru_cache(maxsize=1 << 16)(to_oxigraph)    # predicates, classes, entities repeat
    triples = (ox.Triple(term(s), term(p), term(o)) for s, p, o in g)
    # kgr: is left out: local names with "/" would be written escaped (kgr:article\/…)
    prefixes = {p: uri for p, uri in sorted(PREFIXES.items()) if p != "kgr"}
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
