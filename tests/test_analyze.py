"""kg.analysis.analyze and kg.analysis: exact answers on small hand-built graphs, the written files,
and the `kg analyze` command."""
from __future__ import annotations

import json
import random

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as rns
from rdflib.namespace import PROV, RDF, RDFS
from typer.testing import CliRunner

from cli import app
from kg.analysis import coverage, hierarchy as regions, markdown, network
from kg.analysis.analyze import analyze, to_json, write_analysis
from kg.vocab import KG, KGR, NIF, SDO


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


class Builder:
    """Triples in the shape kg writes: typed entities with @zh labels, relation triples with
    their rdf:Statement, articles with kg:mentions, nif:Sentence nodes, indicators."""

    def __init__(self):
        self.triples: list[tuple] = []
        self.n = 0

    def add(self, *t):
        self.triples.append(t)

    def entity(self, type_, key, label, **attrs):
        node = KGR[f"{type_.lower()}/{key}"]
        self.add(node, RDF.type, KG[type_])
        self.add(node, RDFS.label, zh(label))
        for k, v in attrs.items():
            self.add(node, KG[k], Literal(v))
        return node

    def region(self, code, label, level, parent=None):
        node = self.entity("Region", code, label, adminCode=code, level=level)
        if parent is not None:
            self.rel(node, "partOf", parent)
        return node

    def rel(self, s, pred, o, article=None):
        self.n += 1
        self.add(s, KG[pred], o)
        st = KGR[f"statement/{self.n}"]
        for p, v in ((RDF.type, RDF.Statement), (RDF.subject, s), (RDF.predicate, KG[pred]),
                     (RDF.object, o), (KG.pattern, Literal("test"))):
            self.add(st, p, v)
        if article is not None:
            self.add(st, PROV.wasDerivedFrom, article)

    def article(self, key, title, home=None, sentences=None, covered=()):
        a = KGR[f"article/{key}"]
        self.add(a, RDF.type, KG.Article)
        self.add(a, RDFS.label, zh(title))
        self.add(a, KG.sourceFile, Literal(f"{key}.txt"))
        if home is not None:
            self.add(a, SDO.spatialCoverage, home)
        if sentences is not None:
            self.add(a, KG.sentenceCount, Literal(sentences))
        for i in covered:
            s = sentence(a, i)
            for p, o in ((RDF.type, NIF.Sentence), (NIF.referenceContext, a),
                         (NIF.beginIndex, Literal(i * 10)), (NIF.endIndex, Literal(i * 10 + 9)),
                         (NIF.anchorOf, zh(f"句子{i}")), (KG.sentenceIndex, Literal(i))):
                self.add(s, p, o)
        return a

    def figure(self, key, text, value, unit, region, measures=None, article=None, sentence_index=0,
               year=None):
        i = KGR[f"indicator/{key}"]
        self.add(i, RDF.type, KG.Indicator)
        self.add(i, RDFS.label, zh(text))
        self.add(i, KG.value, Literal(str(value), datatype=rns.XSD.decimal))
        self.add(i, KG.unit, Literal(unit))
        self.add(i, KG.inRegion, region)
        if measures is not None:
            self.add(i, KG.measures, measures)
        if year:
            self.add(i, KG.year, Literal(str(year), datatype=rns.XSD.gYear))
        if article is not None:
            self.add(article, KG.mentions, i)
            self.add(i, KG.evidence, sentence(article, sentence_index))
        return i

    def graph(self, shuffle_seed=None) -> Graph:
        triples = list(self.triples)
        if shuffle_seed is not None:
            random.Random(shuffle_seed).shuffle(triples)
        g = Graph()
        for t in triples:
            g.add(t)
        return g


def sentence(article, index):
    return URIRef(f"{article}/s{index}")


