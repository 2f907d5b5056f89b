"""The RDF stage: deterministic IRIs, no blank nodes, NIF offsets into the raw text, reified
relations with evidence, and byte-identical Turtle whatever the order of the articles."""
from __future__ import annotations

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import PROV, RDF

from helpers import read_raw
from kg.graph.iri import article_iri, entity_iri, mention_iri, sentence_iri, statement_iri
from kg.model import RELATION_TYPES
from kg.build import build
from kg.pipeline import extract_article, merge
from kg.graph.rdf import build_graph, turtle
from kg.vocab import KG, NIF

# Raw texts that differ from the cleaned text: Traditional script, indentation, a date line.
RAW = {
    "gansu": "甘肅：抓黨建促脫貧攻堅見實效\n發布日期：2019-05-01\n\n"
             "   近年來，甘肅省委高度重視脫貧攻堅。省委組織部印發《關於加強駐村幫扶工作的通知》。\n"
             "   全省選派第一書記1.2萬名，深入實施隴原人才行動計劃。\n",
    "ningxia": "宁夏：闽宁协作结硕果\n\n　　闽宁协作深入推进，福建省对口帮扶宁夏。\n"
               "　　固原市委组织部实施“领头雁”培养工程，推行“支部+合作社+农户”模式。\n"
               "　　第一书记马正军带领群众修路，全区建档立卡贫困户3000户全部脱贫。\n",
    "sichuan": "四川凉山州：党建扶贫\n2020年6月1日\n"
               "  近年来，凉山州委高度重视。州委组织部印发《凉山州驻村工作队管理办法》。\n"
               "  昭觉县选派驻村工作队员500名，实施“彝乡头雁”工程。\n",
    # names only a county: its prefecture and province come from the gazetteer, not from a sentence
    "xiji": "抓党建促脱贫攻坚的实践\n\n  西吉县选派第一书记120名，推行“村级事务积分”制度。\n",
}


def extractions(order=("gansu", "ningxia", "sichuan", "xiji")):
    return [extract_article(read_raw(RAW[k], article_id=k)) for k in order]


@pytest.fixture(scope="module")
def exs():
    return extractions()


@pytest.fixture(scope="module")
def graph(exs):
    return build_graph(exs, merge(exs))


def test_raw_and_text_differ(exs):
    # the fixture must exercise the offset mapping, not the identity
    assert all(ex.article.raw != ex.article.text for ex in exs)


@pytest.mark.parametrize("type_, label, code, expected", [
    ("Region", "甘肃省", "620000", "region/620000"),
    ("Region", "六盘山片区", "", "region/"),
    ("Body", "甘肃省委组织部", "", "body/"),
    ("Programme", "陇原人才行动计划", "", "programme/"),
    ("Document", "关于加强驻村帮扶工作的通知", "", "document/"),
])
def test_entity_iri_deterministic(type_, label, code, expected):
    a, b = entity_iri(type_, label, code), entity_iri(type_, label, code)
    assert a == b and expected in str(a)
    assert " " not in str(a)


def test_iris_tell_things_apart():
    assert entity_iri("Programme", "强基工程") != entity_iri("Measure", "强基工程")
    assert entity_iri("Body", "甘肃省委") != entity_iri("Body", "甘肃省委组织部")
    assert sentence_iri("a", 1) != sentence_iri("a", 2)
    assert mention_iri("a", 0, 2, "Region") != mention_iri("a", 0, 2, "Body")
    s, p, o = URIRef("urn:s"), URIRef("urn:p"), URIRef("urn:o")
    assert statement_iri(s, p, o, "a", 1) != statement_iri(s, p, o, "a", 2)
    assert statement_iri(s, p, o, "a", 1) == statement_iri(s, p, o, "a", 1)
    assert " " not in str(article_iri("甘肃 省 报道"))


def test_no_blank_nodes(graph):
    assert len(graph) > 0
    for triple in graph:
        assert not any(isinstance(t, BNode) for t in triple), triple


def _raw_of(graph, exs):
    return {article_iri(ex.article.id): ex.article.raw for ex in exs}


@pytest.mark.parametrize("cls", [KG.Mention, NIF.Sentence])
def test_nif_offsets_slice_raw_to_anchor(graph, exs, cls):
    raws = _raw_of(graph, exs)
    nodes = list(graph.subjects(RDF.type, cls))
    assert nodes
    for n in nodes:
        raw = raws[graph.value(n, NIF.referenceContext)]
        begin, end = int(graph.value(n, NIF.beginIndex)), int(graph.value(n, NIF.endIndex))
        assert raw[begin:end] == str(graph.value(n, NIF.anchorOf)), n


