"""Posts: memberOf with a role from a title written before a person's name (invented sentences)."""
from __future__ import annotations

import pytest

from helpers import context, make_article
from kg.extract import posts
from kg.extract.home import build_context
from kg.model import Mention
from kg.pipeline import extract_article
from kg.extract.resolve import find_mentions

COUNTY = "郧西县：党建引领脱贫攻坚"      # the title makes 郧西县 the home region


def post_rels(body: str, title: str | None = COUNTY, **kw) -> set[tuple[str, str, str]]:
    ex = extract_article(make_article(body, title, **kw))
    return {(r.subject[1], r.object[1], r.role) for r in ex.relations if r.predicate == "memberOf"}


def test_explicit_committee_member_and_department_head():
    assert post_rels("在随后的座谈中，中共湖北省郧西县委常委、组织部部长张建国逐一点评。") == {
        ("张建国", "郧西县委", "常委"), ("张建国", "郧西县委组织部", "部长")}


def test_short_form_organisation_minister_is_under_the_committee_before_it():
    ex = extract_article(make_article("随后，县委常委、组织部长刘文斌对下一步工作作了部署。", COUNTY))
    rels = {(r.subject[1], r.predicate, r.object[1], r.role) for r in ex.relations}
    assert ("刘文斌", "memberOf", "郧西县委", "常委") in rels
    assert ("刘文斌", "memberOf", "郧西县委组织部", "部长") in rels
    assert ("郧西县委组织部", "subOrganizationOf", "郧西县委", "") in rels
    assert ("郧西县委组织部", "locatedIn", "郧西县", "") in rels
    body = ex.entities[("Body", "郧西县委组织部")]
    assert "组织部" in body.aliases


def test_relative_title_resolves_through_the_home_region():
    assert post_rels("县委书记王立群到村里调研。") == {("王立群", "郧西县委", "书记")}


def test_department_deputy_head():
    assert post_rels("郧西县委组织部副部长陈晓梅说，要选好配强村班子。") == {
        ("陈晓梅", "郧西县委组织部", "副部长")}


def test_staff_of_a_bureau_unit():
    assert post_rels("十堰市住建局规划设计站干部周立新主动报名驻村。") == {
        ("周立新", "十堰市住建局规划设计站", "干部")}


def test_author_line_gives_the_bylined_author_posts():
    body = "全县上下苦干实干。\n（作者系中共郧西县委常委、组织部长）"
    assert post_rels(body, author="孙志强") == {("孙志强", "郧西县委", "常委"), ("孙志强", "郧西县委组织部", "部长")}


def test_no_author_line_posts_when_the_byline_is_a_unit():
    assert post_rels("全县上下苦干实干。\n（作者系中共郧西县委常委、组织部长）", author="郧西县委组织部") == set()


NO_POST = [
    "村支书王德福带头修路。",                        # bare 村支书: no village named
    "村党支部书记杨建国组织党员开会。",              # no village named
    "驻村第一书记马正军走访贫困户。",                # 第一书记: no organisation named
    "工作队队长李志明带队入户。",                    # work-team leader
    "组织部长张建国出席会议。",                      # relative with nothing to attach it to
    "图为郧西县委书记王立群在田间查看长势。",        # a photo caption
    "他来自郧西县农业农村局，名叫赵明亮。",          # membership without a post
]


@pytest.mark.parametrize("body", NO_POST)
def test_no_post(body):
    assert post_rels(body) == set()


def _with_village(body: str, village: str):
    """A context and mentions with ``village`` as a village Region mention (as the village
    finder of another stage gives it)."""
    ctx = build_context(make_article(body, COUNTY))
    ms = find_mentions(ctx)
    at = body.index(village) + len(COUNTY) + 1
    v = Mention("t", ctx.sentence_at(at).index, at, at + len(village), village, "Region", label=village,
                rule="test", attrs={"level": "village"})
    return ctx, sorted(ms + [v], key=lambda m: m.start)


@pytest.mark.parametrize("body, village, role, person", [
    ("关防乡青岗村村支书赵德明说，路修好了。", "青岗村", "书记", "赵德明"),
    ("青岗村党支部副书记刘秀英：我们要带头干。", "青岗村", "副书记", "刘秀英"),
])
def test_village_branch_post(body, village, role, person):
    ctx, ms = _with_village(body, village)
    bodies, rels = posts.find(ctx, ms)
    assert [b.label for b in bodies] == ["青岗村党支部"]
    got = {(r.subject[1], r.predicate, r.object[1].split("@")[0], r.role) for r in rels}
    assert got == {(person, "memberOf", "青岗村党支部", role), ("青岗村党支部", "locatedIn", village, "")}


def test_first_secretary_of_a_named_village_has_no_post():
    ctx, ms = _with_village("青岗村第一书记马正军走访贫困户。", "青岗村")
    assert posts.find(ctx, ms) == ([], [])
