"""The two stores of ``kg.graph.store`` on a graph of about a million triples (not a test: timings vary).

    python bench/store_bench.py              # ~1M triples (69,000 synthetic entities)
    python bench/store_bench.py 5000         # another size, in entities

Makes the synthetic graph of ``bench/analyze_speed.py`` (kg's shape: regions, bodies,
programmes, measures, groups, figures, articles, sentences, reified relations), writes it as
Turtle, then in a fresh process per store loads it (rdflib in memory; Oxigraph on disk), runs a
few typical queries three times each and prints the load time, the median query latencies and
the peak memory (resident set) of that process.
"""
from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

QUERIES = {
    "count by type": "SELECT ?t (COUNT(?e) AS ?n) WHERE { ?e a ?t } GROUP BY ?t",
    "partOf+ hierarchy": "SELECT (COUNT(*) AS ?n) WHERE { ?r kg:partOf+ ?p . ?p kg:level \"province\" }",
    "top 10 bodies by relations": "SELECT ?b (COUNT(?st) AS ?n) WHERE { ?st rdf:subject ?b . ?b a kg:Body } "
                                  "GROUP BY ?b ORDER BY DESC(?n) LIMIT 10",
    "label CONTAINS filter": "SELECT ?e ?l WHERE { ?e rdfs:label ?l FILTER(CONTAINS(?l, \"机构12\")) }",
    "bodies of a region (bound)": "SELECT ?b WHERE { ?b kg:locatedIn/kg:partOf* ?r . ?r rdfs:label ?name }",
}


def child(kind: str, ttl: str) -> None:
    from rdflib import Literal

    from kg.graph.store import MemoryStore, OxiStore

    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    if kind == "memory":
        store = MemoryStore.from_turtle(ttl, with_ontology=False)
    else:
        store = OxiStore(tempfile.mkdtemp(prefix="kg-bench-oxi-"))
        store.load_turtle(ttl, with_ontology=False)
    out = {"load_s": time.perf_counter() - t, "triples": len(store), "queries": {}}
    for name, q in QUERIES.items():
        bindings = {"name": Literal("省3", lang="zh")} if "?name" in q else None
        runs = []
        for _ in range(3):
            t = time.perf_counter()
            n = len(list(store.query(q, bindings)))
            runs.append(time.perf_counter() - t)
        out["queries"][name] = (statistics.median(runs), n)
    out["peak_mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024
    print(json.dumps(out))


def main(n_entities: int) -> None:
    from analyze_speed import synthetic

    t = time.perf_counter()
    g = synthetic(n_entities)
    folder = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    ttl = folder / "graph.ttl"
    import pyoxigraph as ox

    nt = g.serialize(format="nt", encoding="utf-8")
    ox.serialize(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES), str(ttl), format=ox.RdfFormat.TURTLE,
                 prefixes={"kg": "https://w3id.org/kgpa/ontology#", "kgr": "https://w3id.org/kgpa/id/"})
    print(f"{len(g):,} triples ({n_entities:,} entities), Turtle {ttl.stat().st_size / 1e6:.0f} MB, "
          f"made in {time.perf_counter() - t:.0f} s", flush=True)
    del g, nt
    results = {}
    for kind in ("memory", "oxigraph"):
        proc = subprocess.run([sys.executable, __file__, "--child", kind, str(ttl)],
                              capture_output=True, text=True, check=True)
        results[kind] = json.loads(proc.stdout.strip().splitlines()[-1])
    m, o = results["memory"], results["oxigraph"]
    print(f"{'':30} {'rdflib (memory)':>16} {'Oxigraph (disk)':>16}")
    print(f"{'load Turtle':30} {m['load_s']:>14.1f} s {o['load_s']:>14.1f} s")
    for name in QUERIES:
        (mt, mn), (ot, on) = m["queries"][name], o["queries"][name]
        same = "" if mn == on else f"  (rows differ: {mn} vs {on})"
        print(f"{name:30} {mt * 1000:>13.0f} ms {ot * 1000:>13.0f} ms{same}")
    print(f"{'peak memory (RSS)':30} {m['peak_mb']:>13.0f} MB {o['peak_mb']:>13.0f} MB")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3])
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 69000)
