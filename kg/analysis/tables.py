"""The rows of the region queries of ``kg.analysis.hierarchy`` read from a build's lookup tables
(``kg.graph.lookup``) instead of its store: the same rows, as plain strings, for the entities
and the relations among them.

Why: in the on-disk store of a large build each term spelt out costs microseconds, and these
queries spell out every region, body, initiative and group with their relations; the lookup
tables hold the same entities (type, label, level, code) and relations (each once).

What this module does not do: read articles or figures (not in the tables), or analyse.
"""
from __future__ import annotations

from collections import defaultdict

from kg.vocab import KG

_PROVINCE = "province"


class Tables:
    """The entities and relations of a build's lookup tables (``kg.graph.lookup.Lookup``), read
    once, answering as ``kg.analysis.hierarchy``'s queries do."""

    def __init__(self, lookup):
        self.lookup = lookup
        self.types: dict[str, set[str]] = defaultdict(set)
        self.labels: dict[str, set[str]] = defaultdict(set)
        self.region: dict[str, tuple] = {}          # IRI → (levels, codes)
        for iri, type_, label, level, code in lookup.entities():
            self.types[iri].add(str(KG[type_]))
            self.labels[iri].add(label)
            if type_ == "Region":
                levels, codes = self.region.setdefault(iri, (set(), set()))
                levels.update([level] if level else ())
                codes.update([code] if code else ())
        self._edges: dict[str, list[tuple[str, str]]] = {}

    def edges(self, predicate) -> list[tuple[str, str]]:
        """(subject, object) of each relation of ``predicate``."""
        p = str(predicate)
        if p not in self._edges:
            self._edges[p] = [(s, o) for s, _p, o in self.lookup.edges(p)]
        return self._edges[p]

    def regions(self) -> list[tuple]:
        """REGIONS: (region, label, level, code, parent) for each label, level, code and parent."""
        parents = defaultdict(set)
        for s, o in self.edges(KG.partOf):
            parents[s].add(o)
        return [(r, label, level, code, parent)
                for r, (levels, codes) in self.region.items()
                for label in self.labels[r] or [None] for level in levels or [None]
                for code in codes or [None] for parent in parents[r] or [None]]

    def province_of(self) -> list[tuple[str, str]]:
        """PROVINCE_OF: (r, province) for each node that is, or lies along ``kg:partOf`` in, a
        region whose level is province."""
        below = defaultdict(set)
        for s, o in self.edges(KG.partOf):
            below[o].add(s)
        out = []
        for prov in (r for r, (levels, _codes) in self.region.items() if _PROVINCE in levels):
            seen, todo = {prov}, [prov]
            while todo:
                for child in below[todo.pop()] - seen:
                    seen.add(child)
                    todo.append(child)
            out.extend((r, prov) for r in seen)
        return out

    def attached(self, predicate, type_) -> list[tuple[str, str]]:
        """ATTACHED: (r, x) for each ``x`` of class ``type_`` (an entity class) ``predicate`` ``r``."""
        t = str(type_)
        return [(o, s) for s, o in self.edges(predicate) if t in self.types.get(s, ())]

    def bodies(self) -> list[tuple[str, str, str]]:
        """BODIES: (body, label, region) for each label and region it is located in."""
        return [(s, label, o) for s, o in self.edges(KG.locatedIn)
                if str(KG.Body) in self.types.get(s, ()) for label in self.labels[s]]

    def targeted(self) -> list[tuple[str, str, str, str]]:
        """TARGETED: (group, group label, initiative label, region) for each initiative that
        targets a group and applies in a region."""
        applies = defaultdict(list)
        for s, o in self.edges(KG.appliesIn):
            applies[s].append(o)
        group = str(KG.Group)
        return [(g, glabel, ilabel, r) for i, g in self.edges(KG.targets)
                if group in self.types.get(g, ()) and i in applies
                for glabel in self.labels[g] for ilabel in self.labels[i] for r in applies[i]]

    def initiatives(self) -> list[tuple[str, str, str]]:
        """INITIATIVES: (initiative, class, label) for each programme and measure and label."""
        wanted = (str(KG.Programme), str(KG.Measure))
        return [(i, t, label) for i, types in self.types.items() for t in wanted if t in types
                for label in self.labels[i]]

    def measured(self, nodes) -> dict[str, list[tuple]]:
        """MEASURED: node → its (label, is a group) pairs, one per label (entities only)."""
        group = str(KG.Group)
        return {n: [(label, group in self.types[n]) for label in sorted(self.labels[n])]
                for n in nodes if n in self.types}
