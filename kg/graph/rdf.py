"""Turn extractions and merged entities into one RDF graph, and write it as Turtle.

Layout (see ontology.ttl and README): entities typed by their class with ``rdfs:label``@zh and
``skos:altLabel``@zh; relation triples between entities, each also reified as an
``rdf:Statement`` with ``kg:evidence`` (the sentence), ``kg:pattern`` and
``prov:wasDerivedFrom`` (the article); a post (memberOf, Person → Body) also carries
``kg:role`` on its statement and is a ``kg:Post`` / ``org:Post`` node (``org:postIn`` the body,
``org:heldBy`` the person, ``org:role`` an ``org:Role`` labelled with the role) with the
evidence and articles of every statement of it; articles with ``kg:mentions``; sentences as
``nif:Sentence`` and mentions as ``kg:Mention`` with NIF offsets into the text as read;
indicators with value, unit, measures, inRegion, year and evidence. No blank nodes, so the
same input gives byte-identical Turtle.

What this module does not do: extraction, or any reading back (``kg.outputs.query``).
"""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from kg.graph.iri import (article_iri, byline_iri, entity_iri, indicator_iri, mention_iri, post_iri, role_iri,
                  sentence_iri, statement_iri)
from kg.model import POST_RELATIONS, Entity, EntityType, Extraction
from kg.graph.oxgraph import OxGraph
from kg.graph.store import to_oxigraph
from kg.vocab import KG, NIF, ORG, PREFIXES, SDO


def build_graph(extractions: list[Extraction], entities: dict[tuple[str, str], Entity]) -> OxGraph:
    """The graph of a build, in an in-memory Oxigraph store (``kg.graph.oxgraph``), entities by key
    and articles by id (the order fixes the Turtle's bytes). Terms are written as N-Triples
    text and parsed by Oxigraph in batches: making a Python object per term cost more than
    storing it."""
    g = OxGraph()
    iris = {key: _node(entity_iri(e.type, key[1], e.attrs.get("code", ""))) for key, e in entities.items()}
    lit = _Literals()
    posts: dict[str, _Post] = {}
    for key in sorted(entities):
        _add_entity(g, iris[key], entities[key])
    for ex in sorted(extractions, key=lambda ex: ex.article.id):
        _add_article(g, ex, iris, lit, posts)
    _add_posts(g, posts)
    return g


def _node(iri: URIRef) -> str:
    return str(ox.NamedNode(str(iri)))


# The vocabulary terms the graph uses, in N-Triples, written once.
T = SimpleNamespace(**{name: _node(term) for name, term in {
    "type": RDF.type, "label": RDFS.label, "altLabel": SKOS.altLabel, "Article": KG.Article,
    "Mention": KG.Mention, "Sentence": NIF.Sentence, "Statement": RDF.Statement,
    "Indicator": KG.Indicator, "Byline": KG.Byline, "mentions": KG.mentions, "denotes": KG.denotes, "rule": KG.rule,
    "sentence": NIF.sentence, "context": NIF.referenceContext, "begin": NIF.beginIndex,
    "end": NIF.endIndex, "anchor": NIF.anchorOf, "sentenceIndex": KG.sentenceIndex,
    "normalized": KG.normalizedText, "subject": RDF.subject, "predicate": RDF.predicate,
    "object": RDF.object, "pattern": KG.pattern, "derivedFrom": PROV.wasDerivedFrom,
    "evidence": KG.evidence, "value": KG.value, "unit": KG.unit, "measures": KG.measures,
    "inRegion": KG.inRegion, "year": KG.year, "sourceFile": KG.sourceFile,
    "sentenceCount": KG.sentenceCount, "adminCode": KG.adminCode, "level": KG.level,
    "published": SDO.datePublished, "publisher": SDO.publisher, "author": SDO.author,
    "url": SDO.url, "coverage": SDO.spatialCoverage, "role": KG.role, "Post": KG.Post,
    "OrgPost": ORG.Post, "Role": ORG.Role, "orgRole": ORG.role, "postIn": ORG.postIn,
    "heldBy": ORG.heldBy}.items()})


class _Literals(dict):
    """Each distinct literal written once: offsets, rules, units and the same names recur
    across thousands of articles."""

    def __call__(self, value: int | str) -> str:
        key = (type(value), value)
        term = self.get(key)
        if term is None:
            term = self[key] = _literal(Literal(value))
        return term

    def zh(self, text: str) -> str:
        term = self.get(text)
        if term is None:
            term = self[text] = zh(text)
        return term


def zh(text: str) -> str:
    """``text`` as a Turtle literal tagged ``@zh``, escaped by Oxigraph."""
    return str(ox.Literal(text, language="zh"))


