"""The graph as NetworkX, and what NetworkX says about it: centrality per type and communities.

``to_networkx`` is the one conversion from kg's RDF graph to NetworkX. Every entity (the seven
entity types; indicators too when asked) is a node keyed by its IRI string, with attributes
``type``, ``label`` (the canonical ``rdfs:label``) and ``articles`` (sorted ids of the articles
that ``kg:mentions`` it). Two entities joined by any relation of ``RELATION_TYPES`` (and, for
indicators, ``kg:measures`` / ``kg:inRegion``) share one undirected edge whose ``relations``
attribute lists the relation names. Nodes and edges are added in sorted order, so the seeded
algorithms below give the same answer on every run.

``centrality`` gives degree and betweenness per type; ``communities`` runs Louvain
(igraph's multilevel, ``kg.analysis.igraphs``, fixed seed) and names each community by its most
central members. Both return plain, sorted lists of dicts.

What this module does not do: read files, query regions or articles (``regions``, ``coverage``),
or format output.
"""
from __future__ import annotations

import math
import random
from collections import Counter

import networkx as nx
from rdflib import Graph

from kg.model import ENTITY_TYPES, RELATION_TYPES
from kg.vocab import KG

from kg.analysis import igraphs
from kg.analysis.common import article_id, rows
from kg.graph.labels import local_name

INDICATOR_RELATIONS = ("measures", "inRegion")
SEED = 42
# Exact betweenness is O(nodes × edges); above this many nodes it is estimated from a seeded
# sample of BETWEENNESS_SAMPLE source nodes (FACTS.md: exact on 20k nodes takes about an hour),
# and on a graph so large that those searches would take more than BETWEENNESS_WORK steps, from
# fewer: at 10,000 synthetic articles (14,903 entities, 108,237 links) still 200, about 10 s.
EXACT_BETWEENNESS_MAX = 1000
BETWEENNESS_SAMPLE = 200
BETWEENNESS_MIN_SAMPLE = 50
BETWEENNESS_WORK = 25_000_000
NAME_MEMBERS = 3

# The whole graph's entities (of the classes filled in for %s), their labels, the things that
# mention them, and the relations among them: one query each.
TYPED = """SELECT ?s ?t WHERE { VALUES ?t { %s } ?s a ?t FILTER isIRI(?s) }"""
LABELLED = """SELECT ?s ?l (LANG(?l) AS ?lang) WHERE {
  VALUES ?t { %s } ?s a ?t ; rdfs:label ?l FILTER (isIRI(?s) && isLiteral(?l)) }"""
# Grouped, so that Oxigraph spells out each entity and relation once, not once per row (IRIs
# hold no spaces).
MENTIONED = """SELECT ?s (GROUP_CONCAT(STR(?a); separator=" ") AS ?by) WHERE {
  VALUES ?t { %s } ?s a ?t FILTER isIRI(?s) . ?a kg:mentions ?s } GROUP BY ?s"""
RELATED = """SELECT ?s ?p (GROUP_CONCAT(STR(?o); separator=" ") AS ?objects) WHERE {
  VALUES ?p { %s } ?s ?p ?o FILTER isIRI(?o) } GROUP BY ?s ?p"""


