"""The graph as one self-contained, offline HTML page, built with pyvis and drawn by vis-network.

``render_html`` reads a kg graph (entities, reified relations, articles, NIF sentences, mentions,
indicators) and puts entities and indicators as nodes, entity relations as edges into a
``pyvis.network.Network`` (a person's posts become memberOf edges to the body, labelled with the
role; ``kg:Post`` nodes are not drawn). pyvis renders it through our template
``kg/data/vis/page.html``, which inlines the vis-network JS/CSS pyvis ships (what its own
``cdn_resources="in_line"`` template includes), our ``view.js`` and ``view.css``, so the page
opens with no network. Hovering shows plain-text titles; clicking shows labels, aliases, region,
articles and evidence in a side panel; a search box, type checkboxes and a province select filter
the view. Article text reaches the page only as JSON in a ``<script type="application/json">``
block with ``<``, ``>`` and ``&`` escaped, and goes into the DOM as text, never as HTML.

What this module does not do: build or query the graph beyond reading it, lay out nodes in Python
(vis-network stabilises for a bounded number of iterations with a fixed seed, then stops), or
start a browser.
"""
from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import pyvis
from pyvis.network import Network
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from kg.files import write_atomic
from kg.graph.labels import label, local_name
from kg.model import ENTITY_TYPES, RELATION_TYPES
from kg.resources import data_path
from kg.vocab import KG, NIF, SDO, ontology_graph

# type -> (colour, vis-network shape); shapes that put the label below keep nodes small.
TYPE_STYLE = {
    "Region": ("#4e79a7", "square"), "Body": ("#f28e2b", "dot"), "Group": ("#59a14f", "triangle"),
    "Programme": ("#e15759", "diamond"), "Measure": ("#b07aa1", "triangleDown"),
    "Document": ("#9c755f", "hexagon"), "Person": ("#ff9da7", "star"),
    "Indicator": ("#8c8c8c", "dot"),
}
NODE_TYPES = ENTITY_TYPES + ("Indicator",)
INDICATOR_EDGES = ("measures", "inRegion")
EVIDENCE_PER_NODE = 3
# Above this many nodes vis-network's improved (Kamada-Kawai) initial layout costs seconds.
IMPROVED_LAYOUT_MAX = 300


def render_html(graph: Graph, out_path: str | Path, max_nodes: int = 1500,
                title: str = "kg") -> dict:
    """Write the page for ``graph`` to ``out_path`` (atomically) and return
    ``{"nodes": drawn, "edges": drawn, "omitted": nodes left out by the max_nodes cap}``."""
    nodes, edges, omitted = build_view(graph, max_nodes)
    net = _network(nodes, edges, title)
    note = f"{len(nodes)} 个节点，{len(edges)} 条边"
    if omitted:
        note += f"；另有 {omitted} 个节点因数量上限 ({max_nodes}) 未显示（按连接数保留中心节点）"
    view = {"omitted": omitted, "provinces": _province_options(graph, nodes),
            "types": [{"name": t, "label": _type_label(t)} for t in NODE_TYPES]}
    write_atomic(out_path, _page(net, note, view))
    return {"nodes": len(nodes), "edges": len(edges), "omitted": omitted}


