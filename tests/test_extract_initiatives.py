"""Programme and Measure mentions: quoted names, head-word phrases, the national lexicon."""
from __future__ import annotations

import pytest

from helpers import context
from kg.extract import initiatives

GANSU = "甘肃：抓党建促脱贫攻坚见实效"


def inits(body: str, title: str | None = GANSU) -> list[tuple[str, str]]:
    return [(m.type, m.label) for m in initiatives.find(context(body, title))]


INITIATIVES = [
    # head-word phrases, cut on the left at the verb
    ("深入实施陇原人才行动计划，培养致富带头人。", "Programme", "陇原人才行动计划"),
    ("全面推行村干部坐班值班制度。", "Measure", "村干部坐班值班制度"),
    ("建立健全驻村干部召回机制。", "Measure", "驻村干部召回机制"),
    ("实行党员积分制管理。", "Measure", "党员积分制管理"),
    # quoted names with a head after the quotes
    ("推广“支部+企业+农户”模式，带动群众增收。", "Measure", "支部+企业+农户模式"),
    ("实施“领头雁”培育工程。", "Programme", "领头雁培育工程"),
    ("大力实施“三变”改革。", "Measure", "三变改革"),
    ("开展“红旗村”评选。", "Programme", "红旗村评选"),
    ("实行不合格党员“退出”制度。", "Measure", "不合格党员退出制度"),
    ("建立“一村一策”帮扶机制。", "Measure", "一村一策帮扶机制"),
    # a quote that names itself
    ("各村开展“万名干部联万户工程”。", "Programme", "万名干部联万户工程"),
    # national names from the lexicon, canonical label
    ("深化东西部扶贫协作。", "Programme", "东西部扶贫协作"),
    ("争取雨露计划资金支持。", "Programme", "雨露计划"),
    ("组织贫困家庭子女参加扶贫雨露计划培训。", "Programme", "雨露计划"),
    ("实施党员量化积分管理。", "Measure", "党员积分制管理"),          # a listed alias → canonical label
    # verb + adverb tokens jieba keeps whole are not part of the name
    ("深入开展“两学一做”学习教育。", "Programme", "两学一做学习教育"),
    ("全面实施“能人回归”工程，吸引人才返乡。", "Programme", "能人回归工程"),
    ("积极争取雨露计划资金支持。", "Programme", "雨露计划"),
    ("积极推行“党支部+合作社+贫困户”模式。", "Measure", "党支部+合作社+贫困户模式"),
    # a vehicle word behind a short modifier after 等 classifies the quoted names
    ("推行“积分超市”等激励方式。", "Measure", "积分超市"),
    # a phrase worded as a listed alias takes the lexicon's label
    ("扎实开展软弱涣散村党组织整顿。", "Measure", "软弱涣散党组织整顿"),
    ("落实“十大支持”“十大放开”等帮扶措施。", "Measure", "十大支持"),
]
@pytest.mark.parametrize("body, type_, label", INITIATIVES)
def test_initiative(body, type_, label):
    assert (type_, label) in inits(body)


@pytest.mark.parametrize("body, labels", [
    # a chain of quotes before one head: one mention per name
    ("实施“强基”“固本”工程。", {"强基", "固本"}),
    ("推行“十条措施”“八项规定”等举措。", {"十条措施", "八项规定"}),
    ("推广“支部+公司+农户”“合作社+基地+农户”等模式。", {"支部+公司+农户模式", "合作社+基地+农户模式"}),
])
def test_quote_chain(body, labels):
    assert labels <= {label for _, label in inits(body)}


NOT_INITIATIVES = [
    "坚持精准扶贫、精准脱贫基本方略。",            # policy field / principle
    "打赢脱贫攻坚战。",
    "加强管理，提升服务。",
    "他说“要干”就干。",                            # a quote with no head is not a name
    "干部作风明显转变。",
    "加强基层党组织建设。",                        # a work area with a weak head, not a named programme
    "加强村级组织阵地建设。",                      # 组织 is a noun here, not a verb starting a name
]


