"""The division gazetteer: short forms, parent chains, scanning without false hits, resolution."""
from __future__ import annotations

from pathlib import Path

import jieba
import pytest

from kg.ingest.gazetteer import Gazetteer, short_forms
from kg.model import Division
from kg.ingest.gazetteer_cache import gazetteer

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return gazetteer()


def test_jieba_version_pinned():
    # The boundary check reads jieba's dictionary; another version may segment differently.
    assert jieba.__version__ == "0.42.1"


def test_county_layer_does_not_load_townships():
    # speed belongs in bench/; here only that the 41k townships stay unloaded
    fresh = Gazetteer()
    assert fresh.lookup("湘西")[0].code == "433100"
    assert fresh._towns is None          # the county layer never loads the 41k townships


@pytest.mark.parametrize("name, level, expected", [
    ("建始县", "county", ["建始"]),
    ("湘西土家族苗族自治州", "prefecture", ["湘西", "湘西州"]),
    ("恩施土家族苗族自治州", "prefecture", ["恩施", "恩施州"]),
    ("长阳土家族自治县", "county", ["长阳", "长阳县"]),
    ("莫力达瓦达斡尔族自治旗", "county", ["莫力达瓦", "莫力达瓦旗"]),
    ("龙胜各族自治县", "county", ["龙胜", "龙胜县"]),
    ("广西壮族自治区", "province", ["广西"]),
    ("新疆维吾尔自治区", "province", ["新疆"]),
    ("西藏自治区", "province", ["西藏"]),
    ("内蒙古自治区", "province", ["内蒙古"]),
    ("黑龙江省", "province", ["黑龙江"]),
    ("巴音郭楞蒙古自治州", "prefecture", ["巴音郭楞", "巴音郭楞州"]),
    ("阿里地区", "prefecture", ["阿里"]),
    ("锡林郭勒盟", "prefecture", ["锡林郭勒"]),
    ("浦东新区", "county", ["浦东"]),
    ("东区", "county", []),            # never a one-character short form
    ("井陉矿区", "county", []),
    ("城关镇", "township", []),         # townships: full names only
])
def test_short_forms(g, name, level, expected):
    assert short_forms(name, level, g._ethnic) == expected


@pytest.mark.parametrize("surface, code", [
    ("湘西", "433100"), ("湘西州", "433100"), ("恩施州", "422800"), ("恩施", "422800"),
    ("建始", "422822"), ("保山", "530500"), ("广西", "450000"), ("长阳", "420528"),
    ("长阳县", "420528"), ("闵行区", "310112"), ("湖南", "430000"), ("吉林", "220000"),
])
def test_lookup_short_forms_resolve_without_context(g, surface, code):
    cands = g.lookup(surface)
    assert code in {d.code for d in cands}
    assert g.resolve(cands, []).code == code


@pytest.mark.parametrize("code, chain", [
    ("422822", ["恩施土家族苗族自治州", "湖北省"]),          # 建始县
    ("310112", ["上海市"]),                                 # 闵行区: no 市辖区 in between
    ("110101", ["北京市"]),                                 # 东城区
    ("500229", ["重庆市"]),                                 # 城口县, under the 县 placeholder
    ("429004", ["湖北省"]),                                 # 仙桃市, 省直辖县级行政区划
    ("422822100", ["建始县", "恩施土家族苗族自治州", "湖北省"]),  # 业州镇
])
def test_parent_chains(g, code, chain):
    d = g.by_code(code)
    assert [a.name for a in g.ancestors(d)] == chain
    assert g.parent(d).name == chain[0]
    assert g.is_within(d, g.ancestors(d)[-1])
    assert d.province == g.ancestors(d)[-1].code


def test_division_fields(g):
    d = g.lookup("建始")[0]
    assert d == Division("422822", "建始县", "county", "422800", "420000")
    assert g.by_code("43") == g.by_code("430000") and g.by_code("43").parent is None
    assert g.by_code("4331").name == "湘西土家族苗族自治州"
    assert not g.is_within(g.by_code("430000"), g.by_code("422822"))
    assert g.lookup("市辖区") == [] and g.by_code("310100") is None


def _surfaces(g, text, **kw):
    return [m.surface for m in g.find(text, **kw)]


@pytest.mark.parametrize("text, expected", [
    ("湖南省委组织部", ["湖南省"]),
    ("湘西州委书记", ["湘西州"]),
    ("上海市闵行区与保山市结对", ["上海市", "闵行区", "保山市"]),
    ("湖北省建始县城关镇", ["湖北省", "建始县", "城关镇"]),
    ("湘西和恩施都在武陵山片区", ["湘西", "恩施", "武陵山片区"]),
    ("湖南县级领导", ["湖南"]),                 # not 南县
    ("天津市和平区", ["天津市", "和平区"]),      # stop-listed short form, full name still matches
    ("北京市朝阳区", ["北京市", "朝阳区"]),
    ("贵州坚持尽锐出战", ["贵州"]),
])
def test_find_hits(g, text, expected):
    matches = g.find(text)
    assert [m.surface for m in matches] == expected
    assert all(text[m.start:m.end] == m.surface for m in matches)


