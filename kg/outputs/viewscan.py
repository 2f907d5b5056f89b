"""What the browser view draws and what its search index holds, chosen in passes over the graph
that are linear in its size, before any page item is built.

``scan`` reads every node's type and its degree over the drawn relations (one pass per relation)
and ranks the nodes: degree, then type, then IRI, so the choice is the same for the same graph
whatever order the store answers in. ``split_edges`` then sorts the edges read: those among the
nodes chosen for drawing, and for every other entity the edges that tie it to
a drawn node. ``search_index`` lists the entities not drawn, best-ranked first, as compact rows
(label, type, degree, article count, IRI, aliases, edges to drawn nodes) until a byte budget is
spent.

What this module does not do: read evidence or build the page's items (``kg.outputs.view``).
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kg.outputs.viewread import labels, select, select_each
from kg.model import ENTITY_TYPES, RELATION_TYPES
from kg.vocab import KG, KGR_URI

NODE_TYPES = ENTITY_TYPES + ("Indicator",)
_PREFIXES = f"PREFIX kg: <{KG}>\n"
INDICATOR_EDGES = ("measures", "inRegion")
EDGE_NAMES = RELATION_TYPES + INDICATOR_EDGES
# An index row carries at most this many edges to drawn nodes (enough to place it among them).
INDEX_EDGES = 4
INDEX_ALIASES = 3
_INDEX_CHUNK = 500     # index rows whose figures are read together


@dataclass
class Scan:
    """Every node's type and degree, the nodes in rank order (best-connected first), the edges
    read between entities, and how many nodes there are (``count``). On a large graph ``types``,
    ``degree`` and ``order`` may hold the entities only: see ``scan``'s ``top``."""
    types: dict
    degree: dict
    order: list
    edges: list
    count: int

    def rank(self) -> dict:
        """Node -> its position in ``order``."""
        return {n: i for i, n in enumerate(self.order)}


def scan(graph: Graph, top: int | None = None, lookup=None) -> Scan:
    """Types, degrees and the deterministic rank of every node the view can draw. ``top``: the
    caller reads no further than the first ``top`` of ``order``. When no figure can rank that
    high (figures have few links, and rank after entities of the same degree), the figures are
    counted, not read: each IRI read from the on-disk store costs microseconds, and figures are
    nine nodes in ten of a large graph (``_entity_scan``; ``lookup``: a build's lookup tables
    of the graph, ``kg.graph.lookup.Lookup``, which it then reads the entities from)."""
    if top is not None:
        quick = _entity_scan(graph, top, lookup)
        if quick is not None:
            return quick
    types: dict[URIRef, str] = {}
    for t in NODE_TYPES:    # first type in NODE_TYPES order wins if a node has two
        for s in graph.subjects(RDF.type, KG[t]):
            if isinstance(s, URIRef):
                types.setdefault(s, t)
    degree: dict[URIRef, int] = defaultdict(int)
    edges = []
    for s, p, o in _edges(graph, types, EDGE_NAMES):
        degree[s] += 1
        degree[o] += 1
        # a figure's edges (most of them) are read again for the few figures drawn
        if types[s] != "Indicator" and types[o] != "Indicator":
            edges.append((s, p, o))
    return Scan(types, dict(degree), _ranked(types, degree), edges, len(types))


def _ranked(types: dict, degree: dict) -> list:
    """The nodes of ``types`` best-connected first: by degree, then type, then IRI."""
    type_pos = {t: i for i, t in enumerate(NODE_TYPES)}
    return sorted(types, key=lambda n: (-degree[n], type_pos[types[n]], str(n)))


def _edges(graph: Graph, types: dict, names, others: set | None = None, lookup=None):
    """(s, predicate, o) of the relations ``names`` between typed nodes: no loops, one edge per
    pairedWith pair (symmetric, stored in IRI order). Untyped ends go into ``others``. Read
    from a build's ``lookup`` tables when given."""
    pairs = _pairs_of(lookup, types) if lookup is not None else None
    for name in names:
        pred, paired = KG[name], name == "pairedWith"
        seen = set()
        for s, o in graph.subject_objects(pred) if pairs is None else pairs.get(pred, ()):
            if s in types and o in types and s != o:
                if paired:
                    if str(o) < str(s):
                        s, o = o, s
                    if (s, o) in seen:
                        continue
                    seen.add((s, o))
                yield s, pred, o
            elif others is not None and s != o:
                others.update(x for x in (s, o) if x not in types and isinstance(x, URIRef))


_ENTITY_CLASSES = " ".join(f"kg:{t}" for t in ENTITY_TYPES)
# Each query below counts or groups encoded terms and reads (decodes) few: a filter on a term's
# kind or a DISTINCT would decode them all. What the counts cannot tell apart, the scan refuses:
# an IRI typed as a figure and as an entity (the full scan gives it the entity's type), a figure
# that is a blank node. (A figure linked to itself or to another figure is found among the
# objects read; an entity linked to itself is read, and skipped, like any link not from a figure.)
_REFUSED = (f"SELECT ?s WHERE {{ VALUES ?t {{ {_ENTITY_CLASSES} }} ?s a ?t . ?s a kg:Indicator }} LIMIT 1",
            "SELECT ?s WHERE { ?s a kg:Indicator FILTER isBlank(?s) } LIMIT 1")