def test_traditional_mentions_anchor_in_traditional(graph):
    anchors = {str(graph.value(n, NIF.anchorOf)) for n in graph.subjects(RDF.type, KG.Mention)}
    assert "省委組織部" in anchors          # as written, though labelled in Simplified


def test_mentions_denote_typed_entities(graph):
    for mention in graph.subjects(RDF.type, KG.Mention):
        target = graph.value(mention, KG.denotes)
        assert target is not None and graph.value(target, RDF.type) is not None


def test_every_relation_is_reified_with_evidence(graph):
    rel_preds = {KG[p] for p in RELATION_TYPES}
    rel_triples = [(s, p, o) for s, p, o in graph if p in rel_preds]
    assert {p for _, p, _ in rel_triples} >= {KG.partOf, KG.locatedIn, KG.issued, KG.implements, KG.appliesIn}
    for s, p, o in rel_triples:
        statements = [st for st in graph.subjects(RDF.subject, s)
                      if graph.value(st, RDF.predicate) == p and graph.value(st, RDF.object) == o]
        assert statements, (s, p, o)
        for st in statements:
            assert (st, RDF.type, RDF.Statement) in graph
            assert graph.value(st, KG.pattern) is not None
            assert graph.value(st, PROV.wasDerivedFrom) is not None
        assert any(graph.value(st, KG.evidence) is not None for st in statements), (s, p, o)


def test_evidence_points_at_a_sentence_node(graph):
    for st in graph.subjects(RDF.type, RDF.Statement):
        ev = graph.value(st, KG.evidence)
        if ev is not None:
            assert (ev, RDF.type, NIF.Sentence) in graph


def test_labels_are_simplified_chinese_literals(graph):
    from rdflib.namespace import RDFS
    labels = {str(o) for s, o in graph.subject_objects(RDFS.label) if isinstance(o, Literal) and o.language == "zh"}
    assert "甘肃省委组织部" in labels
    assert "甘肅省委組織部" not in labels


def test_turtle_identical_whatever_the_article_order():
    a = extractions(("gansu", "ningxia", "sichuan", "xiji"))
    b = extractions(("xiji", "sichuan", "gansu", "ningxia"))
    assert turtle(build_graph(a, merge(a))) == turtle(build_graph(b, merge(b)))


def test_build_writes_identical_turtle_twice(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for k, raw in RAW.items():
        (src / f"{k}.txt").write_text(raw, encoding="utf-8")
    files = sorted(src.iterdir())
    build(files, tmp_path / "out1", html=False)
    build(files[::-1], tmp_path / "out2", html=False)
    one, two = (tmp_path / "out1" / "graph.ttl").read_bytes(), (tmp_path / "out2" / "graph.ttl").read_bytes()
    assert one == two and len(one) > 1000


SAME_NAME = {
    "kaifeng": "河南开封：抓党建促脱贫\n鼓楼区选派第一书记。\n",
    "fuzhou": "福建福州：抓党建促脱贫\n鼓楼区选派第一书记。\n",
}


def test_same_name_different_regions_stay_apart():
    """鼓楼区 of 开封 and of 福州 are two nodes, labelled with their parents, each with its code."""
    exs = [extract_article(read_raw(raw, article_id=k)) for k, raw in SAME_NAME.items()]
    regions = {e.label: e for e in merge(exs).values() if e.type == "Region" and "鼓楼区" in e.label}
    assert {(lab, e.attrs.get("code")) for lab, e in regions.items()} == {
        ("开封市鼓楼区", "410204"), ("福州市鼓楼区", "350102")}
    assert all("鼓楼区" in e.aliases for e in regions.values())


def test_derived_relations_still_name_pattern_and_article():
    (ex,) = extractions(("xiji",))
    g = build_graph([ex], merge([ex]))
    for st in g.subjects(RDF.type, RDF.Statement):
        assert g.value(st, KG.pattern) is not None
        assert g.value(st, PROV.wasDerivedFrom) == article_iri("xiji")


def test_every_relation_has_evidence_in_a_single_article():
    """固原市 partOf 宁夏, derived from 西吉县 alone, is evidenced where 西吉县 is named."""
    (ex,) = extractions(("xiji",))
    g = build_graph([ex], merge([ex]))
    for st in g.subjects(RDF.type, RDF.Statement):
        assert g.value(st, KG.evidence) is not None, g.value(st, KG.pattern)