@pytest.mark.parametrize("body", NOT_INITIATIVES)
def test_not_an_initiative(body):
    assert inits(body) == []


def test_scope_word_before_a_quoted_name_dropped_but_kept_as_alias():
    ms = initiatives.find(context("实施农村“领头雁”培育工程。", GANSU))
    m = next(m for m in ms if m.label == "领头雁培育工程")
    assert m.type == "Programme"
    assert m.attrs.get("alias") == "农村领头雁培育工程"


def test_mention_spans_index_the_text():
    ctx = context("深入实施陇原人才行动计划，推广“支部+企业+农户”模式。", GANSU)
    for m in initiatives.find(ctx):
        assert ctx.article.text[m.start:m.end] == m.text


@pytest.mark.parametrize("title, body, type_, label", [
    # a place and its body glued before the quote are the actor, not part of the name
    ("四川凉山州：党建扶贫", "凉山州委“彝乡头雁”工程成效明显。", "Programme", "彝乡头雁工程"),
])
def test_initiative_in_context(title, body, type_, label):
    assert (type_, label) in inits(body, title)


@pytest.mark.parametrize("title, body", [
    ("宁夏：闽宁协作", "福建省对口帮扶宁夏。"),
    ("甘肃：东西部协作", "兰州市与天津市结对帮扶。"),
])
def test_pairing_is_not_a_measure(title, body):
    assert not any(label.endswith("帮扶") for _, label in inits(body, title))


# Rules from dev NOTES 12-15, 21 and gold NOTES 22, with invented sentences.
@pytest.mark.parametrize("body, type_, label", [
    ("让“四金”成为农户增收的来源。", "Measure", "四金"),                  # a quoted numbered set
    ("乡里推行“三个一”工作队，效果明显。", "Measure", "三个一"),
    ("全县推进一户一档，逐户建账。", "Measure", "一户一档"),               # unquoted 一X一Y over a unit noun
    ("各村随后开展了“两清一美”活", "Programme", "两清一美"),   # head cut by the end of the text
    ("依托四级网格体系，层层压实责任。", "Measure", "四级网格体系"),           # numbered modifier, no verb needed
    ("例会制度、请假审批、轮岗管理等三个方面的规范化管理全面铺开。", "Measure", "规范化管理"),
    ("例会制度、请假审批、轮岗管理等三个方面的规范化管理全面铺开。", "Measure", "轮岗管理"),
    ("建立乡镇包片、部门包村、干部包户“三位一体”帮扶体系。", "Measure", "三位一体帮扶体系"),
])
def test_initiative_rules(body, type_, label):
    assert (type_, label) in inits(body)


@pytest.mark.parametrize("body, label", [
    ("例会制度、请假审批、轮岗管理等三个方面的规范化管理全面铺开。", "请假审批"),  # item with no head
    ("建立乡镇包片、部门包村、干部包户“三位一体”帮扶体系。", "干部包户三位一体帮扶体系"),
    ("打好乡村振兴“新上甘岭战役”。", "新上甘岭战役"),          # a metaphor in apposition to the field
    ("我们把它当成了最紧迫民生工程。", "最紧迫民生工程"),          # a superlative evaluates
    ("以实际行动践行初心。", "实际行动"),
    ("着力加强“领头雁”队伍建设。", "领头雁队伍建设"),              # generic work with a stressed word
    ("落实好驻村干部系列保障措施。", "驻村干部系列保障措施"),
    ("实现“百千万”发展蓝图。", "百千万"),                      # a goal, not a rule
    ("在省市“两会”上提出建议。", "两会"),                      # a meeting
    ("县“五大家”领导带头联村。", "五大家"),                    # a body of people
    ("大力发展“三羊一牛”产业。", "三羊一牛"),                  # the products of an industry
    ("大家一心一意谋发展。", "一心一意"),                      # an idiom, no unit noun
    ("解决“两弱一缺”问题。", "两弱一缺"),                      # a problem, not a rule
])
def test_not_initiative_rules(body, label):
    assert label not in {lab for _, lab in inits(body)}
