"""The graph as one self-contained, offline HTML page, built with pyvis and drawn by vis-network.

``render_html`` reads a kg graph (entities, reified relations, articles, NIF sentences, mentions,
indicators) and puts entities and indicators as nodes, entity relations as edges into a
``pyvis.network.Network`` (a person's posts become memberOf edges to the body, labelled with the
role; ``kg:Post`` nodes are not drawn). Not all of them: the best-connected, chosen by
``kg.outputs.viewscan`` before any item is built, while the page stays within ``PAGE_BYTES``
whatever the corpus, with a search index of the entities not drawn that the page can add to the
view. pyvis renders it through our template ``kg/data/vis/page.html``, which inlines the
vis-network JS/CSS pyvis ships (what its own ``cdn_resources="in_line"`` template includes), our
``view.js`` and ``view.css``, so the page opens with no network. Hovering shows plain-text
titles; clicking shows labels, aliases, region, articles and evidence in a side panel
(``kg.outputs.viewread`` reads them for the drawn items only); a search box, type checkboxes, a
figures toggle (figures start hidden) and a province select filter the view; the best-connected
entities are labelled at the first zoom. Article text reaches the page only as JSON in a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped, and goes into the
DOM as text, never as HTML.

What this module does not do: build or query the graph beyond reading it, lay out nodes in Python
(vis-network stabilises for a bounded number of iterations with a fixed seed, then stops), or
start a browser.
"""
from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyvis
from pyvis.network import Network
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SKOS

from kg.files import write_atomic
from kg.graph.labels import label as _label, local_name as _local
from kg.graph.oxgraph import OxGraph
from kg.outputs.viewread import (SentenceIndex, direct_regions, figure_evidence, in_text_order,
                                 indicator_facts, labels, mention_evidence, node_articles,
                                 node_provinces, statements)
from kg.outputs.viewscan import NODE_TYPES, json_bytes, json_for_script  # noqa: F401 (API)
from kg.outputs.viewscan import scan, search_index, split_edges
from kg.resources import data_path
from kg.vocab import KG, ontology_graph

# type -> (colour, vis-network shape); shapes that put the label below keep nodes small.
TYPE_STYLE = {
    "Region": ("#4e79a7", "square"), "Body": ("#f28e2b", "dot"), "Group": ("#59a14f", "triangle"),
    "Programme": ("#e15759", "diamond"), "Measure": ("#b07aa1", "triangleDown"),
    "Document": ("#9c755f", "hexagon"), "Person": ("#ff9da7", "star"),
    "Indicator": ("#8c8c8c", "dot"),
}
# The page's ceiling in bytes whatever the corpus: vis-network (~0.7 MB), the drawn nodes and
# edges (~1.3 KB and ~0.6 KB each on real articles), the search index (~50 B a row).
PAGE_BYTES = 3_000_000
# The index gets at least this much of the page; the drawn nodes and edges the rest.
INDEX_BYTES = 800_000
VIEW_NODES = 1000       # draw at most this many nodes (the byte budget may draw fewer)
VIEW_EDGES = 2500       # and this many edges among them, those of the best-ranked nodes first
LABELLED = 25           # entities labelled at the first zoom: the best-connected drawn ones
EVIDENCE_PER_NODE = 3
EVIDENCE_PER_EDGE = 5
ARTICLES_PER_NODE = 20
MENTIONS_READ = 200     # a node's evidence is picked from its first mentions in IRI order
_PAGE_SLACK = 30_000    # the data's frame: options, province list, note, labelled ids
_NODE_EXTRA = 120       # a node's bytes added after the choice: size, provinces
# Above this many nodes vis-network's improved (Kamada-Kawai) initial layout costs seconds.
IMPROVED_LAYOUT_MAX = 300