def _literal(term: Literal) -> str:
    """rdflib's lexical form and datatype for a Python value (12 → "12"^^xsd:integer)."""
    return str(to_oxigraph(term))


def _add_entity(g: OxGraph, iri: str, e: Entity) -> None:
    add = g.add_ntriple
    add(iri, T.type, _node(KG[e.type]))
    add(iri, T.label, zh(e.label))
    for alias in sorted(e.aliases):
        add(iri, T.altLabel, zh(alias))
    if e.type == EntityType.REGION:
        if e.attrs.get("code"):
            add(iri, T.adminCode, _literal(Literal(e.attrs["code"])))
        if e.attrs.get("level"):
            add(iri, T.level, _literal(Literal(e.attrs["level"])))


def _add_article(g: OxGraph, ex: Extraction, iris: dict, lit: _Literals, posts: dict) -> None:
    """One article's triples: the article, the sentences anything was found in, the mentions,
    the relation statements (and posts) and the figures, in that order."""
    art = ex.article
    a = _node(article_iri(art.id))
    add = g.add_ntriple
    _add_article_node(add, ex, a, iris, lit)
    sentences = _add_sentences(add, ex, a, lit)
    _add_mentions(add, ex, a, iris, lit, sentences)
    _add_statements(add, ex, a, iris, lit, sentences, posts)
    _add_indicators(add, ex, a, iris, lit, sentences)


def _add_article_node(add, ex: Extraction, a: str, iris: dict, lit: _Literals) -> None:
    art = ex.article
    add(a, T.type, T.Article)
    add(a, T.label, zh(art.title or art.id))
    add(a, T.sourceFile, _literal(Literal(Path(art.path).name)))
    add(a, T.sentenceCount, lit(len(ex.sentences)))
    if art.date:
        dtype = XSD.date if len(art.date) == 10 else XSD.gYear if len(art.date) == 4 else XSD.gYearMonth
        add(a, T.published, _literal(Literal(art.date, datatype=dtype)))
    if art.source:
        add(a, T.publisher, zh(art.source))
    if art.author:
        add(a, T.author, zh(art.author))
    if art.url:
        add(a, T.url, _node(URIRef(art.url)))
    if ex.home_region and ex.home_region in iris:
        add(a, T.coverage, iris[ex.home_region])


def _add_sentences(add, ex: Extraction, a: str, lit: _Literals) -> dict[int, str]:
    """The sentences that hold a mention, a relation or a figure (others are not written):
    their index → node."""
    art = ex.article
    used_sentences = {m.sentence for m in ex.mentions} | {r.sentence for r in ex.relations} \
        | {i.sentence for i in ex.indicators}
    sentences = {i: _node(sentence_iri(art.id, i)) for i in used_sentences}
    for s in ex.sentences:
        if s.index not in used_sentences:
            continue
        si = sentences[s.index]
        rs, re_ = art.raw_span(s.start, s.end)
        add(si, T.type, T.Sentence)
        add(si, T.context, a)
        add(si, T.begin, lit(rs))
        add(si, T.end, lit(re_))
        add(si, T.anchor, zh(art.raw[rs:re_]))
        add(si, T.sentenceIndex, lit(s.index))
        if art.raw[rs:re_] != s.text:
            add(si, T.normalized, zh(s.text))
    return sentences


def _add_mentions(add, ex: Extraction, a: str, iris: dict, lit: _Literals, sentences: dict) -> None:
    art = ex.article
    for m in ex.mentions:
        key = (m.type, m.label)
        if key not in iris:
            continue
        add(a, T.mentions, iris[key])
        rs, re_ = art.raw_span(m.start, m.end)
        mi = _node(mention_iri(art.id, rs, re_, m.type))
        add(mi, T.type, T.Mention)
        add(mi, T.denotes, iris[key])
        add(mi, T.sentence, sentences[m.sentence])
        add(mi, T.context, a)
        add(mi, T.begin, lit(rs))
        add(mi, T.end, lit(re_))
        add(mi, T.anchor, lit.zh(art.raw[rs:re_]))
        add(mi, T.rule, lit(m.rule))


