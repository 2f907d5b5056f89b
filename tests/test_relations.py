"""Relations: one case (or more) for each pattern named in kg/extract/relations.py's docstring."""
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


# ---- rules of issue 10 (invented sentences)
SHAANXI_CITY = "延安市：组织力量助推脱贫"


def test_provincial_body_named_first_is_not_the_lead_of_a_city_article():
    body = ("近日，省委组织部召开全省组织系统会议。\n全市组织部门要深入实施“红枫”人才计划。"
            "\n扎实开展“山丹”培训行动。")
    got = triples(body, SHAANXI_CITY)
    assert not any(p == "implements" and s == "陕西省委组织部" for s, p, o in got)


def test_collective_subject_is_not_the_leads():
    body = "近年来，延安市委高度重视脱贫攻坚。\n各县区深入实施“山花”工程。\n扎实推进“沃土”计划。"
    got = triples(body, SHAANXI_CITY)
    assert ("延安市委", "implements", "沃土计划") in got
    assert ("延安市委", "implements", "山花工程") not in got


def test_byline_unit_is_not_the_lead():
    body = "来源：某某党建网 作者：延安市委组织部 张某\n村党支部探索“支部+合作社+贫困户”模式。"
    ex = extract_article(make_article(body, SHAANXI_CITY))
    assert ex.lead_body is None


def test_body_before_a_session_word_names_a_meeting_not_an_actor():
    body = "全市组织部门要围绕市委三届六次全会确定的目标，集中力量实施“1+5”帮扶工程。"
    got = triples(body, SHAANXI_CITY)
    assert not any(p == "implements" and s == "延安市委" for s, p, o in got)


def test_enumerated_initiative_takes_only_its_own_region():
    body = "充分运用陕西省委“百村”工程、宝鸡市对口支援、江苏东西部扶贫协作平台，认真谋划帮扶项目。"
    got = triples(body, "陕西宜川县：抓党建促脱贫")
    assert ("百村工程", "appliesIn", "宝鸡市") not in got
    assert ("百村工程", "appliesIn", "江苏省") not in got
    assert ("对口支援", "appliesIn", "宝鸡市") not in got
    assert ("宝鸡市", "pairedWith", "宜川县") in got


def test_region_in_the_initiatives_own_clause_applies():
    got = triples("榆林市、延安市开展“组团式”帮扶。", "陕西：党建促脱贫")
    assert ("组团式帮扶", "appliesIn", "榆林市") in got or ("组团式", "appliesIn", "榆林市") in got


def test_a_province_is_not_part_of_an_area_but_its_county_is():
    got = triples("湖南省凤凰县位于武陵山连片特困地区内。", "湖南凤凰县：党建扶贫")
    assert ("凤凰县", "partOf", "武陵山片区") in got
    assert ("湖南省", "partOf", "武陵山片区") not in got


def test_provincial_level_word_places_a_plan_in_the_home_province():
    got = triples("主动对接省级“银发”人才帮扶计划。", "四川巴中市：党建扶贫")
    assert any(s.endswith("人才帮扶计划") and p == "appliesIn" and o == "四川省" for s, p, o in got)


def test_generic_kind_in_a_name_is_no_target():
    got = triples("深入实施紧缺人才引进计划，落实村干部报酬增长机制。", GANSU)
    assert not any(p == "targets" and o == "人才" for s, p, o in got)
    assert any(p == "targets" and o == "村干部" for s, p, o in got)


def test_parts_of_a_model_are_partners_and_the_poor_are_targets():
    got = triples("推行“党支部+合作社+贫困户”模式。", GANSU)
    targets = {o for s, p, o in got if p == "targets"}
    assert "贫困户" in targets and "党员" not in targets and "农民专业合作社" not in targets


def test_fronted_object_clause_belongs_to_the_next_initiative():
    got = triples("推行领导蹲点调研制度，对软弱涣散基层党组织，采取“二帮一”模式。", GANSU)
    assert ("蹲点调研制度", "targets", "软弱涣散基层党组织") not in got and \
        ("领导蹲点调研制度", "targets", "软弱涣散基层党组织") not in got


def test_qualifying_region_is_not_a_sending_partner():
    got = triples("上海市宝山区累计向延安选派挂职干部12名，全市累计向上海市选派干部20名。", SHAANXI_CITY)
    assert ("上海市宝山区", "pairedWith", "延安市") in got
    assert ("上海市", "pairedWith", "延安市") not in got
    assert ("延安市", "pairedWith", "上海市") not in got       # the district pair says it already


def test_no_pairing_within_ones_own_area():
    got = triples("宝鸡市对口帮扶凤翔县。", "陕西凤翔县：党建扶贫")
    assert not any(p == "pairedWith" for s, p, o in got)


def test_unit_sending_first_secretaries_to_a_county_is_paired_with_it():
    got = triples("多年来，陕西省发展改革委共派出三轮、20名第一书记到宜川县任职。", "陕西宜川县：党建扶贫")
    assert ("陕西省发展改革委", "pairedWith", "宜川县") in got


def _pairs_of(text: str, spans: list[tuple[str, str, dict]]) -> set:
    """pairedWith of one sentence whose mentions are given as (surface, type, attrs)."""
    from kg.model import Mention, Sentence
    from kg.extract.pairings import pairings
    ms = []
    for surface, type_, attrs in spans:
        i = text.index(surface)
        ms.append(Mention("t", 0, i, i + len(surface), surface, type_, label=surface, attrs=attrs))
    out = set()
    pairings(text, Sentence("t", 0, 0, len(text), text), ms, None,
             lambda s, p, o, i, pat: out.add((s[1], p, o[1], pat)))
    return out


@pytest.mark.parametrize("text, expected", [
    ("省交通运输厅派驻石门村第一书记王某走村入户。", ("省交通运输厅", "pairedWith", "石门村", "X+send+Y")),
    ("市财政局选派驻村工作队到石门村开展帮扶。", ("市财政局", "pairedWith", "石门村", "X+send+Y")),
    ("去年起，市财政局结对帮扶石门村。", ("市财政局", "pairedWith", "石门村", "X+pairing-term+Y")),
])
def test_unit_sending_a_team_to_a_village_is_paired_with_it(text, expected):
    village = {"level": "village"}
    spans = [(expected[0], "Body", {}), ("石门村", "Region", village)]
    assert expected in _pairs_of(text, spans)


@pytest.mark.parametrize("text", [
    "市财政局为石门村拨付帮扶资金50万元。",          # a funder
    "省电力公司派出专家为石门村检修线路。",            # a service provider: no team or secretary sent
])
def test_funder_or_service_provider_is_not_paired(text):
    spans = [(text[:text.index("局") + 1] if "局" in text else "省电力公司", "Body", {}),
             ("石门村", "Region", {"level": "village"})]
    assert not any(p == "pairedWith" for _, p, _, _ in _pairs_of(text, spans))