def sample() -> Builder:
    """Two provinces. Hunan: 湘西州 under it, 泸溪县 under that; Yunnan: 保山市. A cross-province
    area with no parent. Bodies, programmes, measures, groups, figures and two articles."""
    b = Builder()
    hunan = b.region("430000", "湖南省", "province")
    xiangxi = b.region("433100", "湘西土家族苗族自治州", "prefecture", hunan)
    luxi = b.region("433122", "泸溪县", "county", xiangxi)
    yunnan = b.region("530000", "云南省", "province")
    baoshan = b.region("530500", "保山市", "prefecture", yunnan)
    b.entity("Region", "wuling", "武陵山片区", level="area")
    a1 = b.article("a1", "湖南文章", home=hunan, sentences=10, covered=(0, 2, 5))
    a2 = b.article("a2", "保山文章", home=baoshan, sentences=4, covered=(0, 1, 2, 3))
    b.article("a3", "无句数文章")            # a graph without kg:sentenceCount

    hn = b.entity("Body", "hn", "湖南省委")
    hn_org = b.entity("Body", "hnzzb", "湖南省委组织部")
    lx = b.entity("Body", "lx", "泸溪县委")
    bs = b.entity("Body", "bs", "保山市委")
    b.entity("Body", "zzb", "中共中央组织部")        # no region, no relation
    furong = b.entity("Programme", "furong", "芙蓉人才行动计划")
    dongxi = b.entity("Programme", "dongxi", "东西部扶贫协作")
    jifen = b.entity("Measure", "jifen", "党员积分制管理")
    junling = b.entity("Measure", "junling", "签订军令状")
    shuji = b.entity("Group", "shuji", "第一书记")
    team = b.entity("Group", "team", "驻村工作队")
    poor = b.entity("Group", "poor", "贫困户")

    b.rel(hn, "locatedIn", hunan, a1)
    b.rel(hn_org, "locatedIn", hunan, a1)
    b.rel(hn_org, "subOrganizationOf", hn, a1)
    b.rel(lx, "locatedIn", luxi, a1)
    b.rel(bs, "locatedIn", baoshan, a2)
    b.rel(hn, "implements", furong, a1)
    b.rel(furong, "appliesIn", hunan, a1)
    b.rel(furong, "targets", shuji, a1)
    b.rel(dongxi, "appliesIn", xiangxi, a1)
    b.rel(dongxi, "appliesIn", baoshan, a2)
    b.rel(lx, "implements", jifen, a1)
    b.rel(jifen, "appliesIn", luxi, a1)
    b.rel(jifen, "targets", poor, a1)
    for e in (hunan, xiangxi, luxi, hn, hn_org, lx, furong, dongxi, jifen, shuji, team, poor):
        b.add(a1, KG.mentions, e)
    for e in (yunnan, baoshan, bs, dongxi, junling, poor):
        b.add(a2, KG.mentions, e)
    b.figure("a1/1", "225支工作队", 225, "支", xiangxi, team, a1, 2, year=2018)
    b.figure("a1/2", "村党组织书记平均年龄46.3岁", 46.3, "岁", hunan, zh("平均年龄"), a1, 0)
    b.figure("a2/1", "贫困户1000户", 1000, "户", baoshan, poor, a2, 1)
    b.figure("a2/2", "8个乡镇", 8, "个", baoshan, None, a2, 3)
    return b


@pytest.fixture(scope="module")
def g() -> Graph:
    return sample().graph()


@pytest.fixture(scope="module")
def result(g) -> dict:
    return analyze(g)


# --- the one RDF → NetworkX conversion -----------------------------------------------------

