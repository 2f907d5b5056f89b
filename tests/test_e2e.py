"""End to end on seeds/: the build, its Turtle, its determinism, and the committed output/."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from kg.model import ENTITY_TYPES
from kg.build import build
from kg.vocab import KG

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    result = build([SEEDS], out)
    return result, out


@pytest.fixture(scope="session")
def seed_graph(seed_build):
    g = Graph()
    g.parse(seed_build[1] / "graph.ttl", format="turtle")
    return g


def test_build_writes_its_outputs(seed_build):
    result, out = seed_build
    assert len(result.extractions) == 5 and not result.skipped
    for name in ("graph.ttl", "graph.html", "report.md", "analysis.md", "analysis.json"):
        assert (out / name).stat().st_size > 1000, name
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "## Skipped inputs" in report and "000_561553d2c6e7eabe" in report


@pytest.mark.parametrize("type_", ENTITY_TYPES + ("Indicator", "Article"))
def test_every_type_is_in_the_graph(seed_graph, type_):
    assert len(set(seed_graph.subjects(RDF.type, KG[type_]))) >= 1


def test_every_entity_has_one_zh_label(seed_graph):
    for t in ENTITY_TYPES:
        for e in seed_graph.subjects(RDF.type, KG[t]):
            labels = list(seed_graph.objects(e, RDFS.label))
            assert len(labels) == 1 and isinstance(labels[0], Literal) and labels[0].language == "zh", e


def test_known_facts_of_the_seeds(seed_graph):
    """A few facts a reader of the seeds checks first: regions with codes, bodies made explicit."""
    q = """
    SELECT ?code WHERE { ?r a kg:Region ; rdfs:label "湖南省"@zh ; kg:adminCode ?code }"""
    assert [str(r[0]) for r in seed_graph.query(q, initNs={"kg": KG, "rdfs": RDFS})] == ["430000"]
    labels = {str(o) for s in seed_graph.subjects(RDF.type, KG.Body) for o in seed_graph.objects(s, RDFS.label)}
    assert {"湖南省委组织部", "湖南省委", "中共中央组织部", "建始县委"} <= labels
    values = {float(v) for v in seed_graph.objects(None, KG.value)}
    assert {8761.0, 24000.0, 126000000.0, 46.3} <= values


def test_relation_evidence_is_a_sentence_of_the_article(seed_graph):
    q = """
    SELECT ?s ?o ?text WHERE {
      ?st rdf:subject ?s ; rdf:predicate kg:issued ; rdf:object ?o ; kg:evidence ?sent .
      ?sent nif:anchorOf ?text .
    }"""
    from kg.vocab import PREFIXES
    rows = list(seed_graph.query(q, initNs=PREFIXES))
    assert rows
    assert any("关于切实做好抓党建促脱贫攻坚工作的通知" in str(r.text) for r in rows)


def test_rebuild_is_byte_identical_and_isomorphic(seed_build, tmp_path):
    _, out = seed_build
    # a copy of the seeds listed in another order, under another folder name
    copy = tmp_path / "again"
    shutil.copytree(SEEDS, copy)
    build(sorted(copy.iterdir(), reverse=True), tmp_path / "out")
    first = (out / "graph.ttl").read_bytes()
    second = (tmp_path / "out" / "graph.ttl").read_bytes()
    assert first == second
    for name in ("analysis.md", "analysis.json"):
        assert (out / name).read_bytes() == (tmp_path / "out" / name).read_bytes(), name
    g1, g2 = Graph(), Graph()
    g1.parse(data=first, format="turtle")
    g2.parse(data=second, format="turtle")
    assert isomorphic(g1, g2)


def test_committed_output_is_current(seed_build):
    """output/ holds the build of seeds/; rebuild it with `kg build` when this fails."""
    _, out = seed_build
    for name in ("graph.ttl", "graph.html", "report.md", "analysis.md", "analysis.json"):
        committed = ROOT / "output" / name
        assert committed.exists(), f"output/{name} missing: run `kg build`"
        assert committed.read_bytes() == (out / name).read_bytes(), f"output/{name} is stale: run `kg build`"


def test_one_article_builds_alone(tmp_path):
    result = build([SEEDS / "000_561553d2c6e7eabe.txt"], tmp_path)
    assert len(result.extractions) == 1
    g = Graph()
    g.parse(tmp_path / "graph.ttl", format="turtle")
    assert len(g) > 100


def _nodes_labelled(g, label):
    from rdflib.namespace import SKOS
    return {s for s in g.subjects(RDFS.label, Literal(label, lang="zh"))} | \
        {s for s in g.subjects(SKOS.altLabel, Literal(label, lang="zh"))}


def test_one_node_per_real_thing_across_articles(seed_graph):
    """驻村工作队 named in several articles is one node; 省委组织部 of Hunan and of Yunnan are two;
    the Traditional form 貴州省 is an alias of the one 贵州省."""
    team = _nodes_labelled(seed_graph, "驻村工作队")
    assert len(team) == 1
    articles = set(seed_graph.subjects(KG.mentions, next(iter(team))))
    assert len(articles) >= 3
    assert _nodes_labelled(seed_graph, "湖南省委组织部") != _nodes_labelled(seed_graph, "云南省委组织部")
    assert len(_nodes_labelled(seed_graph, "省委组织部")) >= 2
    assert _nodes_labelled(seed_graph, "貴州省") == _nodes_labelled(seed_graph, "贵州省")
