"""Checks of the domain lexicons under kg/data/: shape, sources, consistency, and a few sample lookups.

What this does not check: whether an entry is general domain knowledge rather than a seed's own
coinage; that is a reviewer's judgement (see the helper's report).
"""
from __future__ import annotations

import re

import pytest

from kg.resources import data_path, load_lines, load_table, split_list

TABLES = {
    "groups.tsv": ("label", "aliases", "note"),
    "body_abbreviations.tsv": ("abbreviation", "full", "level", "note"),
    "body_grammar.tsv": ("part", "kind", "note", "short"),
    "initiatives.tsv": ("label", "type", "aliases", "note"),
    "initiative_heads.tsv": ("head", "type", "note"),
    "not_initiatives.tsv": ("phrase", "why"),
    "person_cues.tsv": ("cue", "position", "kind", "note"),
}
ALL_FILES = (*TABLES, "surnames.txt")
CJK = re.compile(r"^[\u4e00-\u9fff]+$")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _key_col(name: str) -> str:
    return TABLES[name][0]


def _alias_map(name: str) -> dict[str, str]:
    """Surface form -> label for a label/aliases table; fails on a form that maps to two labels."""
    out: dict[str, str] = {}
    for row in load_table(name):
        for form in [row["label"], *split_list(row["aliases"])]:
            assert out.get(form, row["label"]) == row["label"], \
                f"{name}: {form!r} maps to {out[form]!r} and {row['label']!r}"
            out[form] = row["label"]
    return out


@pytest.mark.parametrize("name", ALL_FILES)
def test_file_starts_with_source_comment(name):
    first = data_path(name).read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# source:"), name


@pytest.mark.parametrize("name,columns", TABLES.items())
def test_table_columns_and_no_empty_or_duplicate_keys(name, columns):
    rows = load_table(name)
    assert rows, name
    assert set(columns) <= set(rows[0]), f"{name}: columns {list(rows[0])}"
    keys = [r[_key_col(name)] for r in rows]
    assert all(keys), f"{name}: empty key"
    dup = {k for k in keys if keys.count(k) > 1}
    assert not dup, f"{name}: duplicate keys {dup}"
    for r in rows:   # a stray tab shifts columns: the last required column must not be None-filled
        assert None not in r, f"{name}: extra column in {r}"


# The key of every other table: the columns whose values no two rows may share. A table whose
# rows are ordered rules or several readings of one word keys on more than one column.
KEYS = {
    "bare_counts.tsv": ("unit", "followed_by"),
    "boilerplate.tsv": ("pattern",),
    "border_words.tsv": ("word",),
    "caption_markers.tsv": ("marker",),
    "char_classes.tsv": ("kind",),
    "common_chars.tsv": ("char",),
    "core_groups.tsv": ("label",),
    "counted_nouns.tsv": ("word",),
    "deictics.tsv": ("word",),
    "figure_words.tsv": ("word", "kind"),
    "gazetteer_words.tsv": ("word", "kind"),
    "generic_groups.tsv": ("label",),
    "group_verbs.tsv": ("verb",),
    "level_words.tsv": ("word",),
    "name_edge_words.tsv": ("word", "kind"),
    "named_areas.tsv": ("label",),
    "national_leaders.tsv": ("name",),
    "phrase_boundaries.tsv": ("word",),
    "post_fields.tsv": ("field", "post"),
    "post_titles.tsv": ("title",),
    "region_abbreviations.tsv": ("abbr",),
    "region_stopwords.tsv": ("surface",),
    "relation_cues.tsv": ("cue", "kind"),
    "scope_words.tsv": ("word",),
    "set_followers.tsv": ("word",),
    "set_units.tsv": ("unit",),
    "units.tsv": ("unit",),
    "deictic_forms.tsv": ("part", "word"),
    "village_terms.tsv": ("word",),
}


def test_every_table_declares_its_key():
    names = {p.name for p in data_path("").glob("*.tsv")}
    assert names == set(TABLES) | set(KEYS), names ^ (set(TABLES) | set(KEYS))