_FIGURES = "SELECT (COUNT(*) AS ?c) WHERE { ?s a kg:Indicator }"
# per object, the links of a figure relation; then those whose subject is not a figure
_PER_OBJECT = "SELECT ?o (COUNT(*) AS ?c) WHERE {{ ?s kg:{} ?o }} GROUP BY ?o"
_NOT_FROM_FIGURES = "SELECT ?s ?o WHERE {{ ?s kg:{} ?o MINUS {{ ?s a kg:Indicator }} }}"
# the most links any subject has by the figure relations: a bound on a figure's degree
_MOST_LINKS = """SELECT (MAX(?d) AS ?m) WHERE {{ SELECT (COUNT(*) AS ?d) WHERE {{
  VALUES ?p {{ {} }} ?s ?p ?o }} GROUP BY ?s }}"""


def _entity_scan(graph: Graph, top: int, lookup=None) -> Scan | None:
    """``scan`` of the entities alone, with their full degrees and the number of figures, if it
    gives the same first ``top`` of ``order`` as the full scan: no figure has links other than its
    own ``measures``/``inRegion`` to entities, none is of the kinds ``_REFUSED``, and at least
    ``top`` entities have as many links as a figure can have. Else None. With ``lookup`` the
    entities and their relations are read from a build's lookup tables, and the kinds refused
    are not looked for: kg writes figures as IRIs typed kg:Indicator alone."""
    types = _entity_types(graph) if lookup is None else _entity_types_of(lookup)
    if len(types) < top or (lookup is None and any(select(graph, q) for q in _REFUSED)):
        return None
    degree: dict[URIRef, int] = defaultdict(int)
    edges, others = [], set()
    for s, p, o in _edges(graph, types, RELATION_TYPES, others, lookup):
        degree[s] += 1
        degree[o] += 1
        edges.append((s, p, o))
    for name in INDICATOR_EDGES:
        from_figures = Counter({o: int(c) for o, c in _terms(graph, _PER_OBJECT.format(name), "o", "c")})
        for s, o in _terms(graph, _NOT_FROM_FIGURES.format(name), "s", "o"):
            from_figures[o] -= 1
            if s == o:
                continue
            if s in types and o in types:
                degree[s] += 1
                degree[o] += 1
                edges.append((s, KG[name], o))
            else:
                others.update(x for x in (s, o) if x not in types and isinstance(x, URIRef))
        for o, links in from_figures.items():
            if links and o in types:
                degree[o] += links
            elif links and isinstance(o, URIRef):
                others.add(o)
    if others and select_each(graph, "n", others, "?n a kg:Indicator", head="SELECT ?n", tail="LIMIT 1"):
        return None         # a figure linked otherwise than to entities by its own relations
    bound = select(graph, _MOST_LINKS.format(" ".join(f"kg:{n}" for n in INDICATOR_EDGES)))
    most = int(bound[0].get("m", 0)) if bound else 0
    if sum(1 for n in types if degree[n] >= most) < top:
        return None
    figures = int(select(graph, _FIGURES)[0]["c"])
    return Scan(types, dict(degree), _ranked(types, degree), edges, len(types) + figures)


def _entity_types(graph: Graph) -> dict:
    """IRI → type of every entity (the first of ``ENTITY_TYPES`` if it has two)."""
    types: dict[URIRef, str] = {}
    for t in ENTITY_TYPES:
        for s in graph.subjects(RDF.type, KG[t]):
            if isinstance(s, URIRef):
                types.setdefault(s, t)
    return types


def _entity_types_of(lookup) -> dict:
    """``_entity_types`` read from a build's lookup tables."""
    rank = {t: i for i, t in enumerate(ENTITY_TYPES)}
    found: dict[str, str] = {}
    for iri, t, *_ in lookup.entities():
        if t in rank and (iri not in found or rank[t] < rank[found[iri]]):
            found[iri] = t
    return {URIRef(iri): t for iri, t in found.items()}


def _pairs_of(lookup, types: dict) -> dict:
    """Relation → its (subject, object) pairs, as terms, read from a build's lookup tables."""
    terms = {str(n): n for n in types}
    pairs = defaultdict(list)
    for s, p, o in lookup.edges():
        pairs[URIRef(p)].append((terms.get(s) or URIRef(s), terms.get(o) or URIRef(o)))
    return pairs


def _terms(graph, query: str, *names: str):
    """The rows of ``query`` as tuples of rdflib terms (an IRI, a blank node or a literal): the
    values of ``names``."""
    from kg.graph.store import to_rdflib

    for row in graph.store.query(_PREFIXES + query):
        yield tuple(to_rdflib(row[n]) for n in names)


def split_edges(graph: Graph, sc: Scan, drawn: set) -> tuple[list, dict]:
    """The edges among ``drawn`` (sorted by relation, then IRIs), and for each entity not drawn
    its edges to drawn nodes as ``(drawn node, predicate, outgoing?)``."""
    among, touching, types = [], defaultdict(list), sc.types
    figures = sorted((n for n in drawn if types[n] == "Indicator"), key=str)
    for s, p, o in sc.edges + _figure_edges(graph, types, figures):
        if s in drawn and o in drawn:
            among.append((s, p, o))
        elif s in drawn and types[o] != "Indicator":
            touching[o].append((s, p, False))
        elif o in drawn and types[s] != "Indicator":
            touching[s].append((o, p, True))
    order = {KG[n]: i for i, n in enumerate(EDGE_NAMES)}
    among.sort(key=lambda e: (order[e[1]], str(e[0]), str(e[2])))
    return among, touching


def _figure_edges(graph: Graph, types: dict, figures: list) -> list:
    """The drawn relations with a figure at one end or both (``_edges``'s rules), read for
    ``figures`` only."""
    found = set()
    for name in EDGE_NAMES:
        pred = KG[name]
        for n in figures:
            pairs = [(n, o) for o in graph.objects(n, pred)] + [(s, n) for s in graph.subjects(pred, n)]
            for s, o in pairs:
                if s in types and o in types and s != o:
                    if name == "pairedWith" and str(o) < str(s):
                        s, o = o, s
                    found.add((s, pred, o))
    return sorted(found, key=lambda e: tuple(map(str, e)))


def json_for_script(obj) -> str:
    """JSON that is safe inside a ``<script>`` block: no ``</script>``, ``<!--`` or entity can
    form, because ``<``, ``>`` and ``&`` become ``\\u003c`` etc. (still the same JSON value);
    U+2028/2029 are escaped for old JS parsers."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for ch, esc in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def json_bytes(obj) -> int:
    """The bytes ``obj`` takes in the page (UTF-8 of ``json_for_script``)."""
    return len(json_for_script(obj).encode("utf-8"))


def search_index(graph: Graph, sc: Scan, drawn_ids: list, touching: dict, max_bytes: int,
                 lookup=None) -> dict:
    """The entities not drawn, best-ranked first, as rows
    ``[label, type index, degree, articles, IRI (relative to the kg base), aliases, edges]``
    (each edge ``[position in drawn_ids, relation index, 1 if the entity is its subject]``) while
    their JSON fits in ``max_bytes``; ``total`` counts every entity, ``rows`` those listed.
    ``lookup``: a build's lookup tables, read for labels and article counts when given."""
    pos = {iri: i for i, iri in enumerate(drawn_ids)}
    rel = {KG[n]: i for i, n in enumerate(EDGE_NAMES)}
    type_pos = {t: i for i, t in enumerate(NODE_TYPES)}
    rows, used = [], 2
    entities = [n for n in sc.order if sc.types[n] != "Indicator"]
    todo = [n for n in entities if str(n) not in pos]
    for start in range(0, len(todo), _INDEX_CHUNK):     # read a chunk's figures in a few queries
        chunk = todo[start:start + _INDEX_CHUNK]
        figures = _index_figures(graph, chunk, lookup)
        for n in chunk:
            row = _row(n, figures, sc, type_pos, pos, rel, touching.get(n, ()))
            size = json_bytes(row) + 1
            if used + size > max_bytes:
                break
            rows.append(row)
            used += size
        else:
            continue
        break
    drawn_entities = sum(1 for i in drawn_ids if sc.types[URIRef(i)] != "Indicator")
    return {"base": KGR_URI, "types": list(NODE_TYPES), "relations": list(EDGE_NAMES),
            "rows": rows, "total": len(entities), "drawn": drawn_entities,
            "complete": drawn_entities + len(rows) == len(entities)}


def _index_figures(graph, nodes: list, lookup=None) -> dict:
    """For ``nodes``: their labels (``kg.graph.labels.label``'s choice), aliases and the number
    of articles mentioning each, read in a few queries (labels and counts from ``lookup``, a
    build's lookup tables, when given)."""
    names, aliases = labels(graph, nodes, lookup), defaultdict(set)
    for r in select_each(graph, "n", nodes, "?n skos:altLabel ?a"):
        aliases[r["n"]].add(r["a"])
    if lookup is not None:
        counts = lookup.article_counts(str(n) for n in nodes)
    else:
        counts = {r["n"]: int(r["c"]) for r in select_each(
            graph, "n", nodes, "?a kg:mentions ?n", head="SELECT ?n (COUNT(?a) AS ?c)", tail="GROUP BY ?n")}
    return {str(n): (names[str(n)], aliases[str(n)], counts.get(str(n), 0)) for n in nodes}


def _row(n, figures: dict, sc: Scan, type_pos, pos, rel, touching) -> list:
    iri = str(n)
    name, alts, count = figures[iri]
    aliases = sorted(alts - {name})[:INDEX_ALIASES]
    edges = sorted([pos[str(d)], rel[p], int(out)] for d, p, out in touching
                   if str(d) in pos)[:INDEX_EDGES]
    return [name, type_pos[sc.types[n]], sc.degree.get(n, 0), count,
            iri[len(KGR_URI):] if iri.startswith(KGR_URI) else iri, aliases, edges]