def render_html(graph: Graph, out_path: str | Path, max_nodes: int = VIEW_NODES,
                title: str = "kg", max_edges: int = VIEW_EDGES,
                page_bytes: int = PAGE_BYTES, lookup=None) -> dict:
    """Write the page for ``graph`` to ``out_path`` (atomically) and return ``{"nodes": drawn,
    "edges": drawn, "omitted": nodes not drawn, "entities": all entities, "indexed": entities
    the page can find (drawn or in its search index)}``. ``lookup``: the build's lookup tables
    of the graph (``kg.graph.lookup.Lookup``), read instead of the store where they can be."""
    v = select_view(graph, max_nodes, max_edges, page_bytes - _fixed_bytes() - _PAGE_SLACK, lookup)
    net = _network(v.nodes, v.edges, title)
    idx = v.index
    note = f"{len(v.nodes)} 个节点，{len(v.edges)} 条边"
    if v.omitted:
        note += (f"；另有 {v.omitted} 个节点未显示（共 {len(v.nodes) + v.omitted} 个，"
                 f"按连接数显示前 {len(v.nodes)} 个）")
    view = {"omitted": v.omitted, "provinces": _province_options(graph, v.nodes),
            "types": [{"name": t, "label": _type_label(t)} for t in NODE_TYPES],
            "shapes": {t: shape for t, (_c, shape) in TYPE_STYLE.items()},
            "labelled": v.labelled, "index": idx}
    html = _page(net, note, view, _scale(idx))
    excess = len(html.encode("utf-8")) - page_bytes
    if excess > 0 and idx["rows"]:     # the frame outgrew its slack: the last index rows go
        while excess > 0 and idx["rows"]:
            excess -= json_bytes(idx["rows"].pop()) + 1
        idx["complete"] = False
        html = _page(net, note, view, _scale(idx))
    write_atomic(out_path, html)
    return {"nodes": len(v.nodes), "edges": len(v.edges), "omitted": v.omitted,
            "entities": idx["total"], "indexed": idx["drawn"] + len(idx["rows"])}


def build_view(graph: Graph, max_nodes: int) -> tuple[list[dict], list[dict], int]:
    """The nodes and edges to draw, as plain dicts sorted for reproducible output, and the
    number of nodes left out by the cap."""
    v = select_view(graph, max_nodes, VIEW_EDGES, PAGE_BYTES - _fixed_bytes() - _PAGE_SLACK)
    return v.nodes, v.edges, v.omitted


@dataclass
class View:
    """What the page holds: drawn nodes and edges, how many nodes it leaves out, the ids labelled
    at the first zoom and the search index of the entities not drawn."""
    nodes: list
    edges: list
    omitted: int
    labelled: list
    index: dict