def test_to_networkx_nodes_edges_and_attributes(g):
    G = network.to_networkx(g)
    assert G.number_of_nodes() == 6 + 5 + 4 + 3          # regions, bodies, initiatives, groups
    # 3 partOf, 4 locatedIn, 1 subOrganizationOf, 2 implements, 4 appliesIn, 2 targets
    assert G.number_of_edges() == 16
    hn, hunan = str(KGR["body/hn"]), str(KGR["region/430000"])
    assert G.nodes[hn] == {"type": "Body", "label": "湖南省委", "articles": ["a1"]}
    assert G.edges[hn, hunan]["relations"] == ["locatedIn"]
    assert G.degree(hn) == 3                              # 湖南省, 组织部, 芙蓉人才行动计划
    assert G.degree(str(KGR["body/zzb"])) == 0
    assert not any("/indicator/" in n or "/article/" in n for n in G)
    # indicators only when asked, linked by measures and inRegion
    H = network.to_networkx(g, indicators=True)
    ind = str(KGR["indicator/a1/1"])
    assert H.nodes[ind]["type"] == "Indicator"
    assert sorted(H[ind]) == [str(KGR["group/team"]), str(KGR["region/433100"])]
    assert H.number_of_nodes() == G.number_of_nodes() + 4


def test_to_networkx_does_not_depend_on_triple_order():
    a = network.to_networkx(sample().graph())
    b = network.to_networkx(sample().graph(shuffle_seed=3))
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(data=True)) == list(b.edges(data=True))


def test_two_relations_between_one_pair_are_one_edge():
    b = Builder()
    r1 = b.region("430000", "湖南省", "province")
    r2 = b.region("530000", "云南省", "province")
    b.rel(r1, "pairedWith", r2)
    b.rel(r2, "pairedWith", r1)
    b.rel(r1, "partOf", r2)
    G = network.to_networkx(b.graph())
    assert G.number_of_edges() == 1
    assert G.edges[str(r1), str(r2)]["relations"] == ["pairedWith", "partOf"]


# --- centrality ---------------------------------------------------------------------------

def path_graph() -> Graph:
    """R —appliesIn— P1 —implements— B —implements— P2 —targets— G, and an isolated measure:
    betweenness (normalised over 6 nodes, 10 pairs) B 4/10, P1 3/10, P2 3/10."""
    b = Builder()
    r = b.region("430000", "湖南省", "province")
    body = b.entity("Body", "b", "某县委")
    p1 = b.entity("Programme", "p1", "甲计划")
    p2 = b.entity("Programme", "p2", "乙计划")
    grp = b.entity("Group", "g", "贫困户")
    b.entity("Measure", "m", "孤立措施")
    b.rel(body, "implements", p1)
    b.rel(body, "implements", p2)
    b.rel(p1, "appliesIn", r)
    b.rel(p2, "targets", grp)
    return b.graph()


def test_centrality_exact_values():
    G = network.to_networkx(path_graph())
    c = network.centrality(G, ("Body", "Programme", "Measure", "Group"))
    strip = {t: [(r["label"], r["degree"], r["betweenness"]) for r in rows] for t, rows in c.items()}
    assert strip == {
        "Body": [("某县委", 2, 0.4)],
        "Programme": [("乙计划", 2, 0.3), ("甲计划", 2, 0.3)],   # tie: by label (code point)
        "Measure": [("孤立措施", 0, 0.0)],
        "Group": [("贫困户", 1, 0.0)],
    }


def test_centrality_ranks_by_degree_then_betweenness_and_lists_articles(g, result):
    bodies = result["centrality"]["types"]["Body"]
    assert [(r["label"], r["degree"]) for r in bodies] == [
        ("湖南省委", 3), ("泸溪县委", 2), ("湖南省委组织部", 2), ("保山市委", 1),
        ("中共中央组织部", 0)]
    assert bodies[0]["articles"] == ["a1"]
    # 湖南省委 is on one of the two shortest paths from 组织部 to 芙蓉计划 and to 第一书记:
    # 2 × 1/2 over the 17 × 16 / 2 pairs of 18 nodes
    assert bodies[0]["betweenness"] == round(1 / 136, 6) == 0.007353
    assert bodies[1]["betweenness"] == 0.0           # 泸溪县委 sits in a triangle
    assert result["centrality"]["betweenness"] == {"method": "exact"}


