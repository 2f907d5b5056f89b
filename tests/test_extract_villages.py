"""Villages: named villages are Regions of level village, partOf the place written before them."""
from __future__ import annotations

from helpers import context
from kg.extract import regions
from kg.graph.iri import entity_iri
from kg.pipeline import extract_article
from helpers import make_article


def villages(body: str, title: str | None = None) -> list[tuple[str, str, str]]:
    """(surface, name, parent name) of every village mention in the body."""
    ctx = context(body, title)
    parents = {v.name: v.parent.name if v.parent else "" for v in ctx.villages}
    return [(m.text, m.attrs["name"], parents[m.attrs["name"]])
            for m in regions.find(ctx) if m.attrs.get("level") == "village"]


def test_village_inside_township():
    found = villages("他被派往建始县高坪镇石榴坪村任第一书记已满两年。")
    assert found == [("石榴坪村", "石榴坪村", "高坪镇")]


def test_village_with_county_name_before_it_is_part_of_the_county():
    assert villages("建始县木瓜沟村今年通了公路。") == [("木瓜沟村", "木瓜沟村", "建始县")]


def test_village_containing_a_city_name_is_no_city():
    ctx = context("工作队来到高坪镇长武村，帮助群众搭建蔬菜大棚。", "建始县：驻村帮扶见成效")
    found = [(m.text, m.label) for m in regions.find(ctx)]
    assert not any(label in ("长武县", "咸阳市", "陕西省") for _, label in found)
    assert [v.name for v in ctx.villages] == ["长武村"]


def test_villager_group_is_not_a_region():
    assert villages("高坪镇石榴坪村小组组长带头修路，桃园村民小组也一起参与。") == []


def test_common_words_ending_in_village_are_not_villages():
    body = ("全县有贫困村12个，深度贫困村3个。工作队员们走村串户，推进美丽乡村和新农村建设，"
            "着力增强村级组织凝聚力，配齐村“两委”班子，整治“空心村”。")
    assert villages(body, "建始县：抓党建促脱贫") == []


def test_village_deictic_resolves_to_the_village_named_before():
    found = villages("建始县木瓜沟村地处山区。全村共有农户320户。", "建始县：驻村帮扶")
    assert ("全村", "木瓜沟村", "建始县") in found


def test_village_deictic_without_a_village_gives_nothing():
    assert villages("全村共有农户320户。", "建始县：驻村帮扶") == []


def test_figures_about_a_village_take_the_village():
    art = make_article("建始县木瓜沟村有贫困户86户。", "建始县：驻村帮扶")
    ex = extract_article(art)
    inds = [i for i in ex.indicators if i.value == 86]
    assert inds and ex.entities[inds[0].region].label == "木瓜沟村"


def test_namesake_villages_in_two_counties_get_two_iris_and_plain_labels():
    a = extract_article(make_article("建始县木瓜沟村修通了公路。", "建始县：驻村帮扶", article_id="a"))
    b = extract_article(make_article("镇安县木瓜沟村修通了公路。", "镇安县：驻村帮扶", article_id="b"))
    ea = [e for e in a.entities.values() if e.attrs.get("level") == "village"]
    eb = [e for e in b.entities.values() if e.attrs.get("level") == "village"]
    assert [e.label for e in ea] == [e.label for e in eb] == ["木瓜沟村"]
    iris = {entity_iri("Region", e.key[1], e.attrs.get("code", "")) for e in ea + eb}
    assert len(iris) == 2


def test_village_is_part_of_its_township():
    ex = extract_article(make_article("高坪镇石榴坪村发展茶叶产业。", "建始县：产业扶贫"))
    parts = {(r.subject[1].split("@")[0], r.object[1]) for r in ex.relations if r.predicate == "partOf"}
    assert ("石榴坪村", "建始县高坪镇") in parts and ("建始县高坪镇", "建始县") in parts


def test_a_village_in_the_title_is_the_home_region():
    ctx = context("全村共有农户320户。全县脱贫攻坚取得成效。", "建始县木瓜沟村第一书记：以村为家")
    assert ctx.home_village is not None and ctx.home_village.name == "木瓜沟村"
    assert ctx.home.name == "建始县"          # 全县 still refers to the county
    found = villages("全村共有农户320户。", "建始县木瓜沟村第一书记：以村为家")
    assert ("全村", "木瓜沟村", "建始县") in found
