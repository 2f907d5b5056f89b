"""Group mentions: generic kinds of actors and targets, synonyms merged into one label."""
from __future__ import annotations

import pytest

from helpers import context, found
from kg.extract import groups

SHAANXI = "陕西：抓党建促脱贫攻坚"


def groups_in(body: str, title: str | None = SHAANXI) -> list[tuple[str, str]]:
    return found(groups.find(context(body, title)), "Group")


GROUPS = [
    ("向贫困村选派驻村帮扶工作队。", ("驻村帮扶工作队", "驻村工作队")),
    ("驻村工作队员吃住在村。", ("驻村工作队员", "驻村工作队员")),        # members stay apart from teams
    ("大学生村干部扎根基层。", ("大学生村干部", "大学生村官")),
    ("村支部书记带头致富。", ("村支部书记", "村党组织书记")),
    ("建档立卡贫困户全部脱贫。", ("建档立卡贫困户", "建档立卡贫困户")),
    ("农民专业合作社带动农户增收。", ("农民专业合作社", "农民专业合作社")),
    ("工作队长由第一书记兼任。", ("第一书记", "第一书记")),
    ("村“两委”干部交叉任职。", ("村“两委”干部", "村干部")),      # dev gold: an alias of 村干部
    ("县委书记带头走访。", ("县委书记", "县委书记")),
    ("易地搬迁户住进新房。", ("易地搬迁户", "易地扶贫搬迁户")),
    ("选聘科技特派员服务产业。", ("科技特派员", "科技特派员")),
]


@pytest.mark.parametrize("body, pair", GROUPS)
def test_group(body, pair):
    assert pair in groups_in(body)


@pytest.mark.parametrize("body, surface", [
    ("建档立卡贫困户全部脱贫。", "贫困户"),          # the longest term wins, no nested group
    ("驻村工作队员吃住在村。", "驻村工作队"),
    ("驻村第一书记扎根基层。", "第一书记"),
])
def test_longest_term_only(body, surface):
    assert surface not in [s for s, _ in groups_in(body)]


@pytest.mark.parametrize("body, absent", [
    ("村民委员会主任述职。", "村委会"),               # the longer term 村民委员会主任 wins
    ("村务监督委员会主任列席。", "村委会主任"),      # 村务监督委员会主任 is its own group
])
def test_absent(body, absent):
    assert absent not in [lab for _, lab in groups_in(body)]


def test_mentions_index_the_text():
    ctx = context("向贫困村选派驻村帮扶工作队，帮助建档立卡贫困户。", SHAANXI)
    for m in groups.find(ctx):
        assert ctx.article.text[m.start:m.end] == m.text


@pytest.mark.parametrize("body, absent, present", [
    ("向贫困村选派驻村帮扶工作队。", "贫困村", "驻村工作队"),            # a kind of place is no group
    ("县里对后进村党组织书记开展轮训。", "后进村", "村党组织书记"),
])
def test_place_kinds_hide_no_group(body, absent, present):
    labels = [lab for _, lab in groups_in(body)]
    assert absent not in labels and present in labels


def test_a_site_name_is_no_group():
    assert "党员" not in [lab for _, lab in groups_in("转载自共产党员网。")]
    assert ("党员", "党员") in groups_in("党员网格员走访农户。")


@pytest.mark.parametrize("body, pair", [
    # a field or campaign word before the post names a kind of post of its own, labelled as written
    ("今年起，全区从科技部门抽调12人出任乡村振兴第一书记。", ("乡村振兴第一书记", "乡村振兴第一书记")),
    ("镇上请来的产业第一书记带着农户种菌菇。", ("产业第一书记", "产业第一书记")),
    # a modifier that only says where or for what the cadre is sent is an alias of the post
    ("驻村第一书记挨家挨户走访。", ("驻村第一书记", "第一书记")),
    ("扶贫第一书记任期两年。", ("扶贫第一书记", "第一书记")),
])
def test_field_before_first_secretary_is_its_own_post_type(body, pair):
    assert pair in groups_in(body)


def _kept(body: str) -> set[str]:
    from kg.pipeline import extract_article
    from helpers import make_article
    ex = extract_article(make_article(body, SHAANXI))
    return {e.label for e in ex.entities.values() if e.type == "Group"}


@pytest.mark.parametrize("body, label, kept", [
    ("全县48个贫困村全部建起扶贫车间。", "贫困村", False),          # a kind of place, even when counted
    ("全镇建成扶贫车间12个。", "扶贫车间", False),                  # a thing, not actors
    ("村里划分为9个村民小组。", "村民小组", False),
    ("全村共有农户620户。", "农户", False),                         # the village's own households
    ("全县选派第一书记80名。", "第一书记", True),
    ("乡里培养致富带头人30名。", "致富带头人", True),
])
def test_keep_rule(body, label, kept):
    assert (label in _kept(body)) is kept
