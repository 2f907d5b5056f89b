"""kg.outputs.view.render_html: counts, pyvis builds the page, offline page, escaping of article text, node
cap, reproducibility."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import pyvis
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as rns

from kg.outputs import view as viz
from kg.resources import data_path
from kg.vocab import KG, KGR, NIF, PROV

RDF, RDFS, SKOS, XSD_DEC = rns.RDF, rns.RDFS, rns.SKOS, rns.XSD.decimal
XSS_LABEL = "<script>alert(1)</script>县委"
XSS_SENT = "县委印发<img src=x onerror=alert(1)>通知</script><script>alert(2)</script>。"


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


class Builder:
    """A small graph with the shape kg writes (entities, reified relations, NIF evidence)."""

    def __init__(self):
        self.g = Graph()
        self.n = 0
        self.article = KGR["article/a1"]
        self.g.add((self.article, RDF.type, KG.Article))
        self.g.add((self.article, RDFS.label, zh("示范文章")))
        self.g.add((self.article, KG.sourceFile, Literal("seeds/a1.txt")))

    def entity(self, type_, key, label, *aliases, **attrs):
        node = KGR[f"{type_.lower()}/{key}"]
        self.g.add((node, RDF.type, KG[type_]))
        self.g.add((node, RDFS.label, zh(label)))
        for a in aliases:
            self.g.add((node, SKOS.altLabel, zh(a)))
        for k, v in attrs.items():
            self.g.add((node, KG[k], Literal(v)))
        self.g.add((self.article, KG.mentions, node))
        return node

    def sentence(self, text):
        self.n += 1
        sent = KGR[f"sentence/a1/{self.n}"]
        for p, o in ((RDF.type, NIF.Sentence), (NIF.anchorOf, Literal(text)),
                     (NIF.referenceContext, self.article), (NIF.beginIndex, Literal(self.n * 100)),
                     (NIF.endIndex, Literal(self.n * 100 + len(text)))):
            self.g.add((sent, p, o))
        return sent

    def mention(self, entity, sent, surface):
        self.n += 1
        m = KGR[f"mention/a1/{self.n}"]
        for p, o in ((RDF.type, KG.Mention), (KG.denotes, entity), (NIF.sentence, sent),
                     (NIF.anchorOf, Literal(surface))):
            self.g.add((m, p, o))

    def relation(self, s, pred, o, sent, pattern="test-rule"):
        self.n += 1
        st = KGR[f"statement/{self.n}"]
        self.g.add((s, KG[pred], o))
        for p, v in ((RDF.type, RDF.Statement), (RDF.subject, s), (RDF.predicate, KG[pred]),
                     (RDF.object, o), (KG.evidence, sent), (KG.pattern, Literal(pattern)),
                     (PROV.wasDerivedFrom, self.article)):
            self.g.add((st, p, v))


def sample_graph() -> Graph:
    b = Builder()
    hunan = b.entity("Region", "430000", "湖南省", "湖南", adminCode="430000", level="province")
    xiangxi = b.entity("Region", "433100", "湘西土家族苗族自治州", "湘西", adminCode="433100",
                       level="prefecture")
    yunnan = b.entity("Region", "530000", "云南省", adminCode="530000", level="province")
    committee = b.entity("Body", "hn-w", "湖南省委", "省委")
    dept = b.entity("Body", "hn-zzb", "湖南省委组织部", "省委组织部")
    evil = b.entity("Body", "evil", XSS_LABEL)
    doc = b.entity("Document", "d1", "关于切实做好抓党建促脱贫攻坚工作的通知")
    prog = b.entity("Programme", "p1", "芙蓉人才行动计划")
    group = b.entity("Group", "g1", "驻村工作队", "工作队")
    b.entity("Person", "x", "张三")      # no relation: a node of degree 0
    s1 = b.sentence("湖南省委组织部印发《关于切实做好抓党建促脱贫攻坚工作的通知》。")
    s2 = b.sentence("省委实施芙蓉人才行动计划，向湘西派出驻村工作队。")
    s3 = b.sentence(XSS_SENT)
    b.mention(dept, s1, "湖南省委组织部")
    b.mention(committee, s2, "省委")
    b.mention(evil, s3, XSS_LABEL)
    b.relation(xiangxi, "partOf", hunan, s2, "gazetteer-parent")
    b.relation(committee, "locatedIn", hunan, s2)
    b.relation(dept, "locatedIn", hunan, s1)
    b.relation(dept, "subOrganizationOf", committee, s1)
    b.relation(dept, "issued", doc, s1, "issue-verb+《》")
    b.relation(committee, "implements", prog, s2)
    b.relation(prog, "appliesIn", hunan, s2)
    b.relation(prog, "targets", group, s2)
    b.relation(evil, "issued", doc, s3, "<b>pattern</b>")
    b.relation(evil, "locatedIn", yunnan, s3)
    # pairedWith stated both ways: one edge
    b.relation(hunan, "pairedWith", yunnan, s2)
    b.relation(yunnan, "pairedWith", hunan, s2)
    ind = KGR["indicator/a1/1"]
    for p, o in ((RDF.type, KG.Indicator), (RDFS.label, zh("8761支工作队")),
                 (KG.value, Literal("8761", datatype=XSD_DEC)), (KG.unit, Literal("支")),
                 (KG.measures, group), (KG.inRegion, hunan), (KG.evidence, s2)):
        b.g.add((ind, p, o))
    ind2 = KGR["indicator/a1/2"]
    for p, o in ((RDF.type, KG.Indicator), (RDFS.label, zh("46.3岁")),
                 (KG.value, Literal("46.3", datatype=XSD_DEC)), (KG.unit, Literal("岁")),
                 (KG.measures, Literal("平均年龄", lang="zh")), (KG.inRegion, xiangxi)):
        b.g.add((ind2, p, o))
    return b.g


# nodes: 3 regions, 3 bodies, document, programme, group, person, 2 indicators
N_NODES = 12
# 11 relations (pairedWith once) + 2 measures/inRegion + 1 inRegion
N_EDGES = 14


@pytest.fixture(scope="module")
def graph() -> Graph:
    return sample_graph()


@pytest.fixture(scope="module")
def page(graph, tmp_path_factory) -> tuple[dict, str]:
    out = tmp_path_factory.mktemp("viz") / "sub" / "kg.html"
    stats = viz.render_html(graph, out, title="测试<图>")
    return stats, out.read_text(encoding="utf-8")


def embedded_data(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    assert m
    return json.loads(m.group(1))


def test_counts(page):
    stats, html = page
    assert stats == {"nodes": N_NODES, "edges": N_EDGES, "omitted": 0, "entities": 10, "indexed": 10}
    data = embedded_data(html)
    assert len(data["nodes"]) == N_NODES and len(data["edges"]) == N_EDGES
    labels = {e["label"] for e in data["edges"]}
    assert labels == {"partOf", "locatedIn", "subOrganizationOf", "issued", "implements",
                      "appliesIn", "targets", "pairedWith", "measures", "inRegion"}
    ids = {n["id"] for n in data["nodes"]}
    assert not any("/article/" in i or "/sentence/" in i or "/mention/" in i
                   or "/statement/" in i for i in ids)
    assert [e["arrows"]["to"]["enabled"] for e in data["edges"]
            if e["label"] == "pairedWith"] == [False]


def test_node_details(page):
    data = embedded_data(page[1])
    nodes = {n["label"]: n for n in data["nodes"]}
    dept = nodes["湖南省委组织部"]
    assert dept["type"] == "Body" and dept["aliases"] == ["省委组织部"]
    assert dept["regions"] == ["湖南省"] and dept["articles"] == ["示范文章"]
    assert dept["evidence"][0][0].startswith("湖南省委组织部印发")
    assert nodes["湘西土家族苗族自治州"]["provinces"] == [str(KGR["region/430000"])]
    # a group takes its province from what it is linked to
    assert nodes["驻村工作队"]["provinces"] == [str(KGR["region/430000"])]
    assert ["measures", "平均年龄"] in nodes["46.3岁"]["facts"]
    assert nodes["8761支工作队"]["size"] < nodes["湖南省"]["size"]
    assert nodes["张三"]["degree"] == 0
    issued = [e for e in data["edges"] if e["label"] == "issued"
              and e["from"] == str(KGR["body/hn-zzb"])][0]
    assert issued["evidence"] == [[
        "湖南省委组织部印发《关于切实做好抓党建促脱贫攻坚工作的通知》。", "示范文章", "issue-verb+《》"]]
    assert sorted(p[1] for p in data["provinces"]) == ["云南省", "湖南省"]


def test_offline(page):
    html = page[1]
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert not re.search(r"@import|sourceMappingURL", html)
    assert "<script src" not in html and "<link" not in html
    assert "vis-network" in html and "vis.Network" in html and len(html) > 400_000
    assert "default-src 'none'" in html


def test_pyvis_renders_the_page(graph, tmp_path, monkeypatch):
    """The page is pyvis's: a Network holds every node and edge and renders our template with
    its data and options; the vis-network inlined is the one pyvis's in_line template includes."""
    from pyvis.network import Network
    rendered = []
    real = Network.generate_html
    monkeypatch.setattr(Network, "generate_html",
                        lambda self, *a, **kw: rendered.append(self) or real(self, *a, **kw))
    out = tmp_path / "kg.html"
    viz.render_html(graph, out)
    [net] = rendered
    assert net.cdn_resources == "in_line" and net.path == "page.html"
    assert len(net.nodes) == N_NODES and len(net.edges) == N_EDGES
    html = out.read_text("utf-8")
    data = embedded_data(html)
    assert data["nodes"] == net.nodes and data["edges"] == net.edges
    assert data["options"] == net.options
    assert [n["group"] for n in data["nodes"]] == [n["type"] for n in data["nodes"]]
    assert set(data["options"]["groups"]) == set(viz.NODE_TYPES)
    evil = [n for n in data["nodes"] if n["label"] == XSS_LABEL][0]
    assert evil["title"].startswith(XSS_LABEL + "\n") and XSS_SENT in evil["title"]
    root = Path(pyvis.__file__).parent / "templates"
    lib = re.search(r"include '(lib/vis-[^']+)/vis-network\.min\.js'",
                    (root / "template.html").read_text("utf-8")).group(1)
    js = (root / lib / "vis-network.min.js").read_text("utf-8")
    assert js.split("//# sourceMappingURL")[0] in html and "sourceMappingURL" not in html


