"""Relations: one case (or more) for each pattern named in kg/relations.py's docstring."""
from __future__ import annotations

import pytest

from helpers import make_article
from kg.pipeline import extract_article

GANSU = "甘肃：抓党建促脱贫攻坚"
LANKAO = "河南兰考县：抓党建促脱贫"
NINGXIA = "宁夏：党建引领脱贫攻坚"


def rels(body: str, title: str | None) -> set[tuple[str, str, str, str]]:
    ex = extract_article(make_article(body, title))
    return {(r.subject[1], r.predicate, r.object[1], r.pattern) for r in ex.relations}


def triples(body: str, title: str | None) -> set[tuple[str, str, str]]:
    return {(s, p, o) for s, p, o, _ in rels(body, title)}


# (title, body, (subject, predicate, object, pattern)); paragraphs split with \n
RELATIONS = [
    # partOf
    (None, "凉山州昭觉县选派干部。", ("昭觉县", "partOf", "凉山彝族自治州", "gazetteer-parent")),
    (None, "凉山州昭觉县选派干部。", ("凉山彝族自治州", "partOf", "四川省", "gazetteer-parent")),
    # locatedIn, subOrganizationOf
    (GANSU, "省委组织部印发通知。", ("甘肃省委组织部", "locatedIn", "甘肃省", "body-region")),
    (LANKAO, "县委组织部选派干部。", ("兰考县委组织部", "locatedIn", "兰考县", "body-region")),
    (GANSU, "省委高度重视。省委组织部印发通知。", ("甘肃省委组织部", "subOrganizationOf", "甘肃省委", "body-parent")),
    # issued
    (GANSU, "省委组织部印发《关于加强驻村帮扶工作的通知》。",
     ("甘肃省委组织部", "issued", "关于加强驻村帮扶工作的通知", "body+issue-verb+document")),
    (GANSU, "近年来，甘肃省委高度重视脱贫攻坚。\n先后下发《关于选派第一书记的通知》。",
     ("甘肃省委", "issued", "关于选派第一书记的通知", "lead-body+issue-verb+document")),
    # implements
    (LANKAO, "兰考县委“四议两公开”工作法深入人心。", ("兰考县委", "implements", "四议两公开", "body+initiative")),   # the national name
    ("四川凉山州：党建扶贫", "凉山州委“彝乡头雁”工程成效明显。",
     ("凉山彝族自治州委", "implements", "彝乡头雁工程", "body+initiative")),
    (LANKAO, "县委组织部实施“头雁培育”工程。", ("兰考县委组织部", "implements", "头雁培育工程", "body+verb+initiative")),
    (GANSU, "近年来，甘肃省委高度重视脱贫攻坚。\n深入实施陇原人才行动计划。",
     ("甘肃省委", "implements", "陇原人才行动计划", "lead-body")),
    # appliesIn
    (NINGXIA, "实施“红色引擎”工程。", ("红色引擎工程", "appliesIn", "宁夏回族自治区", "home-region")),
    (NINGXIA, "固原市实施“领头雁”培养工程。", ("领头雁培养工程", "appliesIn", "固原市", "region-in-sentence")),
    (NINGXIA, "推行固原市“两个带头人”工程。", ("固原市两个带头人工程", "appliesIn", "固原市", "region-in-name")),
    # targets
    (GANSU, "实施致富带头人培育工程。", ("致富带头人培育工程", "targets", "致富带头人", "group-in-name")),
    (GANSU, "实施“春蕾”助学计划帮助留守儿童。", ("春蕾助学计划", "targets", "留守儿童", "initiative+verb+group")),
    # pairedWith
    (NINGXIA, "闽宁协作深入推进。", ("福建省", "pairedWith", "宁夏回族自治区", "abbreviation-pair")),
    (NINGXIA, "福建省对口帮扶宁夏。", ("福建省", "pairedWith", "宁夏回族自治区", "partner+pairing-term")),
    (GANSU, "天津市向甘肃派出挂职干部。", ("天津市", "pairedWith", "甘肃省", "X向Y选派")),
    (GANSU, "兰州市与天津市结对帮扶。", ("兰州市", "pairedWith", "天津市", "X与Y结对")),
    # partOf a named area
    (NINGXIA, "会宁县位于六盘山片区。", ("会宁县", "partOf", "六盘山片区", "located-in-area")),
    # targets in the clause after the initiative's
    (GANSU, "实施“雁归”工程，为贫困村培养致富带头人。",
     ("雁归工程", "targets", "致富带头人", "initiative+verb+group")),
]


@pytest.mark.parametrize("title, body, rel", RELATIONS)
def test_relation(title, body, rel):
    assert rel in rels(body, title)


NO_RELATIONS = [
    # drawing on a programme is not implementing it (gold NOTES 9)
    (GANSU, "近年来，甘肃省委高度重视脱贫攻坚。\n借助东西部扶贫协作，引进企业。",
     ("甘肃省委", "implements", "东西部扶贫协作")),
    # a body followed by a meeting word does not lead the article
    (GANSU, "甘肃省委十三届五次全会召开。\n深入实施陇原人才行动计划。",
     ("甘肃省委", "implements", "陇原人才行动计划")),
    # a body that is not the subject of the sentence's opening clause
    (GANSU, "会议传达了省委组织部的精神。\n深入实施陇原人才行动计划。",
     ("甘肃省委组织部", "implements", "陇原人才行动计划")),
    # a region inside a body's name is not where an initiative applies
    (NINGXIA, "固原市委组织部实施“领头雁”培养工程。", ("领头雁培养工程", "appliesIn", "固原市")),
    # no issuing verb: citing a document is not issuing it
    (GANSU, "省委组织部认真学习《中国共产党农村基层组织工作条例》。",
     ("甘肃省委组织部", "issued", "中国共产党农村基层组织工作条例")),
]


@pytest.mark.parametrize("title, body, triple", NO_RELATIONS)
def test_no_relation(title, body, triple):
    assert triple not in triples(body, title)


def test_relations_are_unique_and_typed():
    ex = extract_article(make_article("省委组织部印发《关于做好驻村工作的通知》。省委组织部实施“强基”工程。", GANSU))
    keys = [(r.subject, r.predicate, r.object, r.sentence) for r in ex.relations]
    assert len(keys) == len(set(keys))
    for r in ex.relations:
        assert r.subject in ex.entities and r.object in ex.entities
        assert r.subject != r.object
        assert -1 <= r.sentence < len(ex.sentences)


@pytest.fixture(scope="module")
def all_relations():
    out = []
    for title, body, _ in RELATIONS:
        out += extract_article(make_article(body, title)).relations
    return out


@pytest.mark.parametrize("predicate, subject_types, object_types", [
    ("partOf", {"Region"}, {"Region"}),
    ("locatedIn", {"Body"}, {"Region"}),
    ("subOrganizationOf", {"Body"}, {"Body"}),
    ("issued", {"Body"}, {"Document"}),
    ("implements", {"Body"}, {"Programme", "Measure"}),
    ("appliesIn", {"Programme", "Measure"}, {"Region"}),
    ("targets", {"Programme", "Measure"}, {"Group"}),
    ("pairedWith", {"Region", "Body"}, {"Region", "Body"}),
])
def test_relation_domains_and_ranges(all_relations, predicate, subject_types, object_types):
    rs = [r for r in all_relations if r.predicate == predicate]
    assert rs
    for r in rs:
        assert r.subject[0] in subject_types and r.object[0] in object_types, r