def select_view(graph: Graph, max_nodes: int, max_edges: int, data_bytes: int, lookup=None) -> View:
    """The best-ranked nodes (``kg.outputs.viewscan``), at most ``max_nodes``, with at most
    ``max_edges`` edges among them, while their items fit in ``data_bytes`` less the index's
    share (``INDEX_BYTES``, at most a third); the index of the other entities gets the rest.
    Items are read in rank order and the reading stops where the budget does (``lookup``: as
    in ``render_html``)."""
    graph = as_oxgraph(graph)
    sc = scan(graph, top=max(max_nodes, 0), lookup=lookup)
    rank = sc.rank()
    cands = sc.order[:max(max_nodes, 0)]
    among, touching = split_edges(graph, sc, set(cands))
    among = _best_edges(among, rank, max_edges)
    by_worse_end = defaultdict(list)
    for e in among:
        by_worse_end[max(e[0], e[2], key=rank.get)].append(e)
    sentences = SentenceIndex(graph, lookup)
    used, kept, nodes, items = 0, [], {}, {}
    for n in cands:         # best-ranked first, while nodes and their edges fit
        nodes[n] = _node(graph, n, sc, sentences, lookup)
        mine = by_worse_end[n]
        items.update(zip(mine, _edge_items(graph, mine, sentences, nodes, lookup)))
        cost = json_bytes(nodes[n]) + _NODE_EXTRA + sum(json_bytes(items[e]) + 1 for e in mine)
        if used + cost > data_bytes - min(INDEX_BYTES, data_bytes // 3):
            break
        used += cost
        kept.append(n)
    kept_set = set(kept)
    for s, p, o in among:     # nodes the byte budget left out: reachable from the index
        if s not in kept_set and o in kept_set:
            touching[s].append((o, p, True))
        elif o not in kept_set and s in kept_set:
            touching[o].append((s, p, False))
    pairs = [(e, items[e]) for e in among if e[0] in kept_set and e[2] in kept_set]
    drawn = _finish(graph, sc, [nodes[n] for n in sorted(kept_set, key=str)], pairs, lookup)
    ids = [n["id"] for n in drawn[0]]
    index = search_index(graph, sc, ids, touching, data_bytes - used, lookup)
    labelled = [str(n) for n in kept if sc.types[n] != "Indicator"][:LABELLED]
    return View(drawn[0], drawn[1], sc.count - len(kept), labelled, index)


def as_oxgraph(graph):
    """The graph as an ``OxGraph`` (the view reads it with SPARQL): itself, or a copy of an
    rdflib ``Graph`` (``kg view`` reads graph.ttl with rdflib)."""
    graph = graph if isinstance(graph, OxGraph) else OxGraph.of(graph)
    graph._flush()      # SPARQL reads graph.store, which must hold the added triples
    return graph


def _best_edges(among: list, rank: dict, max_edges: int) -> list:
    """At most ``max_edges`` of ``among``: those whose worse-ranked end ranks best, in the
    original order."""
    if len(among) <= max_edges:
        return among
    best = sorted(range(len(among)), key=lambda i: (max(rank[among[i][0]], rank[among[i][2]]),
                                                    min(rank[among[i][0]], rank[among[i][2]]), i))
    return [among[i] for i in sorted(best[:max(max_edges, 0)])]


def _node(graph: Graph, n: URIRef, sc, sentences, lookup=None) -> dict:
    """A drawn node's item: kg's fields (the vis-network ones are added by ``_vis_node``)."""
    t = sc.types[n]
    lookup = lookup if t != "Indicator" else None       # (the lookup tables hold entities)
    articles = node_articles(graph, sentences, n, lookup)
    node = {
        "id": str(n), "type": t, "label": _label(graph, n),
        "aliases": sorted({str(a) for a in graph.objects(n, SKOS.altLabel)}),
        "regions": sorted(set(labels(graph, direct_regions(graph, n, t, lookup), lookup).values())),
        "articles": articles[:ARTICLES_PER_NODE], "degree": sc.degree.get(n, 0),
    }
    if len(articles) > ARTICLES_PER_NODE:
        node["articleCount"] = len(articles)
    if t == "Indicator":
        hits = figure_evidence(graph, sentences, n)
        node["evidence"] = [list(x) for x in in_text_order(hits)[:EVIDENCE_PER_NODE]]
        node["facts"] = indicator_facts(graph, n)
    else:
        hits = mention_evidence(graph, sentences, n, MENTIONS_READ, lookup)
        node["evidence"] = [list(x) for x in in_text_order(hits)[:EVIDENCE_PER_NODE]]
    return _vis_node(node)


def _edge_items(graph: Graph, among: list, sentences, nodes: dict, lookup=None) -> list[dict]:
    """The items of the edges ``among`` (same order): relation, direction, evidence, roles."""
    stated, roles = statements(graph, sentences, among, lookup)
    labels = {n["id"]: n["label"] for n in nodes.values()}
    items = []
    for s, p, o in among:
        name = _local(p)
        ev = stated.get((s, p, o), [])
        if name == "pairedWith":
            ev = sorted(set(ev) | set(stated.get((o, p, s), [])))
        edge = {"from": str(s), "to": str(o), "label": name,
                "directed": name != "pairedWith", "evidence": [list(x) for x in ev[:EVIDENCE_PER_EDGE]]}
        if len(ev) > EVIDENCE_PER_EDGE:
            edge["evidenceCount"] = len(ev)
        if roles.get((s, p, o)):       # a post: the role is what the reader wants on the edge
            edge["roles"] = roles[(s, p, o)]
            edge["label"] = "、".join(edge["roles"])
        items.append(_vis_edge(edge, labels))
    return items


def _finish(graph: Graph, sc, nodes: list, pairs: list, lookup=None) -> tuple[list, list]:
    """Drawn nodes with their drawn degree, size and provinces; edges numbered."""
    drawn_degree: dict = defaultdict(int)
    for (s, _p, o), _x in pairs:
        drawn_degree[s] += 1
        drawn_degree[o] += 1
    provinces = node_provinces(graph, sc.types, [URIRef(n["id"]) for n in nodes],
                                [e for e, _x in pairs], lookup)
    for n in nodes:
        iri = URIRef(n["id"])
        n["size"] = _size(n["type"], drawn_degree[iri])
        n["provinces"] = sorted(str(p) for p in provinces.get(iri, ()))
    edges = [{**x, "id": f"e{i}"} for i, (_e, x) in enumerate(pairs)]
    return nodes, edges


def _province_options(graph: Graph, nodes: list) -> list:
    ids = sorted({p for n in nodes for p in n["provinces"]})
    return sorted(([p, _label(graph, URIRef(p))] for p in ids), key=lambda x: (x[1], x[0]))


def _size(type_: str, degree: int) -> float:
    base = 6 if type_ == "Indicator" else 12
    return round(base + 4 * math.sqrt(degree), 2)


@lru_cache(maxsize=None)
def _type_label(type_: str) -> str:
    zh = [str(x) for x in ontology_graph().objects(KG[type_], RDFS.label) if x.language == "zh"]
    return f"{zh[0]} {type_}" if zh else type_


# --- the pyvis network and the page ------------------------------------------------------

def _network(nodes: list[dict], edges: list[dict], title: str) -> Network:
    """The pyvis ``Network`` of the view: one node per drawn node, one edge per relation (items
    of ``_vis_node`` and ``_vis_edge``), our options."""
    net = Network(heading=title, directed=True, cdn_resources="in_line")
    for n in nodes:
        net.add_node(n["id"], **{k: v for k, v in n.items() if k != "id"})
    for e in edges:
        net.add_edge(e["from"], e["to"], **{k: v for k, v in e.items() if k not in ("from", "to")})
    net.options = _options(len(nodes) <= IMPROVED_LAYOUT_MAX)
    return net


def _vis_node(n: dict) -> dict:
    """kg's node item with vis-network's attributes: shape, group = the type (whose colours the
    options hold), plain-text hover title."""
    item = {**n, "shape": TYPE_STYLE[n["type"]][1], "group": n["type"], "title": _node_title(n)}
    if n["type"] == "Indicator":    # vis-network takes no font from a group: set it here
        item["font"] = {"size": 10}
    return item


def _vis_edge(e: dict, labels: dict) -> dict:
    """kg's edge item with vis-network's: hover title, and the direction as arrows (pyvis's
    Edge takes no "directed" key)."""
    item = {k: v for k, v in e.items() if k != "directed"}
    item["title"] = _edge_title(e, labels)
    item["arrows"] = {"to": {"enabled": e["directed"], "scaleFactor": 0.5}}
    return item


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


def _fixed_bytes() -> int:
    """The page's bytes that do not depend on the graph: vis-network, our assets, the template."""
    return sum(len(x.encode("utf-8")) for x in (*_vis_assets(), _asset("view.js"), _asset("view.css"),
                                               _asset("page.html"), _asset("options.json")))


def _scale(idx: dict) -> dict:
    """What the page says of the graph's size: entities in all, drawn, findable by search, and
    the command that finds the others."""
    indexed = idx["drawn"] + len(idx["rows"])
    text = (f"共 {idx['total']} 个实体 entities，显示 {idx['drawn']} 个 drawn，"
            f"可搜索 {indexed} 个 searchable")
    if not idx["complete"]:
        text += ("；其余实体用 kg query entity-labels --param label=名称 查找 "
                 "(or kg serve)")
    return {"entities": idx["total"], "drawn": idx["drawn"], "indexed": indexed, "text": text}


def _page(net: Network, note: str, view: dict, scale: dict) -> str:
    """The HTML pyvis renders from ``net`` with our template ``kg/data/vis/page.html``, which
    inlines vis-network and our script and style, and the view's data as escaped JSON."""
    net.set_template_dir(f"{data_path('vis')}/", "page.html")
    vis_js, vis_css = _vis_assets()
    net.templateEnv.globals.update(     # what pyvis's render does not pass; options is JSON text
        kg_data=lambda nodes, edges, options: json_for_script(
            {**view, "nodes": nodes, "edges": edges, "options": json.loads(options)}),
        note=note, scale=scale, vis_js=vis_js, vis_css=vis_css,
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