def test_template_syntax_in_text_stays_text(tmp_path):
    """Names go into pyvis's Jinja template as data, never as template source."""
    g = Graph()
    node = KGR["group/jinja"]
    g.add((node, RDF.type, KG.Group))
    g.add((node, RDFS.label, zh("{{ 7*7 }}{% for x in y %}{# c #}工作队")))
    out = tmp_path / "g.html"
    viz.render_html(g, out)
    [n] = embedded_data(out.read_text("utf-8"))["nodes"]
    assert n["label"] == "{{ 7*7 }}{% for x in y %}{# c #}工作队"


def test_article_text_is_escaped(page):
    html = page[1]
    assert "<script>alert" not in html
    assert "<img" not in html and not re.search(r"<[^>]*onerror=", html)
    assert html.count("onerror=alert") == html.count("\\u003cimg src=x onerror=alert") > 0
    assert "<b>pattern" not in html
    assert html.count("</script>") == 3          # vis-network, data, view script
    assert "测试&lt;图&gt;" in html and "<图>" not in html
    data = embedded_data(html)                   # still the original text once parsed
    assert any(n["label"] == XSS_LABEL for n in data["nodes"])
    assert any(ev[0] == XSS_SENT for n in data["nodes"] for ev in n["evidence"])
    view_js = data_path("vis/view.js").read_text("utf-8")
    assert "innerHTML" not in view_js and "insertAdjacentHTML" not in view_js


