"""Regions in a built graph, by SPARQL: the hierarchy found, the region × initiative
comparison and a profile of each province.

A region's province is the region itself or its ancestor along ``kg:partOf`` whose ``kg:level``
is ``province`` (provincial-level cities such as 上海市 included); named areas that cross
provinces (片区) have none.

- ``region_hierarchy``: the regions as a forest along ``kg:partOf`` (parents first), each with
  the bodies located in it, the initiatives that apply in it, the figures about it and the
  articles about it (``schema:spatialCoverage``), directly and with its sub-regions; and the
  number of regions per ``kg:level``.
- ``region_comparison``: for every programme and measure, the provinces it appears in: those
  of the regions it ``kg:appliesIn``, and those of the articles about a province that mention it.
  Shared initiatives (two provinces or more) and those of one province only.
- ``province_profiles``: per province, its bodies (``kg:locatedIn`` a region of it), its groups
  (counted by one of its figures, or targeted by an initiative applying in it) and its figures.

``RegionIndex`` reads the regions and their provinces once; each function takes one or makes
its own. Given a build's lookup tables (``kg.graph.lookup``), it reads the entities and their
relations there instead (``kg.analysis.tables``); rows that may come in any order are sorted,
so that a region, body or group with two labels shows the same one either way.

What this module does not do: NetworkX measures (``network``) or formatting.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rdflib import Graph

from kg.vocab import KG, SDO

from kg.analysis.common import article_id, number, rows, text
from kg.analysis.figures import figure_rows
from kg.analysis.tables import Tables

LEVELS = ("province", "prefecture", "county", "township", "village", "area")

REGIONS = """
SELECT ?r ?label ?level ?code ?parent WHERE {
  ?r a kg:Region .
  OPTIONAL { ?r rdfs:label ?label } OPTIONAL { ?r kg:level ?level }
  OPTIONAL { ?r kg:adminCode ?code } OPTIONAL { ?r kg:partOf ?parent }
}"""

# rdflib runs the patterns of a group with the fewest unknown variables first, deciding before
# initBindings are known; each query below is written so that this order follows its links
# (no pattern of its own type check, which would be run first and multiplied).
PROVINCE_OF = """
SELECT ?r ?prov WHERE { ?prov kg:level "province" . ?r kg:partOf* ?prov }"""

# Things of one class (bound to ?t) attached to a region by one predicate (bound to ?p).
ATTACHED = """
SELECT ?r ?x WHERE { ?x a ?t ; ?p ?r }"""

INITIATIVES = """
SELECT ?i ?t ?label WHERE {
  VALUES ?t { kg:Programme kg:Measure }
  ?i a ?t ; rdfs:label ?label .
}"""

INITIATIVE_ARTICLES = """
SELECT ?i ?a ?home WHERE {
  VALUES ?t { kg:Programme kg:Measure }
  ?i a ?t . ?a kg:mentions ?i . OPTIONAL { ?a schema:spatialCoverage ?home }
}"""

HOMES = """SELECT ?a ?home WHERE { ?a schema:spatialCoverage ?home }"""

BODIES = """
SELECT ?b ?label ?r WHERE { ?b a kg:Body ; rdfs:label ?label ; kg:locatedIn ?r }"""

# The labels of what the figures count, and whether it is a group, read once for each, not
# once per figure.
MEASURED = """
SELECT ?m ?mlabel ?group WHERE {
  VALUES ?m { %s } OPTIONAL { ?m rdfs:label ?mlabel } BIND (EXISTS { ?m a kg:Group } AS ?group)
}"""

TARGETED = """
SELECT ?g ?glabel ?ilabel ?r WHERE {
  ?i kg:targets ?g ; rdfs:label ?ilabel ; kg:appliesIn ?r .
  ?g a kg:Group ; rdfs:label ?glabel .
}"""


@dataclass
class RegionIndex:
    """The regions of a graph (id → id, label, level, code, parents) and the province(s) of
    each, read once and shared by the functions below; with ``tables``
    (``kg.analysis.tables.Tables``), the entities and relations are read from a build's lookup
    tables rather than its graph."""
    regions: dict[str, dict]
    province: dict[str, list[str]]
    tables: Tables | None = None
    _attached: dict = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, graph: Graph, lookup=None) -> "RegionIndex":
        """The index of every region in ``graph``: label, level, code, parents, and the provinces
        each lies in (ordered as the regions are). ``lookup``: the build's lookup tables of the
        graph (``kg.graph.lookup.Lookup``), read instead of it where they can be."""
        tables = Tables(lookup) if lookup is not None else None
        regions: dict[str, dict] = {}
        # in a fixed order: a region with two labels (or levels, codes) shows the first
        for r, lab, level, code, parent in sorted(tables.regions() if tables else rows(graph, REGIONS),
                                                  key=_plain_key):
            reg = regions.setdefault(str(r), {"id": str(r), "label": text(lab) or str(r),
                                              "level": text(level), "code": text(code),
                                              "parents": set()})
            if parent is not None:
                reg["parents"].add(str(parent))
        province: dict[str, set[str]] = defaultdict(set)
        for r, prov in tables.province_of() if tables else rows(graph, PROVINCE_OF):
            province[str(r)].add(str(prov))
        order = {r: _region_order(regions[r]) for r in regions}
        return cls(regions, {r: sorted(p, key=order.get) for r, p in province.items()}, tables)

    def provinces(self) -> list[dict]:
        """The province-level regions, by code."""
        provs = [reg for reg in self.regions.values() if reg["level"] == "province"]
        return [{"id": p["id"], "label": p["label"], "code": p["code"]}
                for p in sorted(provs, key=_region_order)]

    def provinces_of(self, region) -> list[str]:
        """IRIs of the provinces ``region`` lies in; empty for None or an unknown region."""
        return self.province.get(str(region), []) if region is not None else []

    def attached(self, graph: Graph, predicate, type_) -> dict[str, set[str]]:
        """Region (or any object) → the things of class ``type_`` that point at it by
        ``predicate``, read once for all the functions below."""
        key = (str(predicate), str(type_))
        if key not in self._attached:
            entity = self.tables is not None and type_ not in (KG.Article, KG.Indicator)
            pairs = self.tables.attached(predicate, type_) if entity else rows(graph, ATTACHED, p=predicate, t=type_)
            found: dict[str, set[str]] = defaultdict(set)
            for r, x in pairs:
                found[str(r)].add(str(x))
            self._attached[key] = found
        return self._attached[key]

    def bodies(self, graph: Graph) -> list[tuple]:
        """(body, label, region) of each body located in a region, sorted."""
        return sorted(self.tables.bodies() if self.tables else rows(graph, BODIES), key=_plain_key)

    def targeted(self, graph: Graph) -> list[tuple]:
        """(group, its label, initiative label, region) of each initiative that targets a group
        and applies in a region, sorted."""
        return sorted(self.tables.targeted() if self.tables else rows(graph, TARGETED), key=_plain_key)

    def initiatives(self, graph: Graph) -> list[tuple]:
        """(initiative, class, label) of each programme and measure."""
        return self.tables.initiatives() if self.tables else rows(graph, INITIATIVES)

    def label(self, region) -> str:
        """The region's label, or its IRI when the graph gives none."""
        reg = self.regions.get(str(region))
        return reg["label"] if reg else str(region)


