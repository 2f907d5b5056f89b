"""Region mentions: gazetteer matches resolved in context, and deictic words (全省 → home province)."""
from __future__ import annotations

import pytest

from helpers import context, make_article
from kg.extract import regions
from kg.extract.home import build_context


def region_pairs(body: str, title: str | None) -> list[tuple[str, str]]:
    ctx = context(body, title)
    body_start = len(title) + 1 if title else 0
    return [(m.text, m.label) for m in regions.find(ctx) if m.start >= body_start]


HOME = [
    ("甘肃：抓党建促脱贫攻坚", "甘肃省"),
    ("甘肃定西市：组织振兴", "定西市"),
    ("甘肃定西市安定区：抓党建促脱贫", "安定区"),
    ("广西：党建引领脱贫攻坚", "广西壮族自治区"),
    ("新疆和田地区：驻村工作", "和田地区"),
    ("四川凉山州：党建扶贫", "凉山彝族自治州"),
    ("河南兰考县：抓党建促脱贫", "兰考县"),
]


@pytest.mark.parametrize("title, home", HOME)
def test_home_region_from_title(title, home):
    ctx = context("扎实推进各项工作。", title)
    assert ctx.home is not None and ctx.home.name == home


def test_home_region_from_byline_then_body():
    art = make_article("扎实推进各项工作。", "抓党建促脱贫攻坚的实践", author="固原市委组织部")
    assert build_context(art).home.name == "固原市"
    ctx = context("会宁县选派干部。会宁县组织培训。定西市统筹。", "抓党建促脱贫攻坚的实践")
    assert ctx.home.name == "会宁县"


def test_home_chain_runs_up_to_the_province():
    ctx = context("扎实推进。", "甘肃定西市安定区：抓党建促脱贫")
    assert [d.name for d in ctx.home_chain] == ["安定区", "定西市", "甘肃省"]


DEICTICS = [
    ("甘肃：抓党建促脱贫攻坚", "全省选派干部。", ("全省", "甘肃省")),
    ("甘肃：抓党建促脱贫攻坚", "我省扎实推进。", ("我省", "甘肃省")),
    ("甘肃定西市：组织振兴", "全市选派干部，全省第一。", ("全市", "定西市")),
    ("甘肃定西市：组织振兴", "全市选派干部，全省第一。", ("全省", "甘肃省")),
    ("甘肃定西市安定区：抓党建促脱贫", "全区选派干部。", ("全区", "安定区")),
    ("广西：党建引领脱贫攻坚", "全区选派干部。", ("全区", "广西壮族自治区")),     # 全区 = autonomous region
    ("新疆和田地区：驻村工作", "全区选派干部。", ("全区", "新疆维吾尔自治区")),
    ("四川凉山州：党建扶贫", "全州选派干部。", ("全州", "凉山彝族自治州")),
    ("河南兰考县：抓党建促脱贫", "全县上下一心。", ("全县", "兰考县")),
    ("河南兰考县：抓党建促脱贫", "全县各级党组织行动起来。", ("全县", "兰考县")),
]


@pytest.mark.parametrize("title, body, pair", DEICTICS)
def test_deictic(title, body, pair):
    assert pair in region_pairs(body, title)


@pytest.mark.parametrize("title, body, word", [
    (None, "全省选派干部。", "全省"),                         # no home region: nothing to point to
    ("甘肃：抓党建促脱贫攻坚", "全县选派干部。", "全县"),     # a province article has no home county
])
def test_deictic_without_referent(title, body, word):
    assert word not in [s for s, _ in region_pairs(body, title)]


GAZETTEER = [
    ("陕西：抓党建促脱贫", "延安、榆林两市扎实推进。", [("延安", "延安市"), ("榆林", "榆林市")]),
    ("陕西：抓党建促脱贫", "宝鸡市眉县实施工程。", [("宝鸡市", "宝鸡市"), ("眉县", "眉县")]),
    (None, "甘肃省定西市渭源县扎实推进。", [("甘肃省", "甘肃省"), ("定西市", "定西市"), ("渭源县", "渭源县")]),
    (None, "六盘山区贫困县较多。", [("六盘山区", "六盘山片区")]),
    ("四川：党建扶贫", "凉山州昭觉县选派干部。", [("凉山州", "凉山彝族自治州"), ("昭觉县", "昭觉县")]),
]


@pytest.mark.parametrize("title, body, expected", GAZETTEER)
def test_gazetteer_regions(title, body, expected):
    assert region_pairs(body, title) == expected


def test_region_attrs_carry_code_and_level():
    ctx = context("凉山州昭觉县选派干部。", "四川：党建扶贫")
    by_label = {m.label: m for m in regions.find(ctx)}
    assert by_label["昭觉县"].attrs == {"code": "513431", "level": "county"}
    assert by_label["凉山彝族自治州"].attrs["level"] == "prefecture"
    assert by_label["四川省"].attrs == {"code": "510000", "level": "province"}


@pytest.mark.parametrize("title, body, code", [
    # a county name shared by several provinces is resolved in the light of the home chain
    ("河南开封：抓党建促脱贫", "鼓楼区选派干部。", "410204"),
    ("福建福州：抓党建促脱贫", "鼓楼区选派干部。", "350102"),
    ("甘肃：抓党建促脱贫", "城关区选派干部。", "620102"),
])
def test_ambiguous_name_resolved_by_home(title, body, code):
    ctx = context(body, title)
    assert [m.attrs["code"] for m in regions.find(ctx) if m.text.endswith("区")] == [code]


def test_province_abbreviations_before_a_border_word():
    from helpers import context as _context
    from kg.extract.regions import border_abbreviations
    ctx = _context("该村地处湘鄂交界，山高路远。", "某县抓党建促脱贫")
    assert [(m.text, m.label) for m in border_abbreviations(ctx)] == [("湘", "湖南省"), ("鄂", "湖北省")]
    ctx = _context("该村地处两县交界，山高路远。", "某县抓党建促脱贫")
    assert border_abbreviations(ctx) == []
