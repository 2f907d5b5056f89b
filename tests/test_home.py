"""The article's home region and village, photo captions, and names that hold a place name.

Sentences are invented in the genre; each case names what an earlier rule got wrong.
"""
from __future__ import annotations

import pytest

from helpers import context, make_article, read_raw
from kg.ingest.captions import is_caption
from kg.extract.home import build_context
from kg.pipeline import extract_article
from kg.ingest.read import clean_text

BODY = "近年来，某地坚持以党建引领脱贫攻坚，选派干部驻村帮扶，取得明显成效。"


def home(body: str, title: str | None = None, **kw) -> str | None:
    ctx = context(body, title, **kw)
    return ctx.home.name if ctx.home else None


# ------------------------------------------------------------------ home region

def test_county_story_from_a_city_account_gets_the_county():
    body = "贵州省遵义市湄潭县将基层党建与脱贫攻坚深度融合。湄潭县选派骨干力量驻村帮扶。"
    assert home(body, "三招并举 聚力党建促脱贫", source="“党建遵义”微信公众号") == "湄潭县"


def test_city_account_stays_home_when_the_body_names_no_place_inside_it():
    assert home(BODY, "三招并举 聚力党建促脱贫", source="“党建遵义”微信公众号") == "遵义市"
    # a body about another province's county does not take over the source's city
    other = "云南省大理州宾川县推进脱贫攻坚。宾川县选派干部驻村。"
    assert home(other, "三招并举 聚力党建促脱贫", source="遵义日报") == "遵义市"


def test_province_named_only_as_seat_of_its_bodies_is_not_the_topic():
    body = ("浙江省发展改革委选派第一书记工作队获得表彰。浙江省发展改革委党组多次到村调研。"
            "浙江省发展改革委先后派出12名第一书记到景宁县任职。景宁县地处浙西南山区，是革命老区。")
    assert home(body, "坚决打赢脱贫攻坚战") == "景宁畲族自治县"


def test_chain_qualifiers_do_not_count_for_the_topic():
    body = "江苏省徐州市睢宁县推进驻村帮扶。江苏省徐州市睢宁县选派干部。"
    assert home(body, "强化组织保障") == "睢宁县"


def test_a_province_whose_cities_are_listed_is_the_topic():
    body = "江西省组建驻村第一书记联合会。南昌市、九江市、赣州市分别设立分会。"
    assert home(body, "浇水浇在根上") == "江西省"


def test_same_named_title_region_is_resolved_by_the_body():
    body = "江西省委部署驻村工作。江西省各地行动迅速。吉安市召开动员大会，部署选派工作。"
    assert home(body, "吉安贫困村工作队全部到岗") == "吉安市"


def test_dateline_city_in_the_title_line_is_not_home():
    raw = f"新华社昆明5月3日电 题:云岭大地党旗红——云南选派能打硬仗的干部驻村\n新华社记者张某某\n{BODY}"
    a = read_raw(raw)
    assert a.title == "云岭大地党旗红——云南选派能打硬仗的干部驻村"
    assert a.source == "新华社"
    assert build_context(a).home.name == "云南省"


@pytest.mark.parametrize("title, body, expected", [
    ("某某县：支部引领", "某某县推进脱贫攻坚。", None),   # no real region anywhere
    ("湄潭县：支部引领产业发展", "湄潭县推进脱贫攻坚。遵义市委高度重视。", "湄潭县"),
    ("遵义：抓党建促脱贫", "湄潭县、凤冈县、余庆县推进脱贫攻坚。", "遵义市"),
])
def test_title_region_still_wins(title, body, expected):
    assert home(body, title) == expected


# ------------------------------------------------------------------ home village

VILLAGE_STORY = ("脱贫攻坚以来，湄潭县兴隆镇金竹村党支部立足村情，发展茶叶产业。"
                 "金竹村一跃成为全县示范村。截至目前，全村茶园面积达到2000亩。")


def test_county_headline_over_one_village_story_makes_the_village_home():
    ctx = context(VILLAGE_STORY, "湄潭县：支部引领集体经济发展")
    assert ctx.home.name == "湄潭县"
    assert ctx.home_village is not None and ctx.home_village.name == "金竹村"
    ex = extract_article(make_article(VILLAGE_STORY, "湄潭县：支部引领集体经济发展"))
    assert ex.home_region[1].startswith("金竹村")


@pytest.mark.parametrize("body", [
    "湄潭县推进脱贫攻坚，成效明显。金竹村发展茶叶产业，全村增收。",          # the lead names no village
    "脱贫攻坚以来，湄潭县金竹村、石莲村发展茶叶产业。金竹村成为示范村。",       # two villages
    "脱贫攻坚以来，湄潭县兴隆镇金竹村党支部立足村情，发展茶叶产业，成效明显。",  # named once, never again
])
def test_no_home_village_when_the_story_is_not_about_one_village(body):
    assert context(body, "湄潭县：支部引领集体经济发展").home_village is None