def _plain_key(row: tuple) -> tuple:
    """A row's values as text (None first): rows read in any order, sorted alike."""
    return tuple("" if v is None else str(v) for v in row)


def _region_order(reg: dict) -> tuple:
    level = reg.get("level")
    return (LEVELS.index(level) if level in LEVELS else len(LEVELS), reg.get("code") or "~",
            reg["label"], reg["id"])


def region_hierarchy(graph: Graph, index: RegionIndex | None = None,
                     figures: list[tuple] | None = None) -> dict:
    """``{"levels": {level: number of regions}, "roots": [tree …]}``; each tree node has id,
    label, level, code, direct counts (bodies, initiatives, figures, articles), the same
    counted over its sub-regions (``*_total``) and ``children``. A region with two parents is
    listed under each. ``figures``: the rows of ``kg.analysis.figures.figure_rows`` when
    already known, else the figures are read from the graph."""
    index = index or RegionIndex.of(graph)
    regions = index.regions
    if figures is None:
        placed = index.attached(graph, KG.inRegion, KG.Indicator)
    else:
        placed = defaultdict(set)
        for row in figures:
            placed[row[1]].add(row[0])
    attached = {
        "bodies": index.attached(graph, KG.locatedIn, KG.Body),
        "initiatives": _merge(index.attached(graph, KG.appliesIn, KG.Programme),
                              index.attached(graph, KG.appliesIn, KG.Measure)),
        "figures": placed,
        "articles": index.attached(graph, SDO.spatialCoverage, KG.Article),
    }
    children: dict[str, list[str]] = defaultdict(list)
    for rid, reg in regions.items():
        for p in reg["parents"]:
            if p in regions and p != rid:
                children[p].append(rid)
    levels: dict[str, int] = {}
    for reg in regions.values():
        key = reg["level"] or "unknown"
        levels[key] = levels.get(key, 0) + 1
    known = LEVELS + ("unknown",)
    levels = {k: levels[k] for k in sorted(levels, key=lambda k: (
        known.index(k) if k in known else len(known), k))}

    def tree(rid: str, path: frozenset) -> tuple[dict, dict[str, set]]:
        reg = regions[rid]
        node = {"id": rid, "label": reg["label"], "level": reg["level"], "code": reg["code"]}
        below = {k: set(v.get(rid, ())) for k, v in attached.items()}
        for k in attached:
            node[k] = len(below[k])
        kids = []
        for c in sorted(children.get(rid, ()), key=lambda c: _region_order(regions[c])):
            if c in path:       # a cycle in partOf: stop rather than loop
                continue
            sub, sub_below = tree(c, path | {c})
            kids.append(sub)
            for k in attached:
                below[k] |= sub_below[k]
        for k in attached:
            node[f"{k}_total"] = len(below[k])
        node["children"] = kids
        return node, below

    roots = [r for r, reg in regions.items() if not (reg["parents"] & regions.keys()) or
             reg["parents"] == {r}]
    return {"levels": levels,
            "roots": [tree(r, frozenset({r}))[0]
                      for r in sorted(roots, key=lambda r: _region_order(regions[r]))]}


