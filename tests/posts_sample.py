"""A small hand-made build with posts (memberOf with a role), for the tests of every output.

Invented sentences in the genre; two articles. Posts stated:

- 王建国: 常委 of 渭源县委 and 部长 of 渭源县委组织部 (one sentence), 部长 again in the second article;
- 李红梅 and 陈静: both 副部长 of 渭源县委组织部 (one role, two posts);
- 赵志强: 主任 of 定西市扶贫办;
- 刘洋: 干部 of 渭源县委组织部, read off the byline of the second article (sentence -1).

So 渭源县委组织部 has four named office-holders, 渭源县委 and 定西市扶贫办 one each.
"""
from __future__ import annotations

from kg.model import Article, Entity, Extraction, Mention, Relation, Sentence
from kg.graph.rdf import build_graph, turtle

REGIONS = {"甘肃省": ("620000", "province", None), "定西市": ("621100", "prefecture", "甘肃省"),
           "渭源县": ("621123", "county", "定西市")}
BODIES = {"渭源县委": "渭源县", "渭源县委组织部": "渭源县", "定西市扶贫办": "定西市"}
PERSONS = ("王建国", "李红梅", "陈静", "赵志强", "刘洋")

ARTICLES = {
    "p1": dict(title="渭源县召开组织工作会议", author=None, sentences=[
        "渭源县委常委、组织部部长王建国主持会议。",
        "组织部副部长李红梅介绍了驻村帮扶情况。",
    ], posts=[("王建国", "渭源县委", "常委", 0), ("王建国", "渭源县委组织部", "部长", 0),
              ("李红梅", "渭源县委组织部", "副部长", 1)]),
    "p2": dict(title="定西市扶贫办到渭源县调研", author="渭源县委组织部 刘洋", sentences=[
        "定西市扶贫办主任赵志强到渭源县调研。",
        "渭源县委组织部部长王建国、副部长陈静陪同。",
    ], posts=[("赵志强", "定西市扶贫办", "主任", 0), ("王建国", "渭源县委组织部", "部长", 1),
              ("陈静", "渭源县委组织部", "副部长", 1), ("刘洋", "渭源县委组织部", "干部", -1)]),
}


def _type(label: str) -> str:
    return "Region" if label in REGIONS else "Body" if label in BODIES else "Person"


def _article(aid: str, spec: dict) -> tuple[Article, list[Sentence]]:
    head = spec["title"] + "\n"
    text = head + "\n".join(spec["sentences"]) + "\n"
    art = Article(aid, f"{aid}.txt", raw=text, text=text, offsets=list(range(len(text))),
                  title=spec["title"], author=spec["author"])
    sentences, at = [], len(head)
    for i, s in enumerate(spec["sentences"]):
        sentences.append(Sentence(aid, i, at, at + len(s), s, paragraph=i + 1))
        at += len(s) + 1
    return art, sentences


def _mentions(aid: str, sentences: list[Sentence]) -> list[Mention]:
    """Every name of the sample in a sentence, at its first place there (short names such as
    组织部 are not mentions: the sample only needs the full ones)."""
    out = []
    for s in sentences:
        for label in list(REGIONS) + list(BODIES) + list(PERSONS):
            at = s.text.find(label)
            if at >= 0:
                out.append(Mention(aid, s.index, s.start + at, s.start + at + len(label), label,
                                   _type(label), label, rule="sample"))
    return out


def _relations(aid: str, posts, mentions: list[Mention]) -> list[Relation]:
    """The posts, and where a body or region is named, its region or parent (stated by the
    sentence that names it, as the pipeline does)."""
    rels = [Relation(("Person", p), "memberOf", ("Body", b), aid, i, "sample-post", role=role)
            for p, b, role, i in posts]
    first = {}
    for m in mentions:
        first.setdefault(m.label, m.sentence)
    for body, region in BODIES.items():
        if body in first:
            rels.append(Relation(("Body", body), "locatedIn", ("Region", region), aid, first[body], "body-region"))
    for region, (_code, _level, parent) in REGIONS.items():
        if parent and region in first:
            rels.append(Relation(("Region", region), "partOf", ("Region", parent), aid, first[region],
                                 "gazetteer-parent"))
    return rels


def post_extractions() -> list[Extraction]:
    exs = []
    for aid, spec in ARTICLES.items():
        art, sentences = _article(aid, spec)
        mentions = _mentions(aid, sentences)
        ex = Extraction(art, sentences, mentions, _relations(aid, spec["posts"], mentions), [])
        for label in {m.label for m in mentions} | {p for p, *_ in spec["posts"]} | set(BODIES) | set(REGIONS):
            ex.entities[(_type(label), label)] = _entity(label)
        exs.append(ex)
    return exs


def _entity(label: str) -> Entity:
    t = _type(label)
    attrs = {"code": REGIONS[label][0], "level": REGIONS[label][1]} if t == "Region" else {}
    return Entity(t, label, attrs=attrs)


def post_entities(exs: list[Extraction]) -> dict:
    return {k: e for ex in exs for k, e in ex.entities.items()}


def post_graph():
    """The sample's graph as kg builds it (an OxGraph)."""
    exs = post_extractions()
    return build_graph(exs, post_entities(exs))


def post_turtle() -> bytes:
    return turtle(post_graph())