@pytest.mark.parametrize("name,key", KEYS.items())
def test_no_duplicate_keys(name, key):
    rows = load_table(name)
    assert rows and set(key) <= set(rows[0]), name
    keys = [tuple(r[c] for c in key) for r in rows]
    dup = {k for k in keys if keys.count(k) > 1}
    assert not dup, f"{name}: duplicate keys {dup}"


def test_group_aliases_map_to_one_label():
    forms = _alias_map("groups.tsv")
    assert len(load_table("groups.tsv")) >= 150
    assert all(CJK.match(f.replace("(", "").replace(")", "").replace("“", "").replace("”", ""))
               for f in forms)


def test_initiative_aliases_map_to_one_label_and_types_valid():
    forms = _alias_map("initiatives.tsv")
    assert {r["type"] for r in load_table("initiatives.tsv")} <= {"Programme", "Measure"}
    banned = {r["phrase"] for r in load_table("not_initiatives.tsv")}
    clash = banned & set(forms)
    assert not clash, f"listed both as initiative and as not-initiative: {clash}"


@pytest.mark.parametrize("form,label", [
    ("驻村帮扶工作队", "驻村工作队"), ("驻村扶贫工作队", "驻村工作队"), ("工作队", "驻村工作队"),
    ("驻村帮扶干部", "驻村干部"), ("村支书", "村党组织书记"), ("村支部书记", "村党组织书记"),
    ("共产党员", "党员"), ("中共党员", "党员"), ("新型经营主体", "新型农业经营主体"),
    ("农村新型经营主体", "新型农业经营主体"), ("村级后备力量", "村级后备干部"),
    ("软弱涣散村党组织", "软弱涣散基层党组织"), ("建档立卡贫困户", "建档立卡贫困户"),
])
def test_group_synonyms_merge(form, label):
    assert _alias_map("groups.tsv")[form] == label


@pytest.mark.parametrize("a,b", [
    ("驻村工作队员", "驻村工作队"), ("贫困群众", "贫困人口"), ("建档立卡贫困户", "贫困户"),
    ("村党组织", "党组织"), ("村党组织书记", "党组织书记"),
])
def test_groups_kept_apart(a, b):
    forms = _alias_map("groups.tsv")
    assert forms[a] != forms[b]


@pytest.mark.parametrize("modifier_form", ["农村党员", "优秀村干部", "省派工作队", "省直单位处级干部"])
def test_descriptive_modifiers_are_not_aliases(modifier_form):
    assert modifier_form not in _alias_map("groups.tsv")


def test_body_abbreviation_levels_and_placeholders():
    levels = {"national", "province", "prefecture", "county", "home"}
    for r in load_table("body_abbreviations.tsv"):
        assert r["level"] in levels, r
        holes = PLACEHOLDER.findall(r["full"])
        if r["level"] == "national":
            assert not holes, r
        elif r["level"] == "home":        # the article's own home region, whatever its level
            assert holes == ["region"], r
        else:
            assert holes == [r["level"]], r


@pytest.mark.parametrize("abbr,region,expected", [
    ("中组部", None, "中共中央组织部"),
    ("国务院扶贫办", None, "国务院扶贫办"),              # as commonly written (gold NOTES 4)
    ("团中央", None, "共青团中央"),
    ("省委组织部", "湖南省", "湖南省委组织部"),
    ("省人社厅", "贵州省", "贵州省人社厅"),
    ("自治区党委", "广西壮族自治区", "广西壮族自治区党委"),
    ("市委", "保山市", "保山市委"),
    ("县委党校", "建始县", "建始县委党校"),
    ("县政府", "建始县", "建始县政府"),
])
def test_body_abbreviation_expands(abbr, region, expected):
    row = {r["abbreviation"]: r for r in load_table("body_abbreviations.tsv")}[abbr]
    full = row["full"]
    if region:
        full = full.replace("{" + row["level"] + "}", region)
    assert full == expected