@pytest.mark.parametrize("text,bad", [
    ("</script><script>x()</script>", "</"), ("<!--", "<!"), ("a&amp;b", "&"),
    ("\u2028", "\u2028"),
])
def test_json_for_script(text, bad):
    out = viz.json_for_script({"k": text})
    assert bad not in out and json.loads(out) == {"k": text}


@pytest.mark.parametrize("cap,omitted", [(1500, 0), (5, N_NODES - 5), (1, N_NODES - 1)])
def test_max_nodes(graph, tmp_path, cap, omitted):
    out = tmp_path / "capped.html"
    stats = viz.render_html(graph, out, max_nodes=cap)
    assert stats["nodes"] == N_NODES - omitted and stats["omitted"] == omitted
    data = embedded_data(out.read_text("utf-8"))
    assert len(data["nodes"]) == stats["nodes"] and len(data["edges"]) == stats["edges"]
    kept = {n["id"] for n in data["nodes"]}
    assert all(e["from"] in kept and e["to"] in kept for e in data["edges"])
    if omitted:
        assert f"另有 {omitted} 个节点" in out.read_text("utf-8")
        assert str(KGR["region/430000"]) in kept      # the best-connected node stays
        assert str(KGR["person/x"]) not in kept       # degree 0 goes first


def test_reproducible(graph, tmp_path):
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    viz.render_html(graph, a)
    viz.render_html(sample_graph(), b)     # rebuilt graph: different insertion order in memory
    assert a.read_bytes() == b.read_bytes()
    assert embedded_data(a.read_text("utf-8"))["options"]["layout"]["randomSeed"] == 7


