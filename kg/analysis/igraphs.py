"""igraph's compiled graph algorithms for the analysis' two costly steps, over a NetworkX graph:
shortest-path dependencies (betweenness) and Louvain communities with their modularity.

Why igraph: on the entity network of 10,000 articles (14,903 nodes, 108,237 links) networkx's
pure-Python Brandes takes ~8 s for 200 sources and its Louvain ~5 s; igraph's C does each in
well under a second (FACTS-style figures: ``bench/build_bench.py``). The rest of the analysis
stays in NetworkX (``kg.analysis.network``); this is the one module that imports igraph.

Nodes are numbered in the NetworkX graph's own order, so every result follows that order.
Louvain draws from a ``random.Random(seed)`` lent to igraph for the call: the same graph and
seed give the same communities on every run (with the pinned igraph).

What this module does not do: read the RDF graph, rank or name anything.
"""
from __future__ import annotations

import random
import threading

import igraph
import networkx as nx

# igraph's random number generator is process-wide: one seeded call at a time.
_RNG_LOCK = threading.Lock()


def _numbered(G: nx.Graph) -> tuple[igraph.Graph, dict]:
    """``G``'s nodes as 0..n-1 in its order, its edges between them (undirected); and each
    node's number."""
    index = {v: i for i, v in enumerate(G)}
    return igraph.Graph(n=len(index), edges=[(index[a], index[b]) for a, b in G.edges()]), index


def dependencies(G: nx.Graph, sources: list) -> list[float]:
    """For each node of ``G`` (in its order), the sum over ``sources`` s of Brandes' dependency
    of s on it (the pairs (s, t), t any other node, whose shortest paths pass through it) — the
    unscaled sum networkx's betweenness accumulates. igraph counts an undirected pair once, so
    its subset betweenness is half of it.

    >>> dependencies(nx.path_graph(3), [0, 1, 2])     # the middle one lies between 0 and 2 both ways
    [0.0, 2.0, 0.0]
    """
    if not len(G):
        return []
    g, index = _numbered(G)
    found = g.betweenness(directed=False, sources=[index[s] for s in sources])
    return [2 * x for x in found]


def louvain(G: nx.Graph, seed: int) -> list[set]:
    """The Louvain communities of ``G`` (igraph's multilevel, resolution 1, its last level), as
    sets of ``G``'s nodes; the vertex order igraph shuffles is drawn from ``random.Random(seed)``.

    >>> sorted(map(sorted, louvain(nx.Graph([(1, 2), (2, 3), (3, 1), (4, 5), (5, 6), (6, 4), (3, 4)]), 42)))
    [[1, 2, 3], [4, 5, 6]]
    """
    if not len(G):
        return []
    g, index = _numbered(G)
    with _RNG_LOCK:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            membership = g.community_multilevel().membership
        finally:
            igraph.set_random_number_generator(random)
    found: dict[int, set] = {}
    for node, group in zip(index, membership):
        found.setdefault(group, set()).add(node)
    return list(found.values())


def modularity(G: nx.Graph, communities: list[set]) -> float:
    """Newman's modularity (resolution 1) of ``communities`` (a partition of ``G``'s nodes).

    >>> round(modularity(nx.Graph([(1, 2), (3, 4)]), [{1, 2}, {3, 4}]), 3)
    0.5
    """
    group = {n: i for i, members in enumerate(communities) for n in members}
    g, _ = _numbered(G)
    return g.modularity([group[n] for n in G])