def to_networkx(graph: Graph, indicators: bool = False, lookup=None) -> nx.Graph:
    """The undirected NetworkX graph of the entities of ``graph`` and the relations between
    them (see the module docstring). The RDF graph is not modified. Read by four queries over
    the whole graph (types, labels, mentions, relations), not a lookup per entity; or from the
    build's ``lookup`` tables when given (``kg.graph.lookup.Lookup``, which hold entities only:
    their labels, all in Chinese as kg writes them, their mentions and relations)."""
    if indicators:
        lookup = None
    wanted = ENTITY_TYPES + (("Indicator",) if indicators else ())
    classes = " ".join(f"kg:{t}" for t in wanted)
    rank = {str(KG[t]): n for n, t in enumerate(wanted)}
    types: dict[str, int] = {}
    if lookup is not None:
        entities = [(s, str(KG[t]), label) for s, t, label, _level, _code in lookup.entities() if str(KG[t]) in rank]
        typed, labelled = ((s, t) for s, t, _ in entities), ((s, label, "zh") for s, _, label in entities)
    else:
        typed, labelled = rows(graph, TYPED % classes), rows(graph, LABELLED % classes)
    for s, t in typed:     # the first type in ``wanted`` wins if a node has two
        if rank[t] < types.get(s, len(wanted)):
            types[s] = rank[t]
    names: dict[str, tuple] = {}
    for s, text, lang in labelled:
        key = (lang != "zh", lang, text)        # as kg.graph.labels.label chooses
        if s in types and (s not in names or key < names[s]):
            names[s] = key
    if lookup is not None:
        mentioned = lookup.mentioned()      # (sorted)
    else:                                   # (a row per entity: grouped)
        mentioned = ((s, sorted({article_id(a) for a in by.split()})) for s, by in rows(graph, MENTIONED % classes))
    articles = {s: ids for s, ids in mentioned if s in types}
    G = nx.Graph()
    for node in sorted(types):
        G.add_node(node, type=wanted[types[node]],
                   label=names[node][2] if node in names else local_name(node),
                   articles=articles.get(node, []))
    relations: dict[tuple[str, str], set[str]] = {}
    for s, p, o in _related(graph, RELATION_TYPES + (INDICATOR_RELATIONS if indicators else ()), lookup):
        if s in types and o in types and s != o:
            pair = (s, o) if s < o else (o, s)
            relations.setdefault(pair, set()).add(p[len(str(KG)):])
    G.add_edges_from((a, b, {"relations": sorted(relations[(a, b)])}) for (a, b) in sorted(relations))
    return G


def _related(graph: Graph, predicates: tuple, lookup=None):
    """(s, p, o) of each relation of ``predicates`` whose object is an IRI, from the graph or
    from the build's ``lookup`` tables."""
    if lookup is not None:
        wanted = {str(KG[n]) for n in predicates}
        yield from ((s, p, o) for s, p, o in lookup.edges() if p in wanted)
        return
    for s, p, objects in rows(graph, RELATED % " ".join(f"kg:{n}" for n in predicates)):
        for o in objects.split():
            yield s, p, o


def betweenness(G: nx.Graph, seed: int = SEED) -> tuple[dict[str, float], dict]:
    """Normalised betweenness of every node, exact up to EXACT_BETWEENNESS_MAX nodes and
    estimated above from ``k`` seeded sample sources (``sample_size``); with a note of the method."""
    n = G.number_of_nodes()
    if n <= EXACT_BETWEENNESS_MAX:
        return sampled_betweenness(G, n, seed), {"method": "exact"}
    k = sample_size(n, G.number_of_edges())
    return sampled_betweenness(G, k, seed), {"method": "sampled", "k": k, "seed": seed}


