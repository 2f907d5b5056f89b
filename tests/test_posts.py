"""Posts (memberOf, Person → Body, with a role) in every output, on the hand-made build of
tests/posts_sample.py: the RDF (statement with kg:role, one kg:Post/org:Post per body, role and
person, with evidence), SHACL, exports, report, analysis and the view."""
from __future__ import annotations

import csv
import io
from types import SimpleNamespace

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from kg.graph.iri import entity_iri, post_iri, role_iri, sentence_iri, statement_iri
from kg.model import Relation
from kg.graph.rdf import build_graph, turtle
from kg.vocab import KG, ORG, bind_prefixes
from posts_sample import post_entities, post_extractions, post_graph

BUREAU = entity_iri("Body", "渭源县委组织部")
COMMITTEE = entity_iri("Body", "渭源县委")
WANG, LI, CHEN, LIU = (entity_iri("Person", n) for n in ("王建国", "李红梅", "陈静", "刘洋"))
P1, P2 = URIRef("https://w3id.org/kgpa/id/article/p1"), URIRef("https://w3id.org/kgpa/id/article/p2")


@pytest.fixture(scope="module")
def g() -> Graph:
    graph = bind_prefixes(Graph())
    graph.parse(data=turtle(post_graph()).decode("utf-8"), format="turtle")
    return graph


def test_member_of_triples_and_statements_with_role(g):
    assert (WANG, KG.memberOf, BUREAU) in g and (WANG, KG.memberOf, COMMITTEE) in g
    st = statement_iri(WANG, KG.memberOf, BUREAU, "p1", 0, "部长")
    assert (st, RDF.type, RDF.Statement) in g
    assert g.value(st, KG.role) == Literal("部长", lang="zh")
    assert g.value(st, KG.evidence) == sentence_iri("p1", 0)
    assert g.value(st, PROV.wasDerivedFrom) == P1
    assert g.value(st, KG.pattern) == Literal("sample-post")
    # every memberOf statement names its role; other relations have none
    for s in g.subjects(RDF.type, RDF.Statement):
        assert (g.value(s, KG.role) is not None) == (g.value(s, RDF.predicate) == KG.memberOf)


def test_one_post_per_body_role_and_person_with_every_evidence(g):
    posts = set(g.subjects(RDF.type, KG.Post))
    assert posts == set(g.subjects(RDF.type, ORG.Post))
    assert len(posts) == 6                    # 王建国's 部长 is one post, stated twice
    wang = post_iri(BUREAU, "部长", WANG)
    assert wang in posts
    assert g.value(wang, ORG.postIn) == BUREAU and g.value(wang, ORG.heldBy) == WANG
    assert g.value(g.value(wang, ORG.role), RDFS.label) == Literal("部长", lang="zh")
    assert set(g.objects(wang, KG.evidence)) == {sentence_iri("p1", 0), sentence_iri("p2", 1)}
    assert set(g.objects(wang, PROV.wasDerivedFrom)) == {P1, P2}
    # two people in the same role: two posts, one role node
    li, chen = post_iri(BUREAU, "副部长", LI), post_iri(BUREAU, "副部长", CHEN)
    assert {li, chen} <= posts and li != chen
    assert g.value(li, ORG.role) == g.value(chen, ORG.role) == role_iri("副部长")
    assert (role_iri("副部长"), RDF.type, ORG.Role) in g
    assert len(set(g.subjects(RDF.type, ORG.Role))) == 5
    # read off the byline: the byline is the evidence
    liu = post_iri(BUREAU, "干部", LIU)
    assert g.value(liu, KG.evidence) == URIRef(f"{P2}/byline")


def test_two_roles_in_one_body_in_one_sentence_are_two_statements_and_posts():
    exs = post_extractions()
    ex = exs[0]
    ex.relations.append(Relation(("Person", "王建国"), "memberOf", ("Body", "渭源县委组织部"), "p1", 0,
                                 "sample-post", role="党支部书记"))
    graph = build_graph(exs, post_entities(exs))
    roles = {str(r) for st in graph.subjects(RDF.type, RDF.Statement)
             if graph.value(st, RDF.subject) == WANG and graph.value(st, RDF.object) == BUREAU
             and graph.value(st, PROV.wasDerivedFrom) == P1 for r in graph.objects(st, KG.role)}
    assert roles == {"部长", "党支部书记"}
    assert len(set(graph.subjects(RDF.type, KG.Post))) == 7


def test_member_of_without_role_makes_no_post():
    exs = post_extractions()
    exs[0].relations = [Relation(("Person", "李红梅"), "memberOf", ("Body", "渭源县委组织部"), "p1", 1, "x")]
    exs[1].relations = []
    graph = build_graph(exs, post_entities(exs))
    assert (LI, KG.memberOf, BUREAU) in graph
    assert not set(graph.subjects(RDF.type, KG.Post)) and not list(graph.subject_objects(KG.role))


def test_turtle_identical_whatever_the_article_order():
    exs = post_extractions()
    a = turtle(build_graph(exs, post_entities(exs)))
    exs.reverse()
    assert turtle(build_graph(exs, post_entities(exs))) == a
    assert b"org:Post" in a and "渭源县委组织部".encode() in a