@pytest.mark.parametrize("text", [
    "建立农民专业合作组织",            # 合作市
    "易地扶贫搬迁安置点",              # 迁安市
    "部分乡镇及村领导",                # 分乡镇 (a township)
    "建设农产品合作市场",              # 合作市 + 场
    "要适应城市发展",                  # 应城市
    "以党建引领乡村振兴",
    "书记带头上党课，大兴调查研究之风",
    "坚持绿水青山就是金山银山",
    "全州上下团结一心，实现长治久安",
    "公安机关会同有关部门做好平安建设",
    "加强东西部扶贫协作和交流合作",
    "和平发展是大方向，通道已经打通",
    "发展新兴产业，实现共同富裕",
])
def test_find_no_false_hits(g, text):
    assert _surfaces(g, text) == []


def test_find_kinds_and_township_candidates(g):
    kinds = {m.surface: m.kind for m in g.find("湘西土家族苗族自治州、湘西与武陵山连片特困地区")}
    assert kinds == {"湘西土家族苗族自治州": "full", "湘西": "short", "武陵山连片特困地区": "alias"}
    town = g.find("城关镇")[0]
    assert len(town.candidates) > 50 and {d.level for d in town.candidates} == {"township"}
    assert _surfaces(g, "城关镇", include_townships=False) == []


@pytest.mark.parametrize("surface, context, expected", [
    ("朝阳区", ["110000"], "110105"),            # 北京
    ("朝阳区", ["220000"], "220104"),            # 吉林 → 长春
    ("朝阳区", [], None),                        # two counties, no context
    ("朝阳", [], "211300"),                      # prefecture wins without context
    ("朝阳", ["110000"], "110105"),
    ("朝阳", ["211300"], "211300"),
    ("新华区", ["130900"], "130902"),            # 沧州
    ("新华区", ["410000"], "410402"),            # 河南 → 平顶山
    ("恩施", ["422822"], "422800"),              # context 建始县 → the prefecture
    ("城关镇", [], None),
    ("城关镇", ["120114"], "120114110"),         # 天津 武清区
])
def test_resolve_by_context(g, surface, context, expected):
    got = g.resolve(g.lookup(surface), [g.by_code(c) for c in context])
    assert (got.code if got else None) == expected


def test_resolve_unique_and_empty(g):
    d = g.by_code("422822")
    assert g.resolve([d], [g.by_code("110000")]) == d
    assert g.resolve([], []) is None


@pytest.mark.parametrize("surface", ["武陵山片区", "武陵山连片特困地区", "武陵山区", "武陵山集中连片特困地区"])
def test_named_area_variants(g, surface):
    (d,) = g.lookup(surface)
    assert (d.name, d.level, d.code, d.parent, d.province) == ("武陵山片区", "area", "", None, None)
    assert {p.name for p in g.area_provinces(d)} == {"湖北省", "湖南省", "重庆市", "贵州省"}


def test_named_areas_all_fourteen(g):
    labels = {d.name for s, _ in g.names() for d in g.lookup(s) if d.level == "area"}
    assert len(labels - {"三区三州"}) == 14
    assert g.lookup("燕山-太行山片区") == g.lookup("燕山—太行山片区")


@pytest.mark.parametrize("char, province", [
    ("湘", "湖南省"), ("鄂", "湖北省"), ("滇", "云南省"), ("云", "云南省"), ("黔", "贵州省"),
    ("贵", "贵州省"), ("川", "四川省"), ("蜀", "四川省"), ("沪", "上海市"), ("京", "北京市"),
    ("粤", "广东省"), ("桂", "广西壮族自治区"), ("甘", "甘肃省"), ("陇", "甘肃省"),
    ("宁", "宁夏回族自治区"), ("新", "新疆维吾尔自治区"), ("藏", "西藏自治区"), ("青", "青海省"),
    ("党", None),
])
def test_province_abbreviations(g, char, province):
    d = g.province_abbreviation(char)
    assert (d.name if d else None) == province


def test_every_province_has_an_abbreviation(g):
    covered = {g.province_abbreviation(c).code for c in "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川黔滇藏陕甘青宁新"}
    assert len(covered) == 31


def test_names_for_user_dictionary(g):
    names = dict(g.names())
    assert names["湘西"] == "short" and names["湘西土家族苗族自治州"] == "full"
    assert names["武陵山连片特困地区"] == "alias"
    assert "合作" not in names and "城关镇" not in names
    assert "城关镇" in dict(g.names(include_townships=True))


@pytest.mark.parametrize("prefix, expected", [
    ("000", {"湖南省"}),
    ("001", {"保山市", "闵行区"}),
    ("002", {"建始县", "湖北省"}),
    ("003", {"贵州省"}),
    ("004", {"巴中市"}),
])
def test_find_on_seeds(g, prefix, expected):
    import opencc

    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    text = opencc.OpenCC("t2s").convert(path.read_text(encoding="utf-8"))
    found = {d.name for m in g.find(text) for d in m.candidates}
    assert expected <= found
    assert not {"合作市", "迁安市"} & found


@pytest.mark.parametrize("city_code", ["441900", "442000", "460400"])
def test_townships_of_cities_without_counties_reach_the_province(city_code):
    """东莞/中山/儋州 have no counties: their townships hang under the city, and the chain ends."""
    gaz = gazetteer()
    towns = [d for d in gaz.lookup("长安镇") + gaz.lookup("南头镇") + gaz.lookup("那大镇")
             if d.code.startswith(city_code[:4])]
    assert towns, city_code
    for t in towns:
        chain = [a.code for a in gaz.ancestors(t)]
        assert chain[-1] == city_code[:2] + "0000" and len(chain) == len(set(chain)) <= 3