def _merge(a: dict, b: dict) -> dict[str, set[str]]:
    return {r: a.get(r, set()) | b.get(r, set()) for r in a.keys() | b.keys()}


def region_comparison(graph: Graph, index: RegionIndex | None = None,
                      mentioned_by: dict[str, list[str]] | None = None) -> dict:
    """The region × initiative table: ``provinces`` (columns, by code), ``initiatives`` (every
    programme and measure with ``applies_in`` and ``mentioned_in`` province labels, their union
    ``provinces`` and the ``articles`` that mention it), ``shared`` (labels of initiatives in two
    provinces or more), ``single`` (province label → labels of initiatives in it alone) and
    ``unplaced`` (labels of initiatives with no province). ``mentioned_by``: node → ids of the
    articles that mention it, when known (the ``articles`` of ``to_networkx``'s nodes)."""
    index = index or RegionIndex.of(graph)
    provinces = index.provinces()
    plabel = {p["id"]: p["label"] for p in provinces}
    applies: dict[str, set[str]] = defaultdict(set)
    mentioned: dict[str, set[str]] = defaultdict(set)
    articles: dict[str, set[str]] = defaultdict(set)
    for kind in (KG.Programme, KG.Measure):
        for r, initiatives in index.attached(graph, KG.appliesIn, kind).items():
            for i in initiatives:
                applies[i].update(index.provinces_of(r))
    if mentioned_by is None:
        for i, a, home in rows(graph, INITIATIVE_ARTICLES):
            articles[i].add(article_id(a))
            mentioned[i].update(index.provinces_of(home))
    else:
        homes: dict[str, list[str]] = defaultdict(list)
        for a, home in rows(graph, HOMES):
            homes[article_id(a)].append(home)
        for i, _, _ in index.initiatives(graph):
            articles[i].update(mentioned_by.get(i, ()))
            for a in articles[i]:
                for home in homes.get(a, ()):
                    mentioned[i].update(index.provinces_of(home))
    order = {p["id"]: n for n, p in enumerate(provinces)}
    table = []
    for i, t, lab in index.initiatives(graph):
        i = str(i)
        both = applies[i] | mentioned[i]
        table.append({
            "id": i, "label": str(lab), "type": str(t).rsplit("#", 1)[-1],
            "provinces": [plabel[p] for p in sorted(both, key=order.get)],
            "applies_in": [plabel[p] for p in sorted(applies[i], key=order.get)],
            "mentioned_in": [plabel[p] for p in sorted(mentioned[i], key=order.get)],
            "articles": sorted(articles[i]),
        })
    table.sort(key=lambda r: (-len(r["provinces"]), -len(r["articles"]), r["label"], r["id"]))
    single: dict[str, list[str]] = {p["label"]: [] for p in provinces}
    same_label = Counter(r["label"] for r in table)
    for r in table:      # a programme and a measure of the same name are told apart by type
        if len(r["provinces"]) == 1:
            name = r["label"] if same_label[r["label"]] == 1 else f"{r['label']} ({r['type']})"
            single[r["provinces"][0]].append(name)
    return {
        "provinces": provinces,
        "initiatives": table,
        "shared": [r["label"] for r in table if len(r["provinces"]) >= 2],
        "single": {p: sorted(v) for p, v in single.items()},
        "unplaced": sorted(r["label"] for r in table if not r["provinces"]),
    }


