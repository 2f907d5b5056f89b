"""kg export: every format is readable by a tool nobody here wrote (pyoxigraph, networkx, csv),
named graphs per article keep every triple once, and nothing is lost."""
from __future__ import annotations

import csv
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph
from typer.testing import CliRunner

from cli import app
from kg.graph.sparql import load_graph

GRAPH = Path(__file__).resolve().parent.parent / "output" / "graph.ttl"
runner = CliRunner()


@pytest.fixture(scope="module")
def g():
    return load_graph(GRAPH, with_ontology=False)


@pytest.fixture(scope="module")
def out(tmp_path_factory, g):
    from kg.outputs.export import export

    d = tmp_path_factory.mktemp("export")
    r = runner.invoke(app, ["export", "--graph", str(GRAPH), "--format", "ttl", "--out", str(d / "graph.ttl")])
    assert r.exit_code == 0, r.output
    for fmt in ("nt", "nq", "trig", "jsonld", "graphml", "csv"):
        export(g, fmt, d / ("tables" if fmt == "csv" else f"graph.{fmt}"))
    export(g, "jsonld-quads", d / "graph.quads.jsonld")
    return d


def _ox(path, fmt):
    return list(pyoxigraph.parse(path=str(path), format=fmt))


@pytest.mark.parametrize("name,fmt", [("graph.ttl", pyoxigraph.RdfFormat.TURTLE),
                                      ("graph.nt", pyoxigraph.RdfFormat.N_TRIPLES)])
def test_turtle_and_ntriples_read_by_pyoxigraph_hold_every_triple(g, out, name, fmt):
    triples = _ox(out / name, fmt)
    assert len(triples) == len(g)
    assert any(t.object.value == "湘西" and t.object.language == "zh" for t in triples)


@pytest.mark.parametrize("name,fmt", [("graph.nq", pyoxigraph.RdfFormat.N_QUADS),
                                      ("graph.trig", pyoxigraph.RdfFormat.TRIG),
                                      ("graph.quads.jsonld", pyoxigraph.RdfFormat.JSON_LD)])
def test_named_graphs_one_per_article_plus_default_facts(g, out, name, fmt):
    quads = _ox(out / name, fmt)
    assert len(quads) == len(g)                                    # every triple in exactly one graph
    assert len({(q.subject, q.predicate, q.object) for q in quads}) == len(g)
    names = {q.graph_name for q in quads if not isinstance(q.graph_name, pyoxigraph.DefaultGraph)}
    assert {str(n.value) for n in names} == {f"https://w3id.org/kgpa/id/article/{s.stem}" for s in
                                              (GRAPH.parent.parent / "seeds").glob("*.txt")}
    default = [q for q in quads if isinstance(q.graph_name, pyoxigraph.DefaultGraph)]
    # facts in the default graph: entities and relations, no sentences or statements
    preds = {q.predicate.value for q in default}
    assert "https://w3id.org/kgpa/ontology#partOf" in preds
    assert "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf" not in preds
    assert "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject" not in preds


def test_quads_union_is_the_graph(g, out):
    from rdflib import Dataset

    ds = Dataset()
    ds.parse(str(out / "graph.nq"), format="nquads")
    union = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    assert set(union) == set(g)


def test_graphml_opens_in_networkx_with_types_and_labels(out):
    import networkx as nx

    G = nx.read_graphml(out / "graph.graphml")
    assert G.is_directed()
    hunan = G.nodes["https://w3id.org/kgpa/id/region/430000"]
    assert hunan["label"] == "湖南省" and hunan["type"] == "Region"
    types = {d["type"] for _, d in G.nodes(data=True)}
    assert types == {"Region", "Body", "Group", "Programme", "Measure", "Document", "Person", "Indicator"}
    assert G.number_of_nodes() == 18 + 22 + 74 + 50 + 66 + 18 + 10 + 128
    rels = {d["relation"] for _, _, d in G.edges(data=True)}
    assert {"partOf", "locatedIn", "implements", "inRegion"} <= rels
    assert G.has_edge("https://w3id.org/kgpa/id/region/433100", "https://w3id.org/kgpa/id/region/430000")
    fig = [d for _, d in G.nodes(data=True) if d["type"] == "Indicator" and d["unit"] == "支"]
    assert fig and all(isinstance(d["value"], float) for d in fig)


def test_csv_tables_read_by_csv_module(out):
    def read(name):
        with open(out / "tables" / name, encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    ents, rels, inds = read("entities.csv"), read("relations.csv"), read("indicators.csv")
    assert len(ents) == 18 + 22 + 74 + 50 + 66 + 18 + 10
    xiangxi = next(e for e in ents if e["label"] == "湘西土家族苗族自治州")
    assert xiangxi["type"] == "Region" and xiangxi["aliases"] == "湘西" and xiangxi["admin_code"] == "433100"
    assert len([r for r in rels if r["pattern"]]) == 264
    issued = [r for r in rels if r["relation"] == "issued" and r["subject_label"] == "湖南省委"]
    assert issued[0]["object_label"] == "省派驻村帮扶工作队管理办法" and "制定" in issued[0]["evidence"]
    assert len(inds) == 128
    assert any(i["value"] == "8761" and i["unit"] == "支" and i["measures_label"] == "驻村工作队" for i in inds)


def test_flat_jsonld_is_read_whole_by_a_plain_rdflib_graph(g, out):
    """`--format jsonld` is one graph: rdflib.Graph().parse, which keeps only the default graph,
    reads every triple of graph.ttl (issue 14: it read 987 of 10,275 from the per-article file)."""
    from rdflib import Graph

    flat = Graph().parse(out / "graph.jsonld")
    assert len(flat) == len(g) and set(flat) == set(g)
    assert len(Graph().parse(out / "graph.quads.jsonld")) < len(g) / 5     # the named graphs are not in it


def test_export_is_deterministic(g, tmp_path):
    from kg.outputs.export import export

    g2 = load_graph(GRAPH, with_ontology=False)
    for fmt in ("nt", "nq", "jsonld", "jsonld-quads"):
        a, b = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
        export(g, fmt, a)
        export(g2, fmt, b)
        assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("fmt", ["trig", "nq", "jsonld-quads"])
def test_named_graph_exports_are_the_same_bytes_in_processes_with_other_hash_seeds(tmp_path, fmt):
    # rdflib's own TriG writer ordered the graphs by Python's string hashes: another process,
    # other bytes. Each run here is a fresh process with its own PYTHONHASHSEED.
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"{seed}.{fmt}"
        run = subprocess.run([sys.executable, "-c", "import cli; cli.main()", "export", "--graph", str(GRAPH),
                              "--format", fmt, "--out", str(out)], cwd=root, capture_output=True, text=True,
                             timeout=120, env=dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(root)))
        assert run.returncode == 0, run.stderr[-1000:]
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] and len(outs[0]) > 10_000


def test_bad_format_and_missing_graph_exit_2(tmp_path):
    r = runner.invoke(app, ["export", "--graph", str(GRAPH), "--format", "xlsx", "--out", str(tmp_path / "x")])
    assert r.exit_code == 2 and "graphml" in r.output
    r = runner.invoke(app, ["export", "--graph", str(tmp_path / "none.ttl"), "--format", "ttl", "--out", str(tmp_path / "x")])
    assert r.exit_code == 2
