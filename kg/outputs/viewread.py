"""What the browser view says about each drawn item, read from the graph for those items only:
article titles, evidence sentences (text, article, position; long ones cut), the reified
statements of drawn edges with their rules and roles, a node's regions and provinces, a figure's
facts.

What this module does not do: choose what is drawn (``kg.outputs.viewscan``) or build the page
(``kg.outputs.view``).
"""
from __future__ import annotations

from collections import defaultdict

from rdflib import Graph
from rdflib.namespace import PROV, RDF, RDFS

from kg.graph.labels import label as _label, local_name as _local
from kg.vocab import KG, NIF, SDO

SENTENCE_CHARS = 300    # evidence sentences longer than this are cut (with …)


def article_titles(graph: Graph) -> dict:
    """Article -> its title (else its source file, else its IRI's tail)."""
    titles = {}
    for a in graph.subjects(RDF.type, KG.Article):
        title = graph.value(a, RDFS.label) or graph.value(a, KG.sourceFile)
        titles[a] = str(title) if title is not None else _local(a)
    return titles


class SentenceIndex:
    """Sentence node -> (text as written, article title · its URL if any), with a sort key
    (title, begin)."""

    def __init__(self, graph: Graph, titles: dict):
        self.graph, self.titles, self.cache = graph, titles, {}

    def get(self, sent):
        """(text, article · URL, padded begin) of a sentence node, or None if it has no text."""
        if sent not in self.cache:
            text = self.graph.value(sent, NIF.anchorOf)
            if text is None:
                self.cache[sent] = None
            else:
                art = self.graph.value(sent, NIF.referenceContext)
                begin = self.graph.value(sent, NIF.beginIndex)
                pos = int(begin) if begin is not None else 0
                # pos is padded so the string sort of the tuple follows the text order
                where = self.titles.get(art, _local(art) if art else "")
                url = self.graph.value(art, SDO.url) if art is not None else None
                text = str(text)
                if len(text) > SENTENCE_CHARS:
                    text = text[:SENTENCE_CHARS] + "…"
                self.cache[sent] = (f"{where} · {url}" if url else where, f"{pos:09d}", text)
        hit = self.cache[sent]
        return None if hit is None else (hit[2], hit[0], hit[1])


def in_text_order(hits) -> list[tuple[str, str]]:
    """(text, article, padded begin) hits -> [(text, article)] by article, then position."""
    return [(t, a) for t, a, _ in sorted(hits, key=lambda x: (x[1], x[2], x[0]))]


def statements(graph: Graph, sentences: SentenceIndex, edges: list) -> tuple[dict, dict]:
    """For the ``edges`` drawn, read from the reifications whose subject is one of their ends:
    (s, p, o) -> sorted [(sentence text, article title, pattern)], and (s, p, o) -> sorted
    roles (kg:role: the posts of memberOf)."""
    wanted = set(edges) | {(o, p, s) for s, p, o in edges}
    found: dict = defaultdict(set)
    roles: dict = defaultdict(set)
    for subj in sorted({e[0] for e in wanted}, key=str):
        for st in graph.subjects(RDF.subject, subj):
            key = (subj, graph.value(st, RDF.predicate), graph.value(st, RDF.object))
            if key not in wanted:
                continue
            roles[key].update(str(r) for r in graph.objects(st, KG.role))
            pattern = str(graph.value(st, KG.pattern) or "")
            hits = [h for h in (sentences.get(x) for x in graph.objects(st, KG.evidence)) if h]
            for hit in hits:
                found[key].add((hit[0], hit[1], pattern))
            if not hits:
                art = graph.value(st, PROV.wasDerivedFrom)
                found[key].add(("", str(graph.value(art, RDFS.label) or "") if art else "", pattern))
    return ({k: sorted(v) for k, v in found.items()},
            {k: sorted(v) for k, v in roles.items() if v})


def direct_regions(graph: Graph, node, type_: str) -> list:
    """The regions a node names itself (partOf, locatedIn, appliesIn, inRegion by type)."""
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


def node_provinces(graph: Graph, types: dict, nodes: list, edges: list) -> dict:
    """Node -> its provinces: its regions', else (groups, documents, persons) its neighbours' in ``edges``."""
    memo: dict = {}
    direct = {}
    for n in nodes:
        t = types[n]
        if t == "Region":
            direct[n] = set(_provinces_of_region(graph, n, memo))
        else:
            regions = direct_regions(graph, n, t)
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


def indicator_facts(graph: Graph, n) -> list:
    """A figure's [key, value] facts: value, unit, year and what it measures."""
    facts = []
    for key, pred in (("value", KG.value), ("unit", KG.unit), ("year", KG.year)):
        v = graph.value(n, pred)
        if v is not None:
            facts.append([key, str(v)])
    for m in sorted(graph.objects(n, KG.measures), key=str):
        facts.append(["measures", _label(graph, m)])
    return facts