def test_graph_with_posts_conforms_and_broken_posts_are_named(g):
    from kg.outputs.validate import validate

    assert validate(g).conforms
    broken = Graph() + g
    wang, li = post_iri(BUREAU, "部长", WANG), post_iri(BUREAU, "副部长", LI)
    broken.remove((wang, ORG.heldBy, None))
    broken.remove((li, KG.evidence, None))
    broken.add((li, ORG.postIn, COMMITTEE))
    broken.remove((role_iri("主任"), RDFS.label, None))
    broken.add((LI, KG.memberOf, entity_iri("Region", "渭源县", "621123")))
    v = validate(broken)
    got = {(x.node, x.message) for x in v.violations}
    short = lambda n: "kgr:" + str(n)[len("https://w3id.org/kgpa/id/"):]
    assert (short(wang), "a post is held by exactly one person (org:heldBy)") in got
    assert (short(li), "a post has its evidence sentence (kg:evidence)") in got
    assert (short(li), "a post is in exactly one body (org:postIn)") in got
    assert (short(LI), "a person is a member of bodies (kg:memberOf)") in got
    assert any(m.startswith("a post has exactly one role") for _, m in got)


def test_posts_in_the_default_graph_every_triple_once(g):
    from kg.outputs.export import to_dataset

    ds = to_dataset(g)
    default = ds.default_graph
    wang = post_iri(BUREAU, "部长", WANG)
    assert (wang, ORG.heldBy, WANG) in default and (wang, KG.evidence, sentence_iri("p2", 1)) in default
    assert (role_iri("部长"), RDFS.label, Literal("部长", lang="zh")) in default
    st = statement_iri(WANG, KG.memberOf, BUREAU, "p1", 0, "部长")
    assert (st, KG.role, Literal("部长", lang="zh")) in ds.graph(P1)
    quads = list(ds.quads((None, None, None, None)))
    assert len(quads) == len(g) == len({q[:3] for q in quads})


def test_csv_and_graphml_carry_roles(g, tmp_path):
    import networkx as nx

    from kg.outputs.export import csv_tables, export

    rows = list(csv.DictReader(io.StringIO(csv_tables(g)["relations.csv"].decode("utf-8"))))
    posts = sorted((r["subject_label"], r["role"], r["object_label"], r["article"])
                   for r in rows if r["relation"] == "memberOf")
    assert posts[:3] == [("刘洋", "干部", "渭源县委组织部", "p2.txt"), ("李红梅", "副部长", "渭源县委组织部", "p1.txt"),
                         ("王建国", "常委", "渭源县委", "p1.txt")]
    assert len(posts) == 7
    assert all(r["role"] == "" for r in rows if r["relation"] != "memberOf")
    export(g, "graphml", tmp_path / "g.graphml")
    G = nx.read_graphml(tmp_path / "g.graphml")
    roles = {(u, v): d.get("role") for u, v, d in G.edges(data=True) if d["relation"] == "memberOf"}
    assert roles[(str(WANG), str(BUREAU))] == "部长" and roles[(str(WANG), str(COMMITTEE))] == "常委"
    assert len(roles) == 6 and all(roles.values())
    assert not any(d.get("role") for _, _, d in G.edges(data=True) if d["relation"] != "memberOf")
    assert not any(d["type"] == "Post" for _, d in G.nodes(data=True))


def test_report_counts_member_of():
    from kg.outputs.report import build_report

    exs = post_extractions()
    text = build_report(SimpleNamespace(extractions=exs, entities=post_entities(exs), skipped=[]))
    assert "| memberOf | 7 | 6 |" in text


def test_analysis_bodies_with_most_office_holders():
    from kg.analysis.analyze import analyze
    from kg.analysis.markdown import render_markdown

    result = analyze(post_graph())
    rows = [(r["label"], r["regions"], r["holders"], [(p["label"], p["roles"]) for p in r["people"]], r["articles"])
            for r in result["posts"]]
    assert rows == [
        ("渭源县委组织部", ["渭源县"], 4, [("刘洋", ["干部"]), ("李红梅", ["副部长"]), ("王建国", ["部长"]),
                                      ("陈静", ["副部长"])], ["p1", "p2"]),
        ("定西市扶贫办", ["定西市"], 1, [("赵志强", ["主任"])], ["p2"]),
        ("渭源县委", ["渭源县"], 1, [("王建国", ["常委"])], ["p1"]),
    ]
    md = render_markdown(result)
    assert "## Bodies with the most named office-holders" in md
    assert "| 1 | 渭源县委组织部 | 渭源县 | 4 | 刘洋 (干部), 李红梅 (副部长), 王建国 (部长), 陈静 (副部长) | `p1`, `p2` |" in md


def test_view_draws_posts_as_member_of_edges_labelled_with_the_role(g):
    from kg.outputs.view import build_view

    nodes, edges, _ = build_view(g, 100)
    assert not any(n["type"] == "Post" for n in nodes)
    assert not any("/post/" in n["id"] or "/role/" in n["id"] for n in nodes)
    posts = {(e["from"], e["to"]): e for e in edges if e.get("roles")}
    assert len(posts) == 6
    wang = posts[(str(WANG), str(BUREAU))]
    assert wang["label"] == "部长" and wang["roles"] == ["部长"] and len(wang["evidence"]) == 2
    assert posts[(str(LI), str(BUREAU))]["label"] == "副部长"
    persons = {n["id"]: n for n in nodes if n["type"] == "Person"}
    assert persons[str(WANG)]["provinces"] == ["https://w3id.org/kgpa/id/region/620000"]