def test_atomic_write_leaves_no_temp_files(graph, tmp_path):
    out = tmp_path / "kg.html"
    out.write_text("old", encoding="utf-8")
    viz.render_html(graph, out)
    assert [p.name for p in tmp_path.iterdir()] == ["kg.html"]
    assert out.read_text("utf-8").startswith("<!DOCTYPE html>")


def test_empty_graph(tmp_path):
    stats = viz.render_html(Graph(), tmp_path / "empty.html")
    assert stats == {"nodes": 0, "edges": 0, "omitted": 0, "entities": 0, "indexed": 0}


def test_only_known_types_drawn(tmp_path):
    g = Graph()
    g.add((URIRef("https://example.org/x"), RDF.type, URIRef("https://example.org/Thing")))
    g.add((KGR["group/g"], RDF.type, KG.Group))
    stats = viz.render_html(g, tmp_path / "g.html")
    assert stats["nodes"] == 1


def test_a_region_given_as_text_is_not_a_region(tmp_path):
    """A hand-made graph may name a body's region with a literal: the page is drawn, without
    that region (kg builds never do this)."""
    g = Graph()
    body, region = KGR["body/b"], KGR["region/430000"]
    g.add((body, RDF.type, KG.Body))
    g.add((region, RDF.type, KG.Region))
    g.add((region, KG.level, Literal("province")))
    g.add((body, KG.locatedIn, Literal("湖南省", lang="zh")))
    g.add((body, KG.locatedIn, region))
    stats = viz.render_html(g, tmp_path / "g.html")
    data = embedded_data((tmp_path / "g.html").read_text("utf-8"))
    assert stats["nodes"] == 2
    drawn = {n["id"]: n for n in data["nodes"]}
    assert drawn[str(body)]["provinces"] == [str(region)]


@pytest.fixture(scope="module")
def large_page(tmp_path_factory, monkeypatch_module):
    """graph.html of 20,000 synthetic entities (and 10,000 figures), with the number of nodes
    pyvis's Network was given."""
    from pyvis.network import Network
    added = []
    real = Network.add_node
    monkeypatch_module.setattr(Network, "add_node",
                               lambda self, *a, **kw: added.append(1) or real(self, *a, **kw))
    out = tmp_path_factory.mktemp("large") / "graph.html"
    stats = viz.render_html(large_graph(20_000), out)
    return stats, out, len(added)


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def test_large_graph_page_is_bounded(large_page):
    stats, out, added = large_page
    assert out.stat().st_size <= viz.PAGE_BYTES
    assert stats["entities"] == 20_000 and stats["omitted"] == 30_000 - stats["nodes"]
    assert 300 < stats["nodes"] <= viz.VIEW_NODES and added == stats["nodes"]
    assert stats["nodes"] < stats["indexed"] < stats["entities"]
    html = out.read_text("utf-8")
    data = embedded_data(html)
    assert len(data["nodes"]) == stats["nodes"] and len(data["edges"]) == stats["edges"]
    idx = data["index"]
    assert idx["total"] == 20_000 and idx["drawn"] + len(idx["rows"]) == stats["indexed"]
    assert not idx["complete"]
    m = re.search(r'<span id="scale" data-entities="(\d+)" data-drawn="(\d+)" '
                  r'data-indexed="(\d+)">([^<]*)</span>', html)
    assert m and [int(x) for x in m.groups()[:3]] == [20_000, idx["drawn"], stats["indexed"]]
    assert "共 20000 个实体" in m.group(4) and "kg query entity-labels --param label=" in m.group(4)
    assert f"另有 {stats['omitted']} 个节点未显示" in html


