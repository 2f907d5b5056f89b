"""Person mentions: names after role cues, after epithets, in enumerations, and bylines."""
from __future__ import annotations

import pytest

from helpers import context
from kg.extract import persons

NINGXIA = "宁夏：党建引领脱贫攻坚"


def names(body: str, title: str | None = NINGXIA, **kw) -> list[str]:
    return [m.label for m in persons.find(context(body, title, **kw))]


PERSONS = [
    ("第一书记张三带领群众修路。", ["张三"]),
    ("驻村第一书记马正军说，要让群众过上好日子。", ["马正军"]),
    ("老支书王德福常说，干部要带头。", ["王德福"]),
    ("村党支部书记杨建国组织党员开会。", ["杨建国"]),
    ("“全国脱贫攻坚先进个人”李梅梅扎根山村。", ["李梅梅"]),
    ("刘建华、马小军、杨丽等一批干部受到表彰。", ["刘建华", "马小军", "杨丽"]),
    ("第一书记张三说，要苦干实干。", ["张三"]),
    ("乡党委书记杨文化走访贫困户。", ["杨文化"]),
]


@pytest.mark.parametrize("body, expected", PERSONS)
def test_persons(body, expected):
    assert names(body) == expected


NO_PERSON = [
    "加强建设任务落实。",              # words that start with a surname
    "全面落实党建责任。",
    "第一书记带领群众修路。",          # a role with no name
    "黄河岸边的村庄变了样。",
    "王书记走访贫困户。",              # a surname and a title: no name
]


@pytest.mark.parametrize("body", NO_PERSON)
def test_no_person(body):
    assert names(body) == []


def test_byline_person():
    ms = persons.find(context("正文提到周立新同志。", NINGXIA, author="周立新"))
    assert [(m.label, m.rule) for m in ms] == [("周立新", "byline")]


def test_byline_unit_is_not_a_person():
    assert names("固原市委组织部供稿。", NINGXIA, author="固原市委组织部") == []


def test_spans_index_the_text():
    ctx = context("第一书记张三、村支书李四带头。", NINGXIA)
    ms = persons.find(ctx)
    assert ms
    for m in ms:
        assert ctx.article.text[m.start:m.end] == m.text == m.label


MORE_PERSONS = [
    ("会议由县委常委、组织部部长何文斌主持。", ["何文斌"]),        # cue of position both
    ("区农业农村局干部周立新自愿到村任职。", ["周立新"]),
    ("记者 王小川）近日，全县召开大会。", ["王小川"]),                 # cue, a space, the name
    ("新华社记者张明、李慧\n全县召开大会。", ["张明", "李慧"]),         # byline list
    ("深入学习贯彻习近平新时代中国特色社会主义思想。", ["习近平"]),      # national leader
    ("第一书记阿依古丽·买买提带领村民种植核桃。", ["阿依古丽·买买提"]),  # dotted name keeps the dot
    ("副书记王军正在村委会值班。", ["王军"]),                           # not 王军正
]


@pytest.mark.parametrize("body, expected", MORE_PERSONS)
def test_more_persons(body, expected):
    assert names(body) == expected


def test_byline_unit_then_names_with_a_stray_space():
    ms = persons.find(context("来源:某某网 作者:宁县委组织部 张三丰 李 明\n全县召开大会。", NINGXIA))
    assert [(m.label, m.text) for m in ms] == [("张三丰", "张三丰"), ("李明", "李 明")]


@pytest.mark.parametrize("body", [
    "图为驻村第一书记张三带领群众修路。",
    "副县长王立群（右二）查看长势。李明/供图",
    "平利县长安镇的路修好了。",                                       # 县长 inside 平利县长安镇
    "有的贫困户安贫乐贫、不思进取。",                                   # a dictionary word after a cue
    "推行“单位包村、干部包户”工作机制。",
])
def test_no_person_in_captions_or_words(body):
    assert names(body) == []
