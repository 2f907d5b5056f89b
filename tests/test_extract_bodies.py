"""Body mentions: region + name grammar, abbreviations filled from the home region, institutions."""
from __future__ import annotations

import pytest

from helpers import context, found
from kg.extract import bodies

GANSU = "甘肃：抓党建促脱贫攻坚见实效"
GUANGXI = "广西：党建引领脱贫攻坚"
XINJIANG = "新疆：驻村工作扎实推进"
LANKAO = "河南兰考县：抓党建促脱贫"
LIANGSHAN = "四川凉山州：党建扶贫"
DINGXI = "甘肃定西市：组织振兴"


def bodies_in(body: str, title: str | None = None) -> list[tuple[str, str]]:
    return found(bodies.find(context(body, title)), "Body")


@pytest.mark.parametrize("title, body, surface, label", [
    # relative abbreviations take the home chain's division
    (GANSU, "省委组织部印发通知。", "省委组织部", "甘肃省委组织部"),
    (GANSU, "省委高度重视脱贫攻坚。", "省委", "甘肃省委"),
    (GANSU, "省扶贫办牵头落实。", "省扶贫办", "甘肃省扶贫办"),
    (GUANGXI, "自治区党委组织部召开会议。", "自治区党委组织部", "广西壮族自治区党委组织部"),
    (XINJIANG, "自治区党委选派工作队。", "自治区党委", "新疆维吾尔自治区党委"),
    (LANKAO, "县委组织部选派干部。", "县委组织部", "兰考县委组织部"),
    (LANKAO, "县政府出台办法。", "县政府", "兰考县政府"),
    (LANKAO, "团县委组织青年志愿者。", "团县委", "共青团兰考县委"),       # the region goes into the name
    (DINGXI, "团市委开展志愿服务。", "团市委", "共青团定西市委"),
    (LANKAO, "依托党校开展培训。", "党校", "兰考县委党校"),        # the party school of the home region
    (LIANGSHAN, "州委组织部统筹安排。", "州委组织部", "凉山彝族自治州委组织部"),
    (DINGXI, "市委组织部选派干部。", "市委组织部", "定西市委组织部"),
    # national abbreviations need no home region
    (None, "中组部召开电视电话会议。", "中组部", "中共中央组织部"),
    (None, "国务院扶贫办开展考核。", "国务院扶贫办", "国务院扶贫办"),
    (None, "国务院扶贫开发领导小组办公室开展考核。", "国务院扶贫开发领导小组办公室", "国务院扶贫办"),
    (None, "人社部部署技能培训。", "人社部", "人力资源和社会保障部"),
    # region + grammar: the label spells the region in full, 中共 is only surface
    (None, "四川省委组织部下发通知。", "四川省委组织部", "四川省委组织部"),
    (None, "陕西省人社厅组织培训。", "陕西省人社厅", "陕西省人社厅"),
    (None, "中共宁夏回族自治区党委组织部部署工作。", "中共宁夏回族自治区党委组织部", "宁夏回族自治区党委组织部"),
    (None, "凉山州委高度重视。", "凉山州委", "凉山彝族自治州委"),
    (LANKAO, "兰考县扶贫办牵头。", "兰考县扶贫办", "兰考县扶贫办"),
    (None, "定西市委组织部选派干部。", "定西市委组织部", "定西市委组织部"),
])
def test_body_found_and_labelled(title, body, surface, label):
    assert (surface, label) in bodies_in(body, title)


@pytest.mark.parametrize("title, body, surface", [
    (None, "中共甘肃省定西市委高度重视。", "中共甘肃省定西市委"),     # enclosing regions join the surface
])
def test_enclosing_regions_join_the_surface(title, body, surface):
    assert surface in [s for s, _ in bodies_in(body, title)]


@pytest.mark.parametrize("title, body", [
    (LANKAO, "县委书记带头走访贫困户。"),          # a role, not a body
    (GANSU, "省委常委深入一线调研。"),
    (DINGXI, "市委副书记主持会议。"),
    (None, "省委组织部印发通知。"),               # no home region: the province is unknown
    (None, "贫困县县委书记不得调整。"),            # a generic county's party committee
    (GANSU, "全省各级党组织积极行动。"),
])
def test_no_body(title, body):
    assert bodies_in(body, title) == []


@pytest.mark.parametrize("title, body, label, parents", [
    (GANSU, "省委组织部印发通知。", "甘肃省委组织部", ["甘肃省委"]),
    (None, "四川省委组织部下发通知。", "四川省委组织部", ["四川省委"]),
    (None, "陕西省委组织部研究室撰文。", "陕西省委组织部研究室", ["陕西省委组织部", "陕西省委"]),
])
def test_parents(title, body, label, parents):
    ms = [m for m in bodies.find(context(body, title)) if m.label == label]
    assert ms and ms[0].attrs["parents"] == parents


@pytest.mark.parametrize("title, body, label, code", [
    (GANSU, "省委组织部印发通知。", "甘肃省委组织部", "620000"),
    (None, "四川省委组织部下发通知。", "四川省委组织部", "510000"),
    (LANKAO, "县委组织部选派干部。", "兰考县委组织部", "410225"),
])
def test_region_code_for_located_in(title, body, label, code):
    ms = [m for m in bodies.find(context(body, title)) if m.label == label]
    assert ms and ms[0].attrs["region"] == code


INSTITUTIONS = [
    ("会宁县与定西师范高等专科学校结对。", "定西师范高等专科学校"),
    ("西北农林科技大学与当地结对帮扶。", "西北农林科技大学"),       # jieba keeps the name as one word
    ("甘肃农业大学派出专家团队。", "甘肃农业大学"),
    ("兰州大学与会宁县结对帮扶。", "兰州大学"),
    ("引进陇南康乐农业发展有限公司参与帮扶。", "陇南康乐农业发展有限公司"),   # the verb is not in the name
    ("联系定西薯业集团带动农户。", "定西薯业集团"),
]


@pytest.mark.parametrize("body, label", INSTITUTIONS)
def test_institutions(body, label):
    assert label in [lab for _, lab in bodies_in(body)]


ENUMERATIONS = [
    ("积极动员，宁夏伊品、塞上江南、六盘山牧业等企业参与帮扶。", ["宁夏伊品", "塞上江南", "六盘山牧业"]),
    ("引进宁夏伊品、塞上江南等企业参与帮扶。", ["宁夏伊品", "塞上江南"]),      # the verb is not in the first name
]


@pytest.mark.parametrize("body, items", ENUMERATIONS)
def test_enumeration_of_enterprises(body, items):
    got = [s for s, _ in bodies_in(body)]
    assert all(it in got for it in items)




@pytest.mark.parametrize("title, body, surface, label, parents", [
    # the party committee of a 地区 is written 地委; the name before it is the 地区, not a county
    ("新疆和田：党建扶贫", "和田地委组织部选派干部。", "和田地委组织部", "和田地委组织部", ["和田地委"]),
    ("阿里地区：抓党建促脱贫", "地委组织部统筹部署。", "地委组织部", "阿里地委组织部", ["阿里地委"]),
    ("阿里地区：抓党建促脱贫", "地委、行署高度重视。", "地委", "阿里地委", []),
])
def test_diwei_names_the_district_committee(title, body, surface, label, parents):
    ms = [m for m in bodies.find(context(body, title)) if m.text == surface]
    assert [(m.label, m.attrs["parents"]) for m in ms] == [(label, parents)]