def sample_size(nodes: int, edges: int) -> int:
    """How many sources the estimate takes: BETWEENNESS_SAMPLE, fewer (not below
    BETWEENNESS_MIN_SAMPLE) where that many breadth-first searches would pass BETWEENNESS_WORK
    steps (one per node and link reached), so the estimate's time stops growing with the graph."""
    k = min(BETWEENNESS_SAMPLE, max(BETWEENNESS_MIN_SAMPLE, BETWEENNESS_WORK // max(nodes + edges, 1)))
    return min(k, nodes)


def sampled_betweenness(G: nx.Graph, k: int, seed: int = SEED) -> dict[str, float]:
    """``nx.betweenness_centrality(G, k=k, normalized=True, seed=seed)``: the same estimator from
    the same sources (all nodes when ``k`` is all of them), its searches run by igraph's compiled
    Brandes (``kg.analysis.igraphs``) some twenty times faster; the sums, taken in another order,
    agree to the last bits of a float."""
    nodes = list(G)
    # as networkx draws them; all nodes, in order, when k is all of them
    sources = nodes if k == len(nodes) else random.Random(seed).sample(nodes, k)
    total = igraphs.dependencies(G, sources)
    n = len(nodes) - 1                                 # networkx's _rescale, endpoints excluded
    if n < 2:
        return dict.fromkeys(nodes, 0.0)
    if k == len(nodes):
        on_source = other = 1 / (n * (n - 1))
    else:
        on_source = 1 / ((k - 1) * (n - 1)) if k > 1 else math.nan
        other = 1 / (k * (n - 1))
    drawn = set(sources)
    return {v: total[i] * (on_source if v in drawn else other) for i, v in enumerate(nodes)}


def centrality(G: nx.Graph, types=("Body", "Programme", "Measure"),
               between: dict[str, float] | None = None) -> dict[str, list[dict]]:
    """For each type, its nodes with degree (number of distinct neighbours) and normalised
    betweenness (over the whole graph), most central first: by degree, then betweenness,
    then label. ``between`` may pass precomputed betweenness values."""
    if between is None:
        between = betweenness(G)[0]
    out: dict[str, list[dict]] = {}
    for t in types:
        rows = [{"id": n, "label": d["label"], "degree": G.degree(n),
                 "betweenness": round(between.get(n, 0.0), 6), "articles": d["articles"]}
                for n, d in G.nodes(data=True) if d["type"] == t]
        rows.sort(key=lambda r: (-r["degree"], -r["betweenness"], r["label"], r["id"]))
        out[t] = rows
    return out


def communities(G: nx.Graph, seed: int = SEED,
                between: dict[str, float] | None = None) -> tuple[list[dict], int]:
    """Louvain communities of the nodes that have at least one edge, largest first, and the
    number of isolated nodes left out. Each community is named by its NAME_MEMBERS most
    central members (degree, then betweenness within the whole graph, then label);
    ``between`` may pass precomputed betweenness values."""
    H = _connected(G)
    isolated = G.number_of_nodes() - len(H)
    if not len(H):
        return [], isolated
    if between is None:
        between = betweenness(G, seed)[0]
    found = igraphs.louvain(H, seed)
    home = {n: i for i, members in enumerate(found) for n in members}
    internal = Counter(home[a] for a, b in H.edges() if home[a] == home[b])
    result = []
    for i, members in enumerate(found):
        ranked = sorted(members, key=lambda n: (-G.degree(n), -between.get(n, 0.0),
                                                G.nodes[n]["label"], n))
        nodes = [{"id": n, "label": G.nodes[n]["label"], "type": G.nodes[n]["type"],
                  "degree": G.degree(n)} for n in ranked]
        types = Counter(m["type"] for m in nodes)
        result.append({
            "name": " · ".join(m["label"] for m in nodes[:NAME_MEMBERS]),
            "size": len(nodes),
            "internal_edges": internal[i],
            "types": {t: types[t] for t in sorted(types, key=_type_order)},
            "articles": sorted({a for n in members for a in G.nodes[n]["articles"]}),
            "members": nodes,
        })
    result.sort(key=lambda c: (-c["size"], c["name"], c["members"][0]["id"]))
    return result, isolated


def modularity(G: nx.Graph, found: list[dict]) -> float | None:
    """Modularity of the communities over the connected part of ``G`` (None without edges):
    over ``G`` itself, each isolated node a community of its own, which adds nothing to it."""
    if G.number_of_edges() == 0:
        return None
    placed = [{m["id"] for m in c["members"]} for c in found]
    alone = [{n} for n in G if G.degree(n) == 0]
    return round(igraphs.modularity(G, placed + alone), 6)


def _connected(G: nx.Graph) -> nx.Graph:
    """The nodes of ``G`` that have an edge, and its edges, in ``G``'s order: a graph of its own,
    for igraph numbers the nodes in the order given. (A subgraph view lists them from a set
    when it keeps fewer than half of them, in an order that changes with PYTHONHASHSEED: so
    would the communities.)"""
    H = nx.Graph()
    H.add_nodes_from(n for n in G if G.degree(n) > 0)
    H.add_edges_from(G.edges())
    return H


def _type_order(t: str) -> tuple:
    order = ENTITY_TYPES + ("Indicator",)
    return (order.index(t) if t in order else len(order), t)