def test_body_grammar_kinds():
    kinds = {"leader", "department", "subunit", "institution_suffix", "enterprise_suffix", "command",
             "association_suffix", "unit_suffix", "activity", "central_act"}
    rows = load_table("body_grammar.tsv")
    assert {r["kind"] for r in rows} == kinds
    parts = {r["part"]: r["kind"] for r in rows}
    for province_form, county_form in [("人社厅", "人社局"), ("农业农村厅", "农业农村局"), ("民政厅", "民政局")]:
        assert parts[province_form] == parts[county_form] == "department"


def _head_type(name: str) -> str | None:
    heads = {r["head"]: r["type"] for r in load_table("initiative_heads.tsv")}
    best = max((h for h in heads if name.endswith(h)), key=len, default=None)
    return heads.get(best) if best else None


@pytest.mark.parametrize("name,expected", [
    ("人才振兴工程", "Programme"), ("后备干部培养计划", "Programme"), ("消费扶贫专项行动", "Programme"),
    ("结对共建活动", "Programme"), ("沪滇合作", "Programme"), ("两学一做学习教育", "Programme"),
    ("支部标准化建设", "Programme"), ("三个一批", "Programme"), ("村干部报酬增长机制", "Measure"),
    ("党员积分管理", "Measure"), ("一户一策", "Measure"), ("村霸问题专项整治", "Measure"),
    ("负面清单", "Measure"), ("后备干部库", "Measure"), ("考核管理办法", "Document"),
    ("脱贫攻坚实施方案", "Document"), ("工作规则", None),
])
def test_initiative_head_decides_type(name, expected):
    assert _head_type(name) == expected


def test_initiative_heads_types_valid():
    assert {r["type"] for r in load_table("initiative_heads.tsv")} == {"Programme", "Measure", "Document"}


@pytest.mark.parametrize("phrase", ["脱贫攻坚", "精准扶贫", "产业扶贫", "易地扶贫搬迁", "结对帮扶",
                                    "两不愁三保障", "四个意识", "工作机制", "帮扶措施"])
def test_not_initiatives_listed(phrase):
    assert phrase in {r["phrase"] for r in load_table("not_initiatives.tsv")}


def test_not_initiative_reasons_valid():
    assert {r["why"] for r in load_table("not_initiatives.tsv")} <= {"field", "principle", "verb", "generic", "goal"}


def test_person_cues_valid():
    rows = load_table("person_cues.tsv")
    assert {r["position"] for r in rows} <= {"before", "after", "both"}
    assert {r["kind"] for r in rows} <= {"role", "honour", "byline", "editor", "speech"}
    kinds = {r["cue"]: r["kind"] for r in rows}
    assert kinds["记者"] == kinds["摄"] == "byline"
    assert kinds["责任编辑"] == "editor"


def test_surnames():
    names = load_lines("surnames.txt")
    assert len(names) == len(set(names)), "duplicate surname"
    singles = [n for n in names if len(n) == 1]
    doubles = [n for n in names if len(n) == 2]
    assert len(singles) >= 400 and len(doubles) >= 40
    assert len(singles) + len(doubles) == len(names)
    assert all(CJK.match(n) for n in names)
    for common in ("王", "李", "张", "刘", "陈", "黄", "曾", "余", "欧阳", "司马"):
        assert common in names
    assert names.index("王") < 10


def test_groups_and_initiatives_are_disjoint():
    groups = set(_alias_map("groups.tsv"))
    initiatives = set(_alias_map("initiatives.tsv"))
    banned = {r["phrase"] for r in load_table("not_initiatives.tsv")}
    assert not groups & initiatives
    assert not groups & banned


def test_transliteration_chars_listed_once():
    chars = "".join(load_lines("transliteration_chars.txt"))
    assert len(chars) == len(set(chars)), sorted({c for c in chars if chars.count(c) > 1})
