"""kg validate: the seeds' graph conforms to shapes.ttl; broken graphs are reported with the
failing node named, and exit 1."""
from __future__ import annotations

from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS
from typer.testing import CliRunner

from cli import app
from kg.graph.sparql import load_graph
from kg.outputs.validate import format_report, validate
from kg.vocab import KG, NIF

ROOT = Path(__file__).resolve().parent.parent
GRAPH = ROOT / "output" / "graph.ttl"
runner = CliRunner()
HUNAN = URIRef("https://w3id.org/kgpa/id/region/430000")


def test_seeds_graph_conforms():
    r = runner.invoke(app, ["validate", "--graph", str(GRAPH)])
    assert r.exit_code == 0, r.output
    assert "conforms" in r.output


def _broken(tmp_path, change):
    g = load_graph(GRAPH, with_ontology=False)
    change(g)
    path = tmp_path / "broken.ttl"
    g.serialize(path, format="turtle")
    return path


def test_second_label_reported_with_node_and_label(tmp_path):
    path = _broken(tmp_path, lambda g: g.add((HUNAN, RDFS.label, Literal("湘", lang="zh"))))
    r = runner.invoke(app, ["validate", "--graph", str(path)])
    assert r.exit_code == 1
    assert "kgr:region/430000" in r.output and "exactly one rdfs:label" in r.output


def _drop_evidence_and_value(g):
    st = next(s for s in g.subjects(RDF.type, RDF.Statement) if (s, KG.pattern, Literal("body+issue-verb+document")) in g)
    g.remove((st, KG.evidence, None))
    ind = next(iter(sorted(g.subjects(RDF.type, KG.Indicator))))
    g.remove((ind, KG.value, None))
    g.add((ind, KG.value, Literal("很多")))
    g.remove((ind, KG.unit, None))
    person = next(iter(sorted(g.subjects(RDF.type, KG.Person))))
    g.add((person, RDF.type, KG.Body))
    return st, ind, person


def test_missing_evidence_value_unit_and_second_type_each_named(tmp_path):
    g = load_graph(GRAPH, with_ontology=False)
    st, ind, person = _drop_evidence_and_value(g)
    v = validate(g)
    assert not v.conforms
    failing = {(x.node, x.message.split(" (")[0]) for x in v.violations}
    short = lambda n: "kgr:" + str(n)[len("https://w3id.org/kgpa/id/"):]
    assert (short(st), "a relation statement has its evidence sentence") in failing
    assert (short(ind), "a figure has exactly one numeric kg:value") in failing
    assert (short(ind), "a figure has exactly one non-empty kg:unit") in failing
    assert (short(person), "an entity has exactly one type") in failing
    text = format_report(v)
    assert short(st) in text and short(person) in text


def test_relations_read_off_a_byline_name_have_the_byline_as_evidence(tmp_path):
    g = load_graph(GRAPH, with_ontology=False)
    statements = [s for s in g.subjects(RDF.type, RDF.Statement)
                  if (g.value(s, KG.evidence), RDF.type, KG.Byline) in g]
    assert statements and all(str(g.value(s, KG.pattern)) in ("body-region", "body-parent") for s in statements)
    byline = g.value(statements[0], KG.evidence)
    assert str(g.value(byline, NIF.anchorOf)) == "巴中市委组织部研究室"
    raw = (ROOT / "seeds" / "004_60c230d7500ffaa4.txt").read_text(encoding="utf-8")
    begin, end = int(g.value(byline, NIF.beginIndex)), int(g.value(byline, NIF.endIndex))
    assert raw[begin:end] == "巴中市委组织部研究室"
    for s in statements:                       # without it they are reported, by node
        g.remove((s, KG.evidence, None))
    v = validate(g)
    assert not v.conforms
    assert {x.node for x in v.violations} == {"kgr:" + str(s)[len("https://w3id.org/kgpa/id/"):] for s in statements}