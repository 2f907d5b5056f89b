"""``kg analyze``: what a built graph says across articles, written as ``analysis.md`` and
``analysis.json``.

``analyze(graph)`` converts the RDF graph to NetworkX once (``kg.analysis.network.to_networkx``)
and assembles, as one plain dict:

- ``graph``: entities per type, links, figures, articles, connected components;
- ``centrality``: degree and betweenness of bodies, programmes, measures and groups, with the
  articles each comes from;
- ``communities``: Louvain communities (fixed seed) named by their most central members;
- ``posts``: the bodies with the most named office-holders (``kg:memberOf``), with their roles;
- ``regions``: the region hierarchy with counts per level;
- ``comparison``: the region × initiative table (shared and single-province initiatives);
- ``provinces``: per province, its bodies, groups and reported figures;
- ``coverage``: per article, entities per type and sentences with no extraction.

The work goes in ``STEPS``; ``analyze(graph, step)`` calls ``step(name)`` as each starts.

Every figure comes from the graph, by a NetworkX call or a SPARQL query (in ``kg.analysis``).
``write_analysis`` writes both files atomically; the same graph gives byte-identical files.

What this module does not do: build or draw the graph, or serve queries.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Callable

import networkx as nx
import orjson
from rdflib import Graph

from kg.files import write_atomic
from kg.model import ENTITY_TYPES
from kg.graph.oxgraph import OxGraph
from kg.vocab import KG

from kg.analysis.common import rows
from kg.analysis.coverage import article_coverage
from kg.analysis.markdown import render_markdown
from kg.analysis.network import SEED, betweenness, centrality, communities, modularity, to_networkx
from kg.analysis.officeholders import office_holders
from kg.analysis.hierarchy import RegionIndex, province_profiles, region_comparison, region_hierarchy

CENTRAL_TYPES = ("Body", "Programme", "Measure", "Group")
OUTPUTS = ("analysis.md", "analysis.json")


COUNT = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?t }"
STEPS = ("network", "centrality", "communities", "posts", "regions", "comparison", "provinces", "coverage")


def analyze(graph: Graph | OxGraph, step: Callable[[str], None] | None = None,
            coverage: list[dict] | None = None, figures: list[tuple] | None = None, lookup=None) -> dict:
    """The analysis of ``graph`` as a dict of plain values (see the module docstring). It reads
    a build's ``OxGraph``; an rdflib Graph is copied into one first, so the SPARQL runs on Oxigraph.
    ``step(name)`` is called as each of ``STEPS`` starts (progress). ``coverage``: the rows of
    ``article_coverage`` when already known (``kg build`` tallies them as it writes the graph,
    ``kg.analysis.coverage.CoverageTally``), else read from the graph; ``figures`` likewise, the
    rows of ``kg.analysis.figures.figure_rows`` (``kg.analysis.figures.FigureTally``); ``lookup``
    the build's lookup tables of the graph (``kg.graph.lookup.Lookup``), read instead of the
    graph where they can be."""
    step = step or (lambda name: None)
    step("network")
    if not isinstance(graph, OxGraph):
        graph = OxGraph.of(graph)
    G = to_networkx(graph, lookup=lookup)
    by_type = Counter(d["type"] for _, d in G.nodes(data=True))
    step("centrality")
    between, method = betweenness(G)
    central = centrality(G, CENTRAL_TYPES, between)
    step("communities")
    found, isolated = communities(G, SEED, between)
    result = {
        "graph": {
            "entities": G.number_of_nodes(),
            "entities_by_type": {t: by_type.get(t, 0) for t in ENTITY_TYPES},
            "links": G.number_of_edges(),
            "indicators": _count(graph, KG.Indicator),
            "articles": _count(graph, KG.Article),
            "components": nx.number_connected_components(G) if len(G) else 0,
            "isolated": isolated,
        },
        "centrality": {"betweenness": method, "types": central},
        "communities": {"algorithm": "louvain", "seed": SEED, "modularity": modularity(G, found),
                        "isolated": isolated, "list": found},
    }
    step("posts")
    result["posts"] = office_holders(graph)
    step("regions")
    regions = RegionIndex.of(graph, lookup)
    result["regions"] = region_hierarchy(graph, regions, figures)
    step("comparison")
    result["comparison"] = region_comparison(graph, regions, {n: d["articles"] for n, d in G.nodes(data=True)})
    step("provinces")
    result["provinces"] = province_profiles(graph, regions, figures)
    step("coverage")
    result["coverage"] = article_coverage(graph) if coverage is None else coverage
    return result


def _count(graph: OxGraph, type_) -> int:
    return rows(graph, COUNT, t=type_)[0][0]


def to_json(result: dict) -> str:
    """analysis.json: the result as JSON indented by two spaces, Chinese left unescaped, ending
    in a newline (orjson's layout; ``dump_json`` writes the same bytes).

    >>> print(to_json({"graph": {"links": 2}, "list": [1, "乙"]}), end="")
    {
      "graph": {
        "links": 2
      },
      "list": [
        1,
        "乙"
      ]
    }
    """
    return orjson.dumps(result, option=_JSON_OPTIONS | orjson.OPT_APPEND_NEWLINE).decode("utf-8")


def dump_json(result: dict, fh) -> None:
    """Write ``to_json(result)`` to the binary file ``fh`` piece by piece: each item of the top
    two levels encoded alone (by orjson, in C), so that the whole text (400 MB at 100,000 articles)
    is never held at once."""
    for piece in _pieces(result, b"\n", 2):
        fh.write(piece)
    fh.write(b"\n")


_JSON_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS


def _pieces(value, newline: bytes, depth: int):
    """orjson's indented text of ``value`` as it stands after ``newline`` (a newline and the
    indent there), in pieces: a container of the top ``depth`` levels item by item."""
    if depth == 0 or not value or not isinstance(value, (dict, list)):
        yield orjson.dumps(value, option=_JSON_OPTIONS).replace(b"\n", newline)
        return
    inner, is_dict = newline + b"  ", isinstance(value, dict)
    yield b"{" if is_dict else b"["
    for i, item in enumerate(value.items() if is_dict else value):
        yield (b"," if i else b"") + inner
        if is_dict:
            key, item = item
            yield orjson.dumps({key: None}, option=orjson.OPT_NON_STR_KEYS)[1:-len(b":null}")] + b": "
        yield from _pieces(item, inner, depth - 1)
    yield newline + (b"}" if is_dict else b"]")


def write_analysis(graph: Graph | OxGraph, out_dir: str | Path,
                   step: Callable[[str], None] | None = None,
                   coverage: list[dict] | None = None,
                   figures: list[tuple] | None = None, lookup=None) -> dict[str, Path]:
    """Analyse ``graph`` (``step``, ``coverage``, ``figures``, ``lookup``: as in ``analyze``) and
    write ``analysis.md`` and ``analysis.json`` into ``out_dir`` (each atomically); return their
    paths by name."""
    result = analyze(graph, step, coverage, figures, lookup)
    out = Path(out_dir)
    write_atomic(out / "analysis.json", lambda fh: dump_json(result, fh))
    write_atomic(out / "analysis.md", render_markdown(result))
    return {name: out / name for name in OUTPUTS}