def test_city_story_does_not_narrow_to_a_village():
    body = "脱贫攻坚以来，遵义市湄潭县金竹村发展茶叶产业。金竹村成为示范村。"
    assert context(body, "遵义：抓党建促脱贫").home_village is None


# ------------------------------------------------------------------ title detection

def test_title_is_the_line_above_the_date_line_not_the_site_header():
    raw = ("返回首页 | 某某网\n他山之石\n三招并举 聚力党建促脱贫\n来源:某某公众号 发布时间:2020年06月23日\n"
           f"湄潭县：三招并举 聚力党建促脱贫\n{BODY}")
    text, _, meta = clean_text(raw)
    assert meta["title"] == "三招并举 聚力党建促脱贫"
    assert text.split("\n")[0] == meta["title"]


def test_title_follows_the_breadcrumb_and_skips_a_masthead_unit():
    raw = f"中华人民共和国某某部\nEN\n您现在的位置:首页>新闻>地方新闻\n遵义湄潭:第一书记的扶贫故事\n{BODY}"
    _, _, meta = clean_text(raw)
    assert meta["title"] == "遵义湄潭:第一书记的扶贫故事"


def test_title_above_a_date_line_with_a_site_name():
    raw = f"首页 社会 正文\n坚决打赢脱贫攻坚战役\n2021-03-08 14:08 某某网\n{BODY}"
    assert clean_text(raw)[2]["title"] == "坚决打赢脱贫攻坚战役"


def test_subtitle_line_joins_the_title_and_names_home():
    raw = f"某某日报\n2018年10月02日\n第01版:要闻\n党旗飘扬在攻坚最前线\n——湄潭县力抓党建促脱贫纪实\n{BODY}"
    a = read_raw(raw)
    assert a.title == "党旗飘扬在攻坚最前线——湄潭县力抓党建促脱贫纪实"
    assert build_context(a).home.name == "湄潭县"


# ------------------------------------------------------------------ captions

@pytest.mark.parametrize("line, caption", [
    ("图为某某村村民在采摘茶叶。", True),
    ("2020年5月，县委书记王某某(右三)调研帮扶工作。李某/供图", True),
    ("某银行支持产业发展。图为某地粮库整理现场。张某某 摄", True),
    ("工作队同志合影(由左至右张某,李某某,王某)。", True),
    ("县委组织部（中共某县委组织部）牵头抓总，统筹推进。", False),
    ("全县选派干部(中层以上)120名驻村帮扶。", False),
])
def test_caption_lines(line, caption):
    assert is_caption(line) is caption


def test_nothing_comes_from_a_caption():
    body = ("湄潭县推进驻村帮扶，成效明显。\n"
            "2020年5月，湄潭县委组织部副部长王某某(右三)到大理州宾川县调研，走访贫困户36户。李某某/供图\n"
            "湄潭县选派第一书记120名。")
    ex = extract_article(make_article(body, "湄潭县：党建引领脱贫"))
    labels = {label for _, label in ex.entities}
    assert "宾川县" not in labels and "大理白族自治州" not in labels
    assert "王某某" not in labels and "李某某" not in labels
    assert [i.value for i in ex.indicators] == [120]
    assert ctx_caption_count(body) == 2     # both sentences of the caption line


def ctx_caption_count(body: str) -> int:
    return len(context(body, "湄潭县：党建引领脱贫").captions)


# ------------------------------------------------------------------ a place name inside a person's name

def test_region_inside_a_cued_name_is_no_region():
    body = "驻村第一书记陶丽江来到村里。陶丽江带领村民发展产业，村民收入翻番。"
    ex = extract_article(make_article(body, "湄潭县：党建引领脱贫"))
    keys = set(ex.entities)
    assert ("Person", "陶丽江") in keys
    assert ("Region", "丽江市") not in keys and ("Region", "云南省") not in keys
    assert all(not (m.type == "Region" and "丽江" in m.text) for m in ex.mentions)


def test_name_holding_a_place_does_not_make_the_home():
    body = "驻村第一书记陶丽江来到村里。陶丽江带领村民发展产业。陶丽江说，产业是根本。"
    assert home(body, "党建引领脱贫") is None


def test_the_place_itself_is_still_a_region():
    body = "驻村第一书记陶某某来到丽江市玉龙县。丽江市委高度重视。"
    ex = extract_article(make_article(body, "党建引领脱贫"))
    assert ("Region", "丽江市") in set(ex.entities)


def test_a_short_form_alone_in_quotes_is_a_word_not_a_place():
    body = "湄潭县推进脱贫攻坚。村民心中的“大同”梦，就是共同富裕。"
    ex = extract_article(make_article(body, "湄潭县：党建引领脱贫"))
    assert ("Region", "大同市") not in set(ex.entities)
    body = "湄潭县与大同结对帮扶。"
    assert ("Region", "大同市") in set(extract_article(make_article(body, "湄潭县：党建引领脱贫")).entities)