def test_large_graph_draws_and_indexes_the_best_connected(large_page):
    """The drawn nodes are the best-ranked (degree, then type, then IRI), the index rows the
    entities that follow them, in that order."""
    _stats, out, _added = large_page
    data = embedded_data(out.read_text("utf-8"))
    drawn = data["nodes"]
    worst_drawn = min(n["degree"] for n in drawn)
    rows = data["index"]["rows"]
    assert rows and max(r[2] for r in rows) <= worst_drawn
    assert [r[2] for r in rows] == sorted((r[2] for r in rows), reverse=True)
    assert any(r[6] for r in rows)          # rows carry edges to drawn nodes
    drawn_ids = {n["id"] for n in drawn}
    assert not any(str(KGR) + r[4] in drawn_ids for r in rows)
    hubs = sorted(drawn, key=lambda n: -n["degree"])[:5]
    assert all(len(n["articles"]) <= viz.ARTICLES_PER_NODE for n in drawn)
    assert any(n.get("articleCount", 0) > viz.ARTICLES_PER_NODE for n in hubs)


def test_page_budget_is_kept_when_small(tmp_path):
    """A smaller byte budget draws fewer nodes and indexes fewer entities, and stays within."""
    g = large_graph(2_000)
    out = tmp_path / "small.html"
    stats = viz.render_html(g, out, page_bytes=1_000_000)
    assert out.stat().st_size <= 1_000_000
    big = viz.render_html(g, tmp_path / "big.html")
    assert 0 < stats["nodes"] < big["nodes"] and stats["indexed"] < big["indexed"]


def test_items_are_read_only_for_the_nodes_that_fit(tmp_path, monkeypatch):
    """Node items (and their evidence) are built in rank order until the byte budget stops:
    not for every candidate (they cost store look-ups on a large build)."""
    g = large_graph(2_000)
    built = []
    node = viz._node
    monkeypatch.setattr(viz, "_node", lambda graph, n, *a: built.append(n) or node(graph, n, *a))
    stats = viz.render_html(g, tmp_path / "small.html", page_bytes=1_000_000)
    assert stats["nodes"] < viz.VIEW_NODES
    assert len(built) == stats["nodes"] + 1         # the drawn ones and the first that did not fit


def test_rdflib_and_oxigraph_graphs_give_the_same_page(tmp_path):
    """An rdflib Graph (``kg viz``) is read through a copy in Oxigraph: the same page."""
    from kg.graph.oxgraph import OxGraph
    a, b = tmp_path / "rdflib.html", tmp_path / "oxigraph.html"
    viz.render_html(sample_graph(), a)
    viz.render_html(OxGraph.of(sample_graph()), b)
    assert a.read_bytes() == b.read_bytes()


def test_page_budget_holds_when_the_estimate_is_short(tmp_path, monkeypatch):
    """If the page's frame outgrows the bytes set aside for it, the last index rows go."""
    g = large_graph(2_000)
    fair = viz.render_html(g, tmp_path / "fair.html", page_bytes=1_000_000)
    monkeypatch.setattr(viz, "_PAGE_SLACK", -60_000)       # pretend the frame is 60 KB smaller
    out = tmp_path / "short.html"
    short = viz.render_html(g, out, page_bytes=1_000_000)
    assert out.stat().st_size <= 1_000_000 < out.stat().st_size + 5_000
    assert short["nodes"] >= fair["nodes"] and short["indexed"] < fair["indexed"]
    assert embedded_data(out.read_text("utf-8"))["index"]["complete"] is False