def _add_statements(add, ex: Extraction, a: str, iris: dict, lit: _Literals, sentences: dict,
                    posts: dict) -> None:
    """Each relation as a triple and a reified statement with its pattern and evidence; a post
    relation also gathers its ``_Post`` (written once for all articles by ``_add_posts``)."""
    art = ex.article
    byline = _add_byline(add, art, a) if any(r.sentence < 0 for r in ex.relations) else None
    for r in ex.relations:
        if r.subject not in iris or r.object not in iris:
            continue
        s, p, o = iris[r.subject], _node(KG[r.predicate]), iris[r.object]
        add(s, p, o)
        role = r.role if r.predicate in POST_RELATIONS else ""
        st = _node(statement_iri(URIRef(s[1:-1]), URIRef(p[1:-1]), URIRef(o[1:-1]), art.id, r.sentence, role))
        add(st, T.type, T.Statement)
        add(st, T.subject, s)
        add(st, T.predicate, p)
        add(st, T.object, o)
        add(st, T.pattern, lit(r.pattern))
        add(st, T.derivedFrom, a)
        evidence = sentences[r.sentence] if r.sentence >= 0 else byline
        if evidence:
            add(st, T.evidence, evidence)
        if role:
            add(st, T.role, lit.zh(role))
            post = posts.setdefault(_node(post_iri(URIRef(o[1:-1]), role, URIRef(s[1:-1]))), _Post(o, role, s))
            post.articles.add(a)
            if evidence:
                post.evidence.add(evidence)


def _add_indicators(add, ex: Extraction, a: str, iris: dict, lit: _Literals, sentences: dict) -> None:
    art = ex.article
    for ind in ex.indicators:
        ii = _node(indicator_iri(art.id, *art.raw_span(ind.start, ind.end)))
        add(ii, T.type, T.Indicator)
        add(ii, T.label, zh(ind.text))
        value = ind.value
        add(ii, T.value, _literal(Literal(value, datatype=XSD.integer if isinstance(value, int) else XSD.decimal)))
        add(ii, T.unit, lit(ind.unit))
        if ind.measures_key and ind.measures_key in iris:
            add(ii, T.measures, iris[ind.measures_key])
        elif ind.measures:
            add(ii, T.measures, lit.zh(ind.measures))
        if ind.region and ind.region in iris:
            add(ii, T.inRegion, iris[ind.region])
        if ind.year:
            add(ii, T.year, _literal(Literal(str(ind.year), datatype=XSD.gYear)))
        add(ii, T.evidence, sentences[ind.sentence])
        rs, re_ = art.raw_span(ind.start, ind.end)
        add(ii, T.anchor, zh(art.raw[rs:re_]))
        add(a, T.mentions, ii)


class _Post:
    """A post (``org:Post``) as the articles state it: body, role, holder, and every article
    and sentence (or byline) that states it."""

    def __init__(self, body: str, role: str, person: str):
        self.body, self.role, self.person = body, role, person
        self.articles: set[str] = set()
        self.evidence: set[str] = set()


def _add_posts(g: OxGraph, posts: dict) -> None:
    """The posts, after every article (a post may be stated by several), each typed kg:Post and
    org:Post, with its body, holder, role and evidence; each role once as an org:Role."""
    add = g.add_ntriple
    for iri in sorted(posts):
        post = posts[iri]
        add(iri, T.type, T.Post)
        add(iri, T.type, T.OrgPost)
        add(iri, T.postIn, post.body)
        add(iri, T.heldBy, post.person)
        add(iri, T.orgRole, _node(role_iri(post.role)))
        for article in sorted(post.articles):
            add(iri, T.derivedFrom, article)
        for evidence in sorted(post.evidence):
            add(iri, T.evidence, evidence)
    for role in sorted({p.role for p in posts.values()}):
        r = _node(role_iri(role))
        add(r, T.type, T.Role)
        add(r, T.label, zh(role))


def _add_byline(add, art, a: str) -> str | None:
    """The article's byline as a kg:Byline node (the evidence of what was read off a name
    found only there), with its offsets when it stands in the text as read."""
    if not art.author:
        return None
    b = _node(byline_iri(art.id))
    add(b, T.type, T.Byline)
    add(b, T.context, a)
    add(b, T.anchor, zh(art.author))
    at = art.raw.find(art.author)
    if at >= 0:
        add(b, T.begin, _literal(Literal(at)))
        add(b, T.end, _literal(Literal(at + len(art.author))))
    return b


def turtle(g: Graph | OxGraph) -> bytes:
    """``g`` as Turtle, written by Oxigraph's serializer (rdflib's takes minutes on the millions
    of triples of a large build), subject by subject. The order follows the order the triples
    were added (``build_graph`` adds them in a canonical order; an rdflib Graph is sorted first),
    so the same input gives the same bytes."""
    # kgr: is left out: local names with "/" would be written escaped (kgr:article\/…)
    prefixes = {p: uri for p, uri in sorted(PREFIXES.items()) if p != "kgr"}
    if not isinstance(g, OxGraph):       # an rdflib Graph: its triples in a canonical order
        copy = OxGraph()
        for line in sorted(" ".join(str(to_oxigraph(t)) for t in triple) for triple in g):
            copy.add_ntriple(*line.split(" ", 2))
        g = copy
    return g.dump_turtle(prefixes)
