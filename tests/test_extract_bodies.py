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
    ("华中农业大学的专家每月下乡一次。", "华中农业大学"),       # jieba keeps the name as one word
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


# --- issue 10: departments, the Party Centre, proper names of firms and schools ---

@pytest.mark.parametrize("title, body, surface, label", [
    # a level word and a department of the grammar: the home region's, as written
    (GUANGXI, "自治区住房城乡建设厅派驻该村第一书记。", "自治区住房城乡建设厅", "广西壮族自治区住房城乡建设厅"),
    (DINGXI, "会上，市公安局代表作了发言。", "市公安局", "定西市公安局"),
    (GANSU, "省审计厅选派干部驻村。", "省审计厅", "甘肃省审计厅"),
    (DINGXI, "市气象局派出工作队。", "市气象局", "定西市气象局"),
    (DINGXI, "市直机关工委组织党员志愿服务。", "市直机关工委", "定西市直机关工委"),
    (DINGXI, "市发改委牵头编制规划。", "市发改委", "定西市发改委"),
    # in a county-level city its own 市委 is meant, not the prefecture's
    ("江苏宜兴市：选派第一书记", "市委高度重视。", "市委", "宜兴市委"),
    # an ambiguous short name in the title is settled by the full name in the body
    ("遂宁：驻村工作队到岗", "遂宁市召开推进会。市公安局在会上作表态发言。", "市公安局", "遂宁市公安局"),
    # a full department name takes its official short form
    (None, "甘肃省发展和改革委员会选派干部。", "甘肃省发展和改革委员会", "甘肃省发展改革委"),
])
def test_relative_departments(title, body, surface, label):
    assert (surface, label) in bodies_in(body, title)


@pytest.mark.parametrize("title, body", [
    (DINGXI, "各县扶贫办要加强督导。"),             # 各: a kind, not one body
    (GANSU, "市县扶贫局要落实责任。"),              # 市县: the bureaus of every level
    (DINGXI, "市委书记主持会议。"),
])
def test_relative_kinds_are_no_body(title, body):
    assert bodies_in(body, title) == []


@pytest.mark.parametrize("title, body", [
    (GANSU, "按照中央统一部署，省里启动新一轮驻村帮扶。"),
    (GANSU, "全面落实中央关于选派第一书记的要求。"),
])
def test_central_committee_acting(title, body):
    assert ("中央", "中共中央") in bodies_in(body, title)


@pytest.mark.parametrize("body", ["广场位于村子中央。", "他站在人群中央讲话。"])
def test_centre_as_a_place_is_no_body(body):
    assert ("中央", "中共中央") not in bodies_in(body, GANSU)


@pytest.mark.parametrize("body, label, not_label", [
    ("合作社聘请华南农业大学教授两名。", "华南农业大学", "合作社聘请华南农业大学"),
    ("她来自江西绿源茶业有限公司。", "江西绿源茶业有限公司", "她来自江西绿源茶业有限公司"),
    ("去年几户村民合伙办起了青禾食用菌种植专业合作社。", "青禾食用菌种植专业合作社", "办起了青禾食用菌种植专业合作社"),
])
def test_names_start_after_verbs_and_pronouns(body, label, not_label):
    got = [lab for _, lab in bodies_in(body)]
    assert label in got and not_label not in got


@pytest.mark.parametrize("body", [
    "为了扩大合作社规模，村里流转土地。",        # a clause before a bare kind
    "他筹集资金建起红薯加工厂。",               # a pronoun and a verb; 红薯加工厂 is a kind
    "乡里动员种粮大户加入行业协会。",            # 行业协会: a kind
    "鼓励商业银行加大信贷支持。",                # 商业银行: a kind
    "党员致富能手领办合作社二十多个。",
])
def test_bare_kinds_and_clauses_are_no_body(body):
    assert bodies_in(body, DINGXI) == []


def test_association_of_first_secretaries_takes_the_home_region():
    got = bodies.find(context("县里成立了大学生村官协会。秘书处每月收集各村的需求。", LANKAO))
    assert [(m.label, m.attrs["parents"]) for m in got] == [
        ("兰考县大学生村官协会", []), ("兰考县大学生村官协会秘书处", ["兰考县大学生村官协会"])]


def test_commission_party_group_is_a_sub_body():
    got = bodies.find(context("甘肃省发展改革委派员驻村。驻村期间，委党组每季度听取一次汇报。", GANSU))
    groups = [(m.text, m.label, m.attrs["parents"]) for m in got if m.label.endswith("党组")]
    assert groups == [("委党组", "甘肃省发展改革委党组", ["甘肃省发展改革委"])]


def test_unit_inside_a_department():
    got = bodies.find(context("定西市水利局水质监测站干部李某到村任职。", DINGXI))
    assert [(m.label, m.attrs["parents"]) for m in got] == [("定西市水利局水质监测站", ["定西市水利局"])]


def test_organ_of_the_city_committee():
    got = bodies.find(context("市直机关工委组织党员志愿服务。", DINGXI))
    assert [m.attrs["parents"] for m in got] == [["定西市委"]]


def test_lead_line_refines_the_outlet_region():
    ctx = context("甘肃省定西市安定区：党建促脱贫\n安定区把驻村帮扶和产业发展结合起来。", "返回首页",
                  source="党建定西公众号")
    assert ctx.home is not None and ctx.home.name == "安定区"


def test_region_word_before_a_province_department_is_the_autonomous_region():
    assert ("区民政厅", "广西壮族自治区民政厅") in bodies_in("区民政厅选派干部驻村。", GUANGXI)


@pytest.mark.parametrize("body, label", [
    ("以党校、“石门坳当代红色教育基地”等为平台开展培训。", "石门坳当代红色教育基地"),   # a quoted name
])
def test_quoted_or_unknown_names_are_proper(body, label):
    assert label in [lab for _, lab in bodies_in(body)]


def test_quoted_association_of_first_secretaries_takes_the_home_region():
    assert ("大学生村官联合会", "甘肃省大学生村官联合会") in bodies_in("省里发起组建了“大学生村官联合会”。", GANSU)


@pytest.mark.parametrize("title, body, surface, label", [
    ("四川昭觉县：党建扶贫", "县委组织部会同县扶贫办建立台账。", "县扶贫办", "昭觉县扶贫办"),   # 会同: a verb here
    ("宁夏：驻村帮扶", "自治区政府办公厅选派第一书记。", "自治区政府办公厅", "宁夏回族自治区政府办公厅"),
])
def test_relative_reading_wins(title, body, surface, label):
    assert (surface, label) in bodies_in(body, title)


def test_firm_is_located_in_the_region_of_its_name_but_a_school_is_not():
    got = {m.label: m.attrs.get("region") for m in bodies.find(context("成都蜀丰农业有限公司与成都理工大学合作。"))}
    assert got["成都蜀丰农业有限公司"] == "510100" and got["成都理工大学"] is None


def test_county_of_another_province_introduced_by_its_city_keeps_its_name():
    got = bodies_in("湖南省怀化市会同县扶贫办派员考察。", "四川昭觉县：党建扶贫")
    assert "会同县扶贫办" in [label for _, label in got]