def province_profiles(graph: Graph, index: RegionIndex | None = None,
                      figures: list[tuple] | None = None) -> list[dict]:
    """One dict per province (by code): the articles about it, its bodies, its groups (with
    the figures that count them and the initiatives that target them) and its figures, in
    article and text order. ``figures``: the rows of ``kg.analysis.figures.figure_rows`` when
    already known (``kg build`` gathers them as it writes the graph,
    ``kg.analysis.figures.FigureTally``), else read from the graph."""
    index = index or RegionIndex.of(graph)
    provinces = index.provinces()
    prof = {p["id"]: {**p, "articles": set(), "bodies": {}, "groups": {}, "figures": {}}
            for p in provinces}

    placed: dict = {}

    def places(region):
        if region not in placed:
            placed[region] = [prof[p] for p in index.provinces_of(region) if p in prof]
        return placed[region]

    for r, arts in index.attached(graph, SDO.spatialCoverage, KG.Article).items():
        for d in places(r):
            d["articles"].update(article_id(a) for a in arts)
    for b, lab, r in index.bodies(graph):
        for d in places(r):
            d["bodies"][str(b)] = {"label": str(lab), "region": index.label(r)}
    found: dict[str, dict] = {}
    # each article id, value and region label worked out once: 117,584 figures at 10,000 articles
    ids, values, labels = {None: None}, {None: None}, {}
    measured: list[tuple] = []
    for i, r, value, txt, unit, year, a, begin, m, is_iri in (
            figure_rows(graph) if figures is None else figures):
        fig = found.get(i)
        if fig is None:
            fig = found[i] = {
                "text": text(txt), "value": values[value] if value in values else values.setdefault(value, number(value)),
                "unit": text(unit), "year": text(year), "measures": set(),
                "region": labels[r] if r in labels else labels.setdefault(r, index.label(r)),
                "article": ids[a] if a in ids else ids.setdefault(a, article_id(a)),
                "_begin": int(begin) if begin is not None else -1, "_region": r}
        for d in places(r):
            d["figures"][i] = fig
        if m is not None:
            measured.append((fig, i, m if is_iri is True else None, m))
    nodes = {m for _, _, m, _ in measured if m is not None}
    about = index.tables.measured(nodes) if index.tables else _measured(graph, nodes)
    for fig, i, node, m in measured:      # after every figure: as its first region has it
        for lab, is_group in about.get(node, [(None, False)]):
            what = str(lab) if lab is not None else str(m)
            fig["measures"].add(what)
            if is_group is True:
                for d in places(fig["_region"]):
                    grp = d["groups"].setdefault(m, {
                        "label": what, "figures": set(), "targeted_by": set()})
                    grp["figures"].add(i)
    for g, glab, ilab, r in index.targeted(graph):
        for d in places(r):
            grp = d["groups"].setdefault(str(g), {
                "label": str(glab), "figures": set(), "targeted_by": set()})
            grp["targeted_by"].add(str(ilab))
    return [_profile(prof[p["id"]]) for p in provinces]


def _measured(graph: Graph, nodes: set[str]) -> dict[str, list[tuple]]:
    """For each IRI of ``nodes``: its (label or None, is a kg:Group) pairs, one per label."""
    about: dict[str, list[tuple]] = defaultdict(list)
    ordered = sorted(nodes)
    for start in range(0, len(ordered), 500):
        values = " ".join(f"<{n}>" for n in ordered[start:start + 500])
        for m, lab, is_group in rows(graph, MEASURED % values):
            about[m].append((lab, is_group))
    return {m: sorted(pairs, key=_plain_key) for m, pairs in about.items()}     # (as kg.analysis.tables)


def _profile(d: dict) -> dict:
    figures = sorted(d["figures"].items(), key=lambda kv: (
        kv[1]["article"] or "", kv[1]["_begin"], kv[1]["text"] or "", kv[0]))
    rank = {iri: n for n, (iri, _) in enumerate(figures)}
    groups = [{"label": g["label"],
               "figures": [_short(d["figures"][k]) for k in sorted(g["figures"], key=rank.get)],
               "targeted_by": sorted(g["targeted_by"])} for g in d["groups"].values()]
    groups.sort(key=lambda g: (-len(g["figures"]) - len(g["targeted_by"]), g["label"]))
    return {
        "id": d["id"], "label": d["label"], "code": d["code"],
        "articles": sorted(d["articles"]),
        "bodies": sorted(d["bodies"].values(), key=lambda b: (b["label"], b["region"])),
        "groups": groups,
        "figures": [{"text": f["text"], "value": f["value"], "unit": f["unit"], "year": f["year"],
                     "measures": sorted(f["measures"]) if len(f["measures"]) > 1 else list(f["measures"]),
                     "region": f["region"], "article": f["article"]}
                    for _, f in figures],
    }


def _short(fig: dict) -> str:
    """8761支 (2017): a figure's value and unit, with its year when stated."""
    year = f" ({fig['year']})" if fig.get("year") else ""
    return f"{'' if fig['value'] is None else fig['value']}{fig['unit'] or ''}{year}"