def test_betweenness_is_sampled_above_the_cap(monkeypatch):
    G = network.to_networkx(path_graph())
    monkeypatch.setattr(network, "EXACT_BETWEENNESS_MAX", 3)
    monkeypatch.setattr(network, "BETWEENNESS_SAMPLE", 4)
    values, method = network.betweenness(G)
    assert method == {"method": "sampled", "k": 4, "seed": network.SEED}
    assert values == network.betweenness(G)[0]          # seeded: the same twice
    assert set(values) == set(G)


def test_sampled_betweenness_gives_networkxs_numbers():
    """igraph's estimate is networkx's: the same sources, the same sums up to the order they are
    added in (the last bits of a float)."""
    import networkx as nx
    import pytest

    G = nx.relabel_nodes(nx.gnm_random_graph(80, 160, seed=1), lambda i: f"n{i:03d}")
    G.add_edge("x", "y")                                 # a second component
    G.add_node("z")                                      # and an isolated node
    for k, seed in ((7, 3), (40, 42), (83, 5)):
        ours = network.sampled_betweenness(G, k, seed)
        theirs = nx.betweenness_centrality(G, k=k, normalized=True, seed=seed)
        assert list(ours) == list(theirs)
        assert ours == {v: pytest.approx(x, rel=1e-12, abs=1e-15) for v, x in theirs.items()}
        assert any(x > 0 for x in ours.values())


def test_sample_size_shrinks_on_a_large_graph_to_a_floor():
    assert network.sample_size(14_903, 108_237) == network.BETWEENNESS_SAMPLE   # 10,000 articles
    assert network.sample_size(50, 10) == 50
    big = network.sample_size(100_000, 1_000_000)
    assert big == network.BETWEENNESS_MIN_SAMPLE < network.BETWEENNESS_SAMPLE
    assert network.sample_size(30_000, 300_000) < network.BETWEENNESS_SAMPLE


# --- communities --------------------------------------------------------------------------

def two_triangles() -> Graph:
    """Triangles {湖南省委, 芙蓉计划, 湖南省} and {保山市委, 积分管理, 保山市} joined by one
    edge 湖南省 — 保山市 (pairedWith), and one isolated group."""
    b = Builder()
    r1 = b.region("430000", "湖南省", "province")
    r2 = b.region("530500", "保山市", "prefecture")
    a = b.entity("Body", "a", "湖南省委")
    p = b.entity("Programme", "p", "芙蓉计划")
    c = b.entity("Body", "c", "保山市委")
    m = b.entity("Measure", "m", "积分管理")
    b.entity("Group", "g", "孤立群体")
    for s, pred, o in ((a, "implements", p), (p, "appliesIn", r1), (a, "locatedIn", r1),
                       (c, "implements", m), (m, "appliesIn", r2), (c, "locatedIn", r2),
                       (r1, "pairedWith", r2)):
        b.rel(s, pred, o)
    return b.graph()


def test_communities_exact():
    G = network.to_networkx(two_triangles())
    found, isolated = network.communities(G)
    assert isolated == 1
    assert [(c["name"], c["size"], c["internal_edges"], c["types"]) for c in found] == [
        ("保山市 · 保山市委 · 积分管理", 3, 3, {"Region": 1, "Body": 1, "Measure": 1}),
        ("湖南省 · 湖南省委 · 芙蓉计划", 3, 3, {"Region": 1, "Body": 1, "Programme": 1}),
    ]
    assert [m["degree"] for m in found[0]["members"]] == [3, 2, 2]
    # two triangles and a bridge: m = 7, each side 3 inner edges and degree sum 7
    assert network.modularity(G, found) == round(2 * (3 / 7 - (7 / 14) ** 2), 6) == 0.357143