def large_graph(n_entities: int, seed: int = 5):
    """A synthetic build of ``n_entities`` entities (plus half as many figures) with kg's
    vocabulary and shape, made without articles: a region tree, bodies located in regions and
    under each other, documents, programmes, groups, persons with posts, paired provinces;
    every relation reified with an evidence sentence, every entity mentioned in one to a few
    hundred articles (a few hubs, many leaves). An ``OxGraph``, filled from N-Triples text."""
    import random

    from kg.graph.oxgraph import OxGraph

    rnd = random.Random(seed)
    g = OxGraph()
    chars = "东西南北中山河湖江海平安宁和顺德兴隆新华阳明光福寿长乐云贵川陕甘青"
    base = str(KGR)
    iri = lambda key: f"<{base}{key}>"                        # noqa: E731
    lit = lambda text: '"' + text.replace('"', "'") + '"@zh'  # noqa: E731
    kg = lambda name: f"<{KG[name]}>"                         # noqa: E731
    rdf_type, label = f"<{RDF.type}>", f"<{RDFS.label}>"
    n_art = max(n_entities // 20, 1)
    for a in range(n_art):
        g.add_ntriple(iri(f"article/a{a}"), rdf_type, kg("Article"))
        g.add_ntriple(iri(f"article/a{a}"), label, lit(f"第{a}篇 抓党建促脱贫攻坚工作综述"))
    counts = {"Region": 0.15, "Body": 0.3, "Group": 0.1, "Programme": 0.1, "Measure": 0.1,
              "Document": 0.1, "Person": 0.15}
    ents = {t: [f"{t.lower()}/{i}" for i in range(max(int(n_entities * f), 2))]
            for t, f in counts.items()}
    pool = []     # evidence sentences, shared: the view reads at most a few per item
    for i in range(1000):
        sent = iri(f"sentence/s{i}")
        pool.append(sent)
        text = "".join(rnd.choice(chars) for _ in range(8)) + ("深入贯彻落实中央关于抓党建促脱贫攻坚的"
                                                               "部署要求，推动各项工作落地见效。")
        for p, o in ((rdf_type, f"<{NIF.Sentence}>"), (f"<{NIF.anchorOf}>", lit(text)),
                     (f"<{NIF.referenceContext}>", iri(f"article/a{i % n_art}")),
                     (f"<{NIF.beginIndex}>", f'"{i * 40}"^^<{rns.XSD.integer}>')):
            g.add_ntriple(sent, p, o)
    sentence = lambda: rnd.choice(pool)                      # noqa: E731
    for t, keys in ents.items():
        for i, key in enumerate(keys):
            name = "".join(rnd.choice(chars) for _ in range(rnd.randint(2, 5))) + {
                "Region": "县", "Body": "委组织部", "Group": "工作队", "Programme": "计划",
                "Measure": "制度", "Document": "通知", "Person": ""}[t] + str(i)
            g.add_ntriple(iri(key), rdf_type, kg(t))
            g.add_ntriple(iri(key), label, lit(name))
            if i % 3 == 0:
                g.add_ntriple(iri(key), f"<{SKOS.altLabel}>", lit(name[:3]))
            # hubs: the first few of each type are mentioned in many articles
            for a in rnd.sample(range(n_art), min(n_art, 1 + int(300 / (1 + i)))):
                g.add_ntriple(iri(f"article/a{a}"), kg("mentions"), iri(key))
            m = iri(f"mention/{key}")
            g.add_ntriple(m, rdf_type, kg("Mention"))
            g.add_ntriple(m, kg("denotes"), iri(key))
            g.add_ntriple(m, f"<{NIF.sentence}>", sentence())
    regions = ents["Region"]
    for i, r in enumerate(regions):
        g.add_ntriple(iri(r), kg("level"), lit("province" if i < 30 else "county"))
    pick = lambda keys: keys[min(int(rnd.paretovariate(1.2)) - 1, len(keys) - 1)]  # noqa: E731

    def relate(s: str, pred: str, o: str, role: str | None = None) -> None:
        if s == o:
            return
        g.add_ntriple(iri(s), kg(pred), iri(o))
        st = iri(f"statement/{s}/{pred}/{o}")
        for p, v in ((rdf_type, f"<{RDF.Statement}>"), (f"<{RDF.subject}>", iri(s)),
                     (f"<{RDF.predicate}>", kg(pred)), (f"<{RDF.object}>", iri(o)),
                     (kg("pattern"), lit("synthetic")),
                     (kg("evidence"), sentence())):
            g.add_ntriple(st, p, v)
        if role:
            g.add_ntriple(st, kg("role"), lit(role))

    for r in regions[30:]:
        relate(r, "partOf", pick(regions[:30]) if rnd.random() < 0.3 else pick(regions))
    for b in ents["Body"]:
        relate(b, "locatedIn", pick(regions))
        relate(b, "subOrganizationOf", pick(ents["Body"]))
    for d in ents["Document"]:
        relate(pick(ents["Body"]), "issued", d)
    for p in ents["Programme"] + ents["Measure"]:
        relate(pick(ents["Body"]), "implements", p)
        relate(p, "appliesIn", pick(regions))
    for grp in ents["Group"]:
        relate(pick(ents["Programme"]), "targets", grp)
    for person in ents["Person"]:
        relate(person, "memberOf", pick(ents["Body"]), role="书记")
    for i in range(0, 30, 2):
        relate(regions[i], "pairedWith", regions[i + 1])
    for i in range(n_entities // 2):
        ind = iri(f"indicator/i{i}")
        for p, o in ((rdf_type, kg("Indicator")), (label, lit(f"{i}支工作队")),
                     (kg("value"), f'"{i}"^^<{XSD_DEC}>'), (kg("measures"), iri(pick(ents["Group"]))),
                     (kg("inRegion"), iri(pick(regions)))):
            g.add_ntriple(ind, p, o)
    return g


def _same_first(full, fast, top: int) -> None:
    """``fast`` says what ``full`` says of the first ``top`` nodes and of every entity."""
    entities = [n for n in full.order if full.types[n] != "Indicator"]
    assert fast.count == full.count
    assert fast.order[:top] == full.order[:top]
    assert [n for n in fast.order if fast.types[n] != "Indicator"] == entities
    assert {n: fast.degree.get(n, 0) for n in entities} == {n: full.degree.get(n, 0) for n in entities}
    assert fast.edges == full.edges


def test_scan_counts_figures_without_reading_them_when_none_can_be_drawn():
    from kg.outputs.viewscan import scan

    g = large_graph(2_000)
    full = scan(g)
    fast = scan(g, top=100)
    assert "Indicator" in full.types.values() and "Indicator" not in fast.types.values()
    assert full.count == len(full.types) > len(fast.types)
    _same_first(full, fast, 100)
    # too many wanted: figures of degree 2 would rank among them, so all are read
    assert scan(g, top=len(fast.types)).types == full.types


@pytest.mark.parametrize("oddity,reads_all", [
    ("figure typed as an entity too", True), ("figure linked to a figure", True),
    ("figure as a blank node", True), ("figure measuring itself", True),
    ("entity measuring itself", False)])
def test_scan_agrees_with_the_full_scan_on_odd_graphs(oddity, reads_all):
    """The first four would make counted degrees or the figure count differ from the full scan:
    the scan reads every figure then. A loop on an entity is read and skipped like the full
    scan skips it."""
    from kg.outputs.viewscan import scan

    g = large_graph(2_000)
    i0, i1 = f"<{KGR['indicator/i0']}>", f"<{KGR['indicator/i1']}>"
    add = {"figure typed as an entity too": (i0, f"<{rns.RDF.type}>", f"<{KG.Group}>"),
           "figure linked to a figure": (i0, f"<{KG.measures}>", i1),
           "figure as a blank node": ("_:f", f"<{rns.RDF.type}>", f"<{KG.Indicator}>"),
           "figure measuring itself": (i0, f"<{KG.measures}>", i0),
           "entity measuring itself": (f"<{KGR['group/0']}>", f"<{KG.measures}>", f"<{KGR['group/0']}>")}[oddity]
    g.add_ntriple(*add)
    full, careful = scan(g), scan(g, top=100)
    assert (careful.types == full.types) == reads_all
    _same_first(full, careful, 100)