def json_for_script(obj) -> str:
    """JSON that is safe inside a ``<script>`` block: no ``</script>``, ``<!--`` or entity can
    form, because ``<``, ``>`` and ``&`` become ``\\u003c`` etc. (still the same JSON value);
    U+2028/2029 are escaped for old JS parsers."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for ch, esc in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def build_view(graph: Graph, max_nodes: int) -> tuple[list[dict], list[dict], int]:
    """The nodes and edges to draw, as plain dicts sorted for reproducible output, and the
    number of nodes left out by the cap."""
    types = _node_types(graph)
    raw_edges = _raw_edges(graph, types)
    degree: dict[URIRef, int] = defaultdict(int)
    for s, _p, o in raw_edges:
        degree[s] += 1
        degree[o] += 1
    kept = sorted(types, key=lambda n: (-degree[n], NODE_TYPES.index(types[n]), str(n)))
    kept = set(kept[:max(max_nodes, 0)])
    omitted = len(types) - len(kept)
    raw_edges = [e for e in raw_edges if e[0] in kept and e[2] in kept]
    drawn_degree: dict[URIRef, int] = defaultdict(int)
    for s, _p, o in raw_edges:
        drawn_degree[s] += 1
        drawn_degree[o] += 1

    titles = _article_titles(graph)
    sentences = _SentenceIndex(graph, titles)
    provinces = _node_provinces(graph, types, raw_edges)
    mention_sents = _mention_sentences(graph, sentences)
    statements = _statements(graph, sentences)
    roles = _roles(graph)

    nodes = []
    for n in sorted(kept, key=str):
        t = types[n]
        node = {
            "id": str(n), "type": t, "label": label(graph, n),
            "aliases": sorted({str(a) for a in graph.objects(n, SKOS.altLabel)}),
            "regions": sorted({label(graph, r) for r in _direct_regions(graph, n, t)}),
            "provinces": sorted(str(p) for p in provinces.get(n, ())),
            "articles": sorted({titles.get(a, str(a)) for a in graph.subjects(KG.mentions, n)}),
            "degree": drawn_degree[n],
            "size": _size(t, drawn_degree[n]),
        }
        if t == "Indicator":
            hits = {sentences.get(s) for s in graph.objects(n, KG.evidence)} - {None}
            node["evidence"] = [list(x) for x in _in_text_order(hits)[:EVIDENCE_PER_NODE]]
            node["facts"] = _indicator_facts(graph, n)
        else:
            node["evidence"] = [list(x) for x in mention_sents.get(n, [])[:EVIDENCE_PER_NODE]]
        nodes.append(node)

    edges = []
    for i, (s, p, o) in enumerate(raw_edges):
        name = local_name(p)
        ev = statements.get((s, p, o), [])
        if name == "pairedWith":
            ev = sorted(set(ev) | set(statements.get((o, p, s), [])))
        edge = {"id": f"e{i}", "from": str(s), "to": str(o), "label": name,
                "directed": name != "pairedWith", "evidence": [list(x) for x in ev]}
        if roles.get((s, p, o)):       # a post: the role is what the reader wants on the edge
            edge["roles"] = roles[(s, p, o)]
            edge["label"] = "、".join(edge["roles"])
        edges.append(edge)
    return nodes, edges, omitted


# --- reading the graph -------------------------------------------------------------------

def _node_types(graph: Graph) -> dict[URIRef, str]:
    types: dict[URIRef, str] = {}
    for t in NODE_TYPES:    # first type in NODE_TYPES order wins if a node has two
        for s in graph.subjects(RDF.type, KG[t]):
            if isinstance(s, URIRef):
                types.setdefault(s, t)
    return types


def _raw_edges(graph: Graph, types: dict) -> list[tuple[URIRef, URIRef, URIRef]]:
    edges = set()
    for name in RELATION_TYPES + INDICATOR_EDGES:
        for s, o in graph.subject_objects(KG[name]):
            if s in types and o in types and s != o:
                if name == "pairedWith" and str(o) < str(s):
                    s, o = o, s     # symmetric: one edge per pair
                edges.add((s, KG[name], o))
    order = {KG[n]: i for i, n in enumerate(RELATION_TYPES + INDICATOR_EDGES)}
    return sorted(edges, key=lambda e: (order[e[1]], str(e[0]), str(e[2])))


def _article_titles(graph: Graph) -> dict:
    titles = {}
    for a in graph.subjects(RDF.type, KG.Article):
        title = graph.value(a, RDFS.label) or graph.value(a, KG.sourceFile)
        titles[a] = str(title) if title is not None else local_name(a)
    return titles


class _SentenceIndex:
    """Sentence node -> (text as written, article title · its URL if any), with a sort key
    (title, begin)."""

    def __init__(self, graph: Graph, titles: dict):
        self.graph, self.titles, self.cache = graph, titles, {}

    def get(self, sent):
        if sent not in self.cache:
            text = self.graph.value(sent, NIF.anchorOf)
            if text is None:
                self.cache[sent] = None
            else:
                art = self.graph.value(sent, NIF.referenceContext)
                begin = self.graph.value(sent, NIF.beginIndex)
                pos = int(begin) if begin is not None else 0
                # pos is padded so the string sort of the tuple follows the text order
                where = self.titles.get(art, local_name(art) if art else "")
                url = self.graph.value(art, SDO.url) if art is not None else None
                self.cache[sent] = (f"{where} · {url}" if url else where, f"{pos:09d}", str(text))
        hit = self.cache[sent]
        return None if hit is None else (hit[2], hit[0], hit[1])


def _mention_sentences(graph: Graph, sentences: _SentenceIndex) -> dict:
    """Entity -> distinct evidence sentences [(text, article)], in article/text order."""
    found: dict = defaultdict(set)
    for m in graph.subjects(RDF.type, KG.Mention):
        ent = graph.value(m, KG.denotes)
        sent = graph.value(m, NIF.sentence) or graph.value(m, KG.evidence)
        hit = sentences.get(sent) if (ent is not None and sent is not None) else None
        if hit:
            found[ent].add(hit)
    return {e: _in_text_order(v) for e, v in found.items()}


def _in_text_order(hits) -> list[tuple[str, str]]:
    """(text, article, padded begin) hits -> [(text, article)] by article, then position."""
    return [(t, a) for t, a, _ in sorted(hits, key=lambda x: (x[1], x[2], x[0]))]


def _statements(graph: Graph, sentences: _SentenceIndex) -> dict:
    """(s, p, o) -> sorted [(sentence text, article title, pattern)] from the reifications."""
    found: dict = defaultdict(set)
    for st in graph.subjects(RDF.type, RDF.Statement):
        key = (graph.value(st, RDF.subject), graph.value(st, RDF.predicate),
               graph.value(st, RDF.object))
        pattern = str(graph.value(st, KG.pattern) or "")
        sents = list(graph.objects(st, KG.evidence))
        for sent in sents:
            hit = sentences.get(sent)
            if hit:
                found[key].add((hit[0], hit[1], pattern))
        if not sents or not any(sentences.get(s) for s in sents):
            art = graph.value(st, PROV.wasDerivedFrom)
            found[key].add(("", str(graph.value(art, RDFS.label) or "") if art else "", pattern))
    return {k: sorted(v) for k, v in found.items()}


def _roles(graph: Graph) -> dict:
    """(s, p, o) -> sorted roles its statements name (kg:role: the posts of memberOf)."""
    found: dict = defaultdict(set)
    for st, role in graph.subject_objects(KG.role):
        found[(graph.value(st, RDF.subject), graph.value(st, RDF.predicate),
               graph.value(st, RDF.object))].add(str(role))
    return {k: sorted(v) for k, v in found.items()}


def _direct_regions(graph: Graph, node, type_: str) -> list:
    pred = {"Region": KG.partOf, "Body": KG.locatedIn, "Programme": KG.appliesIn,
            "Measure": KG.appliesIn, "Indicator": KG.inRegion}.get(type_)
    return list(graph.objects(node, pred)) if pred is not None else []


def _provinces_of_region(graph: Graph, region, memo: dict) -> frozenset:
    """Ancestors (or itself) at level province; failing that, the top ancestors that are not
    cross-province areas."""
    if region in memo:
        return memo[region]
    seen, todo, provs, roots = set(), [region], set(), set()
    while todo:
        r = todo.pop()
        if r in seen:
            continue
        seen.add(r)
        level = str(graph.value(r, KG.level) or "")
        if level == "province":
            provs.add(r)
            continue
        parents = list(graph.objects(r, KG.partOf))
        if not parents and level != "area":
            roots.add(r)
        todo.extend(parents)
    memo[region] = frozenset(provs or roots)
    return memo[region]


def _node_provinces(graph: Graph, types: dict, edges: list) -> dict:
    memo: dict = {}
    direct = {}
    for n, t in types.items():
        if t == "Region":
            direct[n] = set(_provinces_of_region(graph, n, memo))
        else:
            regions = _direct_regions(graph, n, t)
            direct[n] = set().union(*(_provinces_of_region(graph, r, memo) for r in regions)) \
                if regions else set()
    # Nodes with no region of their own (groups, documents, persons) take their neighbours'.
    result = {n: set(p) for n, p in direct.items()}
    for s, _p, o in edges:
        if not direct[s]:
            result[s] |= direct[o]
        if not direct[o]:
            result[o] |= direct[s]
    return result


def _province_options(graph: Graph, nodes: list) -> list:
    ids = sorted({p for n in nodes for p in n["provinces"]})
    return sorted(([p, label(graph, URIRef(p))] for p in ids), key=lambda x: (x[1], x[0]))


def _indicator_facts(graph: Graph, n) -> list:
    facts = []
    for key, pred in (("value", KG.value), ("unit", KG.unit), ("year", KG.year)):
        v = graph.value(n, pred)
        if v is not None:
            facts.append([key, str(v)])
    for m in sorted(graph.objects(n, KG.measures), key=str):
        facts.append(["measures", label(graph, m)])
    return facts


def _size(type_: str, degree: int) -> float:
    base = 6 if type_ == "Indicator" else 12
    return round(base + 4 * math.sqrt(degree), 2)


@lru_cache(maxsize=None)
def _type_label(type_: str) -> str:
    zh = [str(x) for x in ontology_graph().objects(KG[type_], RDFS.label) if x.language == "zh"]
    return f"{zh[0]} {type_}" if zh else type_


# --- the pyvis network and the page ------------------------------------------------------

def _network(nodes: list[dict], edges: list[dict], title: str) -> Network:
    """The pyvis ``Network`` of the view: one node per drawn node (vis-network shape, group = the
    type, whose colours the options hold), one edge per relation, our options."""
    net = Network(heading=title, directed=True, cdn_resources="in_line")
    for n in nodes:
        extra = {k: v for k, v in n.items() if k not in ("id", "label")}
        if n["type"] == "Indicator":    # vis-network takes no font from a group: set it here
            extra["font"] = {"size": 10}
        net.add_node(n["id"], label=n["label"], shape=TYPE_STYLE[n["type"]][1], group=n["type"],
                     title=_node_title(n), **extra)
    labels = {n["id"]: n["label"] for n in nodes}
    for e in edges:
        # the direction travels as vis-network's arrows (pyvis's Edge takes no "directed" key)
        extra = {k: v for k, v in e.items() if k not in ("from", "to", "directed")}
        net.add_edge(e["from"], e["to"], title=_edge_title(e, labels),
                     arrows={"to": {"enabled": e["directed"], "scaleFactor": 0.5}}, **extra)
    net.options = _options(len(nodes) <= IMPROVED_LAYOUT_MAX)
    return net


def _options(improved_layout: bool) -> dict:
    """vis-network options: ``kg/data/vis/options.json`` (fixed seed, bounded stabilisation after
    which view.js turns physics off, fonts) and one group per type holding its colours."""
    options = json.loads(_asset("options.json"))
    options["layout"]["improvedLayout"] = improved_layout
    options["groups"] = {t: {"color": {"background": c, "border": c,
                                       "highlight": {"background": c, "border": "#222"}}}
                         for t, (c, _shape) in TYPE_STYLE.items()}
    return options


def _node_title(n: dict) -> str:
    """The hover text of a node. Plain text: vis-network puts a string title in with innerText."""
    lines = [n["label"], f"类型 type: {_type_label(n['type'])}"]
    lines += [f"{name}: {'、'.join(values)}" for name, values in (
        ("别名 aliases", n["aliases"]), ("地区 region", n["regions"]),
        ("提及文章 articles", n["articles"][:3])) if values]
    lines += [f"{k}: {v}" for k, v in n.get("facts", [])]
    lines += [x for text, src in n["evidence"][:1] for x in (f"证据 evidence: {text}", f"《{src}》")]
    return "\n".join(lines)


def _edge_title(e: dict, labels: dict) -> str:
    """The hover text of a relation: its ends, its roles, the first sentence stating it."""
    arrow = "→ " if e["directed"] else "— "
    lines = [f"{labels[e['from']]} —{e['label']}{arrow}{labels[e['to']]}"]
    if e.get("roles"):
        lines.append("任职 memberOf · 职务 role: " + "、".join(e["roles"]))
    for text, source, pattern in e["evidence"][:1]:
        lines += [x for x in (text, source and f"《{source}》",
                              pattern and f"pattern: {pattern}") if x]
    return "\n".join(lines + ([] if e["evidence"] else ["(no evidence recorded)"]))


def _page(net: Network, note: str, view: dict) -> str:
    """The HTML pyvis renders from ``net`` with our template ``kg/data/vis/page.html``, which
    inlines vis-network and our script and style, and the view's data as escaped JSON."""
    net.set_template_dir(f"{data_path('vis')}/", "page.html")
    vis_js, vis_css = _vis_assets()
    net.templateEnv.globals.update(     # what pyvis's render does not pass; options is JSON text
        kg_data=lambda nodes, edges, options: json_for_script(
            {**view, "nodes": nodes, "edges": edges, "options": json.loads(options)}),
        note=note, vis_js=vis_js, vis_css=vis_css,
        view_js=_asset("view.js"), view_css=_asset("view.css"))
    return net.generate_html()


@lru_cache(maxsize=None)
def _asset(name: str) -> str:
    return data_path(f"vis/{name}").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS from the pyvis package: the files its own ``in_line`` template
    includes, the source-map comments dropped so nothing is fetched."""
    root = Path(pyvis.__file__).parent / "templates"
    m = re.search(r"include '(lib/vis-[^/']+)/vis-network\.min\.js'",
                  (root / "template.html").read_text(encoding="utf-8"))
    if m is None:
        raise RuntimeError(f"{root / 'template.html'}: pyvis inlines no vis-network here")
    js, css = ((root / m.group(1) / f).read_text(encoding="utf-8")
               for f in ("vis-network.min.js", "vis-network.css"))
    js = re.sub(r"^//# sourceMappingURL=.*$", "", js, flags=re.M)
    css = re.sub(r"/\*# sourceMappingURL=.*?\*/", "", css)
    if re.search(r"</(script|style)", js + css, re.I):
        raise RuntimeError("vis-network assets cannot be inlined safely")
    return js, css