def test_communities_see_the_nodes_in_the_graphs_order_whatever_the_hash_seed(monkeypatch):
    """With most nodes isolated, a subgraph view would list the rest from a set (an order that
    changes with PYTHONHASHSEED, and igraph's Louvain with it): igraph gets them in G's order."""
    import networkx as nx

    G = nx.Graph()
    for i in range(400):
        G.add_node(f"n{i:03d}", type="Body", label=f"L{i}", articles=[])
    G.add_edges_from((f"n{i:03d}", f"n{(i * 7 + 3) % 120:03d}") for i in range(120) if (i * 7 + 3) % 120 != i)
    seen = []
    louvain = network.igraphs.louvain
    monkeypatch.setattr(network.igraphs, "louvain", lambda H, seed: seen.append((list(H), list(H.edges()))) or louvain(H, seed))
    network.communities(G)
    connected = [n for n in G if G.degree(n) > 0]
    assert seen == [(connected, list(G.edges()))] and len(connected) < len(G) / 2


def test_communities_same_for_any_seed_order_and_none_without_edges():
    a = network.communities(network.to_networkx(two_triangles()))
    b = network.communities(network.to_networkx(two_triangles()), seed=7)
    assert [c["name"] for c in a[0]] == [c["name"] for c in b[0]]
    bare = Builder()
    bare.entity("Group", "g", "孤立群体")
    G = network.to_networkx(bare.graph())
    assert network.communities(G) == ([], 1)
    assert network.modularity(G, []) is None


# --- regions ------------------------------------------------------------------------------

def test_region_hierarchy(g, result):
    h = result["regions"]
    assert h == regions.region_hierarchy(g)
    assert h["levels"] == {"province": 2, "prefecture": 2, "county": 1, "area": 1}
    assert [r["label"] for r in h["roots"]] == ["湖南省", "云南省", "武陵山片区"]
    hunan = h["roots"][0]
    xiangxi = hunan["children"][0]
    luxi = xiangxi["children"][0]
    assert (luxi["label"], luxi["level"], luxi["children"]) == ("泸溪县", "county", [])
    counts = lambda n, suffix="": tuple(n[k + suffix] for k in ("bodies", "initiatives", "figures", "articles"))
    assert counts(hunan) == (2, 1, 1, 1)            # 省委, 组织部; 芙蓉; 46.3岁; a1
    assert counts(hunan, "_total") == (3, 3, 2, 1)  # + 泸溪县委; 东西部, 积分; 225支
    assert counts(xiangxi) == (0, 1, 1, 0)
    assert counts(luxi) == (1, 1, 0, 0)
    yunnan = h["roots"][1]
    assert counts(yunnan, "_total") == (1, 1, 2, 1)


def test_region_comparison(g, result):
    c = result["comparison"]
    assert c == regions.region_comparison(g)
    assert [p["label"] for p in c["provinces"]] == ["湖南省", "云南省"]
    rows = {r["label"]: r for r in c["initiatives"]}
    assert rows["东西部扶贫协作"]["provinces"] == ["湖南省", "云南省"]
    assert rows["东西部扶贫协作"]["applies_in"] == ["湖南省", "云南省"]
    assert rows["东西部扶贫协作"]["articles"] == ["a1", "a2"]
    # 签订军令状 applies nowhere, but an article about 保山市 (云南省) mentions it
    assert (rows["签订军令状"]["applies_in"], rows["签订军令状"]["mentioned_in"]) == ([], ["云南省"])
    assert c["shared"] == ["东西部扶贫协作"]
    assert c["single"] == {"湖南省": ["党员积分制管理", "芙蓉人才行动计划"], "云南省": ["签订军令状"]}
    assert c["unplaced"] == []
    assert c["initiatives"][0]["label"] == "东西部扶贫协作"          # shared first


def test_same_label_programme_and_measure_told_apart():
    b = Builder()
    r = b.region("430000", "湖南省", "province")
    for t in ("Programme", "Measure"):
        b.rel(b.entity(t, "x", "五个一批"), "appliesIn", r)
    b.entity("Measure", "y", "无处措施")
    c = regions.region_comparison(b.graph())
    assert c["single"] == {"湖南省": ["五个一批 (Measure)", "五个一批 (Programme)"]}
    assert c["unplaced"] == ["无处措施"]


