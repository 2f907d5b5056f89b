"""The build's graph (kg/graph/oxgraph.py) answers the rdflib methods kg reads it with as an rdflib
Graph holding the same triples does."""
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS, XSD

from kg.graph.oxgraph import OxGraph
from kg.graph.rdf import turtle
from kg.vocab import KG, KGR

A, B, C = KGR["body/a"], KGR["body/b"], KGR["region/430000"]
TRIPLES = [
    (A, RDF.type, KG.Body), (B, RDF.type, KG.Body), (C, RDF.type, KG.Region),
    (A, RDFS.label, Literal("湖南省委", lang="zh")), (B, RDFS.label, Literal("省委组织部", lang="zh")),
    (A, KG.locatedIn, C), (B, KG.locatedIn, C), (B, KG.subOrganizationOf, A),
    (C, KG.adminCode, Literal("430000")), (C, KG.sentenceCount, Literal(12)),
    (C, KG.value, Literal("2.5", datatype=XSD.decimal)),
]


def both():
    g, o = Graph(), OxGraph()
    for t in TRIPLES:
        g.add(t)
        o.add(t)
    return g, o


def test_reads_agree_with_rdflib():
    g, o = both()
    assert len(o) == len(g) == len(TRIPLES)
    assert set(o) == set(g)
    assert set(o.subjects(RDF.type, KG.Body)) == set(g.subjects(RDF.type, KG.Body)) == {A, B}
    assert set(o.objects(B, None)) == set(g.objects(B, None))
    assert set(o.subject_objects(KG.locatedIn)) == set(g.subject_objects(KG.locatedIn))
    assert o.value(A, RDFS.label) == g.value(A, RDFS.label) == Literal("湖南省委", lang="zh")
    assert o.value(C, KG.sentenceCount) == Literal(12)
    assert o.value(None, KG.subOrganizationOf, A) == B
    assert o.value(A, KG.partOf) is None and o.value(A, KG.partOf, default="x") == "x"
    assert (B, KG.locatedIn, C) in o and (C, KG.locatedIn, B) not in o


def test_ntriples_and_rdflib_terms_make_the_same_graph():
    _, o = both()
    n = OxGraph()
    for s, p, x in TRIPLES:
        n.add_ntriple(s.n3(), p.n3(), x.n3())
    assert set(n) == set(o)


def test_sparql_answers_on_the_store():
    _, o = both()
    rows = {tuple(map(str, r)) for r in o.query(
        f"SELECT ?b ?l WHERE {{ ?b kg:locatedIn <{C}> ; rdfs:label ?l }}")}
    assert rows == {(str(A), "湖南省委"), (str(B), "省委组织部")}


def test_turtle_of_an_rdflib_graph_does_not_depend_on_the_order_of_its_triples():
    g, o = both()
    reverse = Graph()
    for t in reversed(TRIPLES):
        reverse.add(t)
    assert turtle(g) == turtle(reverse)
    for data in (turtle(g), turtle(o)):
        back = Graph()
        back.parse(data=data, format="turtle")
        assert set(back) == set(g)
