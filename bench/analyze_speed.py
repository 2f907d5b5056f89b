"""How long `kg analyze` takes on synthetic graphs of growing size (not a test: timings vary).

    python bench/analyze_speed.py              # 1,000 and 5,000 entities
    python bench/analyze_speed.py 20000        # other sizes

The graph has kg's shape: provinces → prefectures → counties, bodies located in them,
programmes and measures implemented by bodies, applying in regions and targeting groups,
figures about regions counting groups, articles that mention everything with sentences.
Prints seconds per stage: the RDF → NetworkX conversion, betweenness, Louvain, and the SPARQL
parts (regions, comparison, provinces, coverage), and the whole ``analyze``.
"""
from __future__ import annotations

import random
import sys
import time

from rdflib import Graph, Literal
from rdflib.namespace import PROV, RDF, RDFS, XSD

from kg.analysis import coverage, hierarchy as regions, network
from kg.analysis.analyze import analyze
from kg.vocab import KG, KGR, NIF, SDO


def synthetic(n_entities: int, seed: int = 1) -> Graph:
    rnd = random.Random(seed)
    g = Graph()

    def ent(type_, key, label):
        node = KGR[f"{type_.lower()}/{key}"]
        g.add((node, RDF.type, KG[type_]))
        g.add((node, RDFS.label, Literal(label, lang="zh")))
        return node

    def rel(s, p, o, art, k):
        g.add((s, KG[p], o))
        st = KGR[f"statement/{k}"]
        for pp, oo in ((RDF.type, RDF.Statement), (RDF.subject, s), (RDF.predicate, KG[p]),
                       (RDF.object, o), (PROV.wasDerivedFrom, art)):
            g.add((st, pp, oo))

    n_prov = 31
    provs = [ent("Region", f"p{i}", f"省{i}") for i in range(n_prov)]
    for p in provs:
        g.add((p, KG.level, Literal("province")))
    share = max(n_entities // 6, 1)
    pref = [ent("Region", f"f{i}", f"市{i}") for i in range(share // 4)]
    counties = [ent("Region", f"c{i}", f"县{i}") for i in range(share - len(pref))]
    for i, r in enumerate(pref):
        g.add((r, KG.level, Literal("prefecture")))
        g.add((r, KG.partOf, provs[i % n_prov]))
    for r in counties:
        g.add((r, KG.level, Literal("county")))
        g.add((r, KG.partOf, rnd.choice(pref or provs)))
    places = provs + pref + counties
    bodies = [ent("Body", f"b{i}", f"机构{i}") for i in range(share)]
    progs = [ent("Programme", f"pg{i}", f"计划{i}") for i in range(share)]
    meas = [ent("Measure", f"m{i}", f"措施{i}") for i in range(share)]
    groups = [ent("Group", f"g{i}", f"群体{i}") for i in range(max(share // 5, 1))]
    n_art = max(n_entities // 50, 1)
    arts = []
    for i in range(n_art):
        a = KGR[f"article/a{i}"]
        arts.append(a)
        g.add((a, RDF.type, KG.Article))
        g.add((a, RDFS.label, Literal(f"文章{i}", lang="zh")))
        g.add((a, KG.sentenceCount, Literal(60)))
        g.add((a, SDO.spatialCoverage, rnd.choice(places)))
        for s in rnd.sample(range(60), 40):
            sent = KGR[f"article/a{i}/s{s}"]
            g.add((sent, RDF.type, NIF.Sentence))
            g.add((sent, NIF.referenceContext, a))
            g.add((sent, NIF.beginIndex, Literal(s * 40)))
            g.add((sent, KG.sentenceIndex, Literal(s)))
    k = 0
    for b in bodies:
        k += 1
        rel(b, "locatedIn", rnd.choice(places), rnd.choice(arts), k)
    for init in progs + meas:
        a = rnd.choice(arts)
        for p, targets in (("appliesIn", places), ("targets", groups)):
            k += 1
            rel(init, p, rnd.choice(targets), a, k)
        k += 1
        rel(rnd.choice(bodies), "implements", init, a, k)
    for e in bodies + progs + meas + groups + places:
        for a in rnd.sample(arts, min(2, len(arts))):
            g.add((a, KG.mentions, e))
    for i in range(share):
        ind = KGR[f"indicator/{i}"]
        g.add((ind, RDF.type, KG.Indicator))
        g.add((ind, KG.value, Literal(str(rnd.randint(1, 9999)), datatype=XSD.decimal)))
        g.add((ind, KG.unit, Literal("名")))
        g.add((ind, KG.inRegion, rnd.choice(places)))
        g.add((ind, KG.measures, rnd.choice(groups)))
        g.add((rnd.choice(arts), KG.mentions, ind))
    return g


def timed(label: str, fn):
    t = time.perf_counter()
    out = fn()
    print(f"  {label:<28} {time.perf_counter() - t:7.2f} s", flush=True)
    return out


def main(sizes: list[int]) -> None:
    for n in sizes:
        g = synthetic(n)
        print(f"{n} entities, {len(g)} triples")
        G = timed("to_networkx", lambda: network.to_networkx(g))
        between, method = timed("betweenness", lambda: network.betweenness(G))
        timed("louvain communities", lambda: network.communities(G, between=between))
        index = timed("RegionIndex", lambda: regions.RegionIndex.of(g))
        timed("region_hierarchy", lambda: regions.region_hierarchy(g, index))
        timed("region_comparison", lambda: regions.region_comparison(g, index))
        timed("province_profiles", lambda: regions.province_profiles(g, index))
        timed("article_coverage", lambda: coverage.article_coverage(g))
        timed(f"analyze (all; {method['method']})", lambda: analyze(g))


if __name__ == "__main__":
    main([int(x) for x in sys.argv[1:]] or [1000, 5000])