def test_province_profiles(g, result):
    profiles = result["provinces"]
    assert profiles == regions.province_profiles(g)
    hunan, yunnan = profiles
    assert (hunan["label"], hunan["code"], hunan["articles"]) == ("湖南省", "430000", ["a1"])
    assert hunan["bodies"] == [{"label": "泸溪县委", "region": "泸溪县"},
                               {"label": "湖南省委", "region": "湖南省"},
                               {"label": "湖南省委组织部", "region": "湖南省"}]
    # groups with most figures and targeting initiatives first, then by label
    assert hunan["groups"] == [
        {"label": "第一书记", "figures": [], "targeted_by": ["芙蓉人才行动计划"]},
        {"label": "贫困户", "figures": [], "targeted_by": ["党员积分制管理"]},
        {"label": "驻村工作队", "figures": ["225支 (2018)"], "targeted_by": []},
    ]
    # figures in text order: sentence 0 (46.3岁) before sentence 2 (225支)
    assert [(f["text"], f["value"], f["unit"], f["measures"], f["region"], f["year"], f["article"])
            for f in hunan["figures"]] == [
        ("村党组织书记平均年龄46.3岁", 46.3, "岁", ["平均年龄"], "湖南省", None, "a1"),
        ("225支工作队", 225, "支", ["驻村工作队"], "湘西土家族苗族自治州", "2018", "a1")]
    assert [f["text"] for f in yunnan["figures"]] == ["贫困户1000户", "8个乡镇"]
    assert yunnan["figures"][1]["measures"] == []
    assert yunnan["groups"] == [{"label": "贫困户", "figures": ["1000户"], "targeted_by": []}]
    assert yunnan["bodies"] == [{"label": "保山市委", "region": "保山市"}]


# --- coverage -----------------------------------------------------------------------------

def test_article_coverage(g, result):
    rows = result["coverage"]
    assert rows == coverage.article_coverage(g)
    a1, a2, a3 = rows
    assert (a1["id"], a1["title"], a1["file"], a1["home"]) == ("a1", "湖南文章", "a1.txt", "湖南省")
    assert a1["entities"] == {"Region": 3, "Body": 3, "Group": 3, "Programme": 2, "Measure": 1,
                              "Document": 0, "Person": 0}
    assert (a1["indicators"], a1["relation_statements"]) == (2, 11)
    assert (a1["sentences"], a1["sentences_with_extraction"], a1["sentences_without_extraction"],
            a1["empty_sentences"], a1["coverage"]) == (10, 3, 7, [1, 3, 4, 6, 7, 8, 9], 0.3)
    assert (a2["sentences"], a2["sentences_without_extraction"], a2["empty_sentences"],
            a2["coverage"]) == (4, 0, [], 1.0)
    assert (a2["indicators"], a2["relation_statements"]) == (2, 2)
    assert (a3["sentences"], a3["sentences_without_extraction"], a3["coverage"]) == (None, None, None)


def test_graph_summary(result):
    assert result["graph"] == {
        "entities": 18,
        "entities_by_type": {"Region": 6, "Body": 5, "Group": 3, "Programme": 2, "Measure": 2,
                             "Document": 0, "Person": 0},
        "links": 16, "indicators": 4, "articles": 3, "components": 5, "isolated": 4,
    }


# --- the written files ----------------------------------------------------------------------

def test_json_and_markdown_agree_and_are_reproducible(tmp_path):
    paths = write_analysis(sample().graph(), tmp_path / "a")
    write_analysis(sample().graph(shuffle_seed=11), tmp_path / "b")
    for name in ("analysis.md", "analysis.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["analysis.json", "analysis.md"]
    data = json.loads(paths["analysis.json"].read_text("utf-8"))
    assert data == json.loads(to_json(analyze(sample().graph())))
    md = paths["analysis.md"].read_text("utf-8")
    for heading in ("## Most central", "## Communities", "### Hierarchy", "### Region × initiative",
                    "### Provinces", "## Articles: coverage"):
        assert heading in md
    assert "| 东西部扶贫协作 | Programme | ● | ● |" in md
    assert "- 湖南省 (province, 430000): bodies 2, initiatives 1, figures 1, articles 1" in md
    assert "| `a1` | 湖南文章 | 湖南省 | 10 | 3 | 7 | 30% |" in md
    assert "| 225支工作队 | 225 | 支 | 驻村工作队 | 湘西土家族苗族自治州 | 2018 | `a1` |" in md


def test_markdown_escapes_article_text():
    b = sample()
    b.entity("Body", "evil", "<script>alert(1)</script>|县委*")
    b.rel(KGR["body/evil"], "locatedIn", KGR["region/430000"])
    md = markdown.render_markdown(analyze(b.graph()))
    assert "<script>" not in md and "&lt;script&gt;alert(1)&lt;/script&gt;\\|县委\\*" in md


def test_markdown_cuts_long_lists(monkeypatch):
    monkeypatch.setattr(markdown, "MAX_ROWS", 1)
    monkeypatch.setattr(markdown, "MAX_REGIONS", 2)
    md = markdown.render_markdown(analyze(sample().graph()))
    assert "… and 1 more figures in `analysis.json`." in md
    assert "… and 4 more regions in `analysis.json`." in md
    assert "泸溪县 (county" not in md and "湘西土家族苗族自治州 (prefecture" in md


def test_empty_graph():
    r = analyze(Graph())
    assert r["graph"]["entities"] == 0 and r["communities"]["list"] == []
    assert r["coverage"] == [] and r["regions"] == {"levels": {}, "roots": []}
    assert markdown.render_markdown(r).startswith("# kg analysis\n")


def test_cli_analyze(tmp_path):
    ttl = tmp_path / "g.ttl"
    sample().graph().serialize(ttl, format="turtle")
    runner = CliRunner()
    res = runner.invoke(app, ["analyze", "--graph", str(ttl), "--out", str(tmp_path / "o")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "o" / "analysis.md").exists() and "analysis.json" in res.stdout
    data = json.loads((tmp_path / "o" / "analysis.json").read_text("utf-8"))
    assert data == json.loads(to_json(analyze(sample().graph())))
    res = runner.invoke(app, ["analyze", "--graph", str(tmp_path / "missing.ttl")])
    assert res.exit_code == 2 and "no such graph file" in res.stderr


def test_queries_on_the_oxigraph_copy_give_rdflibs_answers():
    """analyze() runs its SPARQL on an Oxigraph copy; every query gives the rows rdflib gives."""
    from pathlib import Path

    from kg.analysis.common import rows as plain_rows, select
    from kg.graph.oxgraph import OxGraph
    from kg.analysis.coverage import ARTICLES, MENTIONED_TYPES, PER_ARTICLE, SENTENCES
    from kg.analysis import hierarchy as R
    from kg.analysis.figures import FIGURES

    g = Graph()
    g.parse(Path(__file__).resolve().parent.parent / "output" / "graph.ttl")
    queries = [(ARTICLES, {}), (MENTIONED_TYPES, {}), (SENTENCES, {}),
               (PER_ARTICLE, {"t": KG.Mention, "p": NIF.referenceContext}),
               (R.REGIONS, {}), (R.PROVINCE_OF, {}), (R.BODIES, {}), (FIGURES, {}),
               (R.TARGETED, {}), (R.INITIATIVES, {}),
               (R.INITIATIVE_ARTICLES, {}), (R.ATTACHED, {"p": KG.appliesIn, "t": KG.Programme})]
    def answer(graph, q, b):        # GROUP_CONCAT's order is the engine's own: compare as sets
        found = select(graph, q, **b)
        if q is SENTENCES:
            found = [(a, n, tuple(sorted(str(i).split()))) for a, n, i in found]
        return sorted(found)

    plain = [answer(g, q, b) for q, b in queries]
    copy = OxGraph.of(g)
    mirrored = [answer(copy, q, b) for q, b in queries]
    assert all(plain)
    assert mirrored == plain
    for q, b in queries[3:6]:       # and as plain values, read from Oxigraph or from rdflib's terms
        assert sorted(plain_rows(copy, q, **b), key=repr) == sorted(plain_rows(g, q, **b), key=repr)


def test_coverage_tallied_by_the_build_is_the_graphs(tmp_path):
    """kg build counts each article's coverage from its extraction as it writes the graph
    (CoverageTally); the rows are those the graph alone gives (kg analyze --graph)."""
    from pathlib import Path

    from kg.analysis.coverage import CoverageTally
    from kg.graph.rdf import build_graph
    from kg.graph.shards import GraphShards
    from kg.pipeline import extract_paths

    result = extract_paths([Path(__file__).resolve().parent.parent / "seeds"])
    shards = GraphShards(tmp_path, result.entities)
    tally = CoverageTally(shards.iris, result.entities)
    for ex in result.extractions:
        tally.add(ex)
    shards.close()
    rows = tally.rows()
    assert rows == coverage.article_coverage(build_graph(result.extractions, result.entities))
    assert len(rows) > 1 and all(r["empty_sentences"] and r["relation_statements"] for r in rows)


def test_figures_gathered_by_the_build_are_the_graphs(tmp_path):
    """kg build gathers the figures from each extraction as it writes the graph (FigureTally):
    the rows the graph alone gives (kg analyze --graph), and a build's analysis files are those
    ``kg analyze --graph`` writes from its graph.ttl."""
    from pathlib import Path

    from kg.analysis.figures import FigureTally, figure_rows
    from kg.graph.oxgraph import OxGraph
    from kg.graph.rdf import build_graph
    from kg.graph.shards import GraphShards
    from kg.pipeline import extract_paths

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    result = extract_paths([seeds])
    shards = GraphShards(tmp_path, result.entities)
    tally = FigureTally(shards.iris)
    for ex in result.extractions:
        tally.add(ex)
    shards.close()
    graph = OxGraph.of(build_graph(result.extractions, result.entities))
    got = tally.rows()
    assert sorted(got, key=repr) == sorted(figure_rows(graph), key=repr)
    assert len(got) > 10 and any(r[8] and r[9] is True for r in got) \
        and any(r[8] and r[9] is False for r in got) and any(isinstance(r[2], int) for r in got)

    out, again, runner = tmp_path / "out", tmp_path / "again", CliRunner()
    res = runner.invoke(app, ["build", str(seeds), "--out", str(out)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["analyze", "--graph", str(out / "graph.ttl"), "--out", str(again)])
    assert res.exit_code == 0, res.output
    for name in ("analysis.json", "analysis.md"):
        assert (out / name).read_bytes() == (again / name).read_bytes()


def test_analysis_json_is_written_piece_by_piece_with_the_same_bytes():
    """write_analysis streams analysis.json (json.dumps of an indented 10,000-article result held
    ~300 MB of pieces at once, the build's peak); the bytes are to_json's."""
    import io

    from kg.analysis.analyze import dump_json

    result = analyze(sample().graph())
    result["extra"] = [{"标题": "x<y>&\u2028", "n": 1.5, "empty": [], "nested": {"a": None}}]
    result["keys"] = {True: {None: 1, 2: [3]}, None: {}, 4.5: "x"}     # keys as orjson writes them
    buf = io.BytesIO()
    dump_json(result, buf)
    assert buf.getvalue() == to_json(result).encode("utf-8")
    assert json.loads(buf.getvalue())["keys"] == {"true": {"null": 1, "2": [3]}, "null": {}, "4.5": "x"}
