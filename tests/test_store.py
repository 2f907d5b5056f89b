"""The two stores (rdflib in memory, Oxigraph on disk) give the same answers on the seeds' build."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.compare import isomorphic

from kg.graph.sparql import QueryError
from kg.graph.store import MemoryStore, OxiStore, QueryTimeout, is_store_dir, open_store
from kg.graph.storeload import load_build

GRAPH_TTL = Path(__file__).resolve().parent.parent / "output" / "graph.ttl"

QUERIES = [
    "SELECT ?b ?l WHERE { ?b a kg:Body ; rdfs:label ?l }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?r ?p WHERE { ?r kg:partOf+ ?p }",
    "SELECT ?t (COUNT(?e) AS ?n) WHERE { ?e a ?t } GROUP BY ?t",
    "SELECT ?i ?v ?u WHERE { ?i a kg:Indicator ; kg:value ?v ; kg:unit ?u }",
    "SELECT ?b ?c ?l WHERE { ?b a ?c . ?c rdfs:subClassOf org:Organization ; rdfs:label ?l }",  # ontology
    "SELECT ?s ?o WHERE { ?st rdf:subject ?s ; rdf:object ?o ; kg:evidence/nif:anchorOf ?t "
    "FILTER(CONTAINS(?t, \"驻村\")) }",
]


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    folder = tmp_path_factory.mktemp("oxi")
    n = load_build(GRAPH_TTL, folder)
    mem = MemoryStore.from_turtle(GRAPH_TTL)
    assert n == len(mem) > 5000
    return mem, OxiStore(folder, read_only=True)


def _rows(res):
    return sorted(tuple(sorted(r.asdict().items())) for r in res)


@pytest.mark.parametrize("q", QUERIES)
def test_same_answers(stores, q):
    mem, ox = stores
    a, b = _rows(mem.query(q)), _rows(ox.query(q))
    assert a and a == b


def test_ask_construct_and_bindings(stores):
    mem, ox = stores
    assert mem.query("ASK { ?b a kg:Body }").askAnswer is ox.query("ASK { ?b a kg:Body }").askAnswer is True
    q = "CONSTRUCT { ?b rdfs:label ?l } WHERE { ?b a kg:Body ; rdfs:label ?l }"
    assert isomorphic(mem.query(q).graph, ox.query(q).graph) and len(mem.query(q).graph) > 10
    hunan = {"name": Literal("湖南省", lang="zh")}
    # ?name bound but not projected, and under an aggregate: bound before grouping on both
    for q in ("SELECT ?b WHERE { ?b kg:locatedIn/rdfs:label ?name }",
              "SELECT (COUNT(?b) AS ?n) WHERE { ?b a kg:Body ; kg:locatedIn/rdfs:label ?name }"):
        a, b = _rows(mem.query(q, hunan)), _rows(ox.query(q, hunan))
        assert a == b and a != _rows(mem.query(q))
    # a value that looks like SPARQL stays a value
    evil = {"name": Literal('x" } ?s ?p ?o . { "', lang="zh")}
    assert _rows(ox.query("SELECT ?b WHERE { ?b kg:locatedIn/rdfs:label ?name }", evil)) == []


def test_row_limit_and_errors(stores):
    mem, ox = stores
    for s in stores:
        res = s.query("SELECT ?s WHERE { ?s ?p ?o }", max_rows=5)
        assert len(list(res)) == 5 and res.truncated
        assert not s.query("SELECT ?b WHERE { ?b a kg:Body } LIMIT 3", max_rows=5).truncated
        with pytest.raises(QueryError):
            s.query("SELEC ?x WHERE { ?x ?y ?z }")


def test_memory_query_stops_at_its_deadline(stores):
    mem, _ = stores
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
    with pytest.raises(QueryTimeout):
        mem.query(slow, timeout=0.2)


@pytest.mark.parametrize("form", ["SELECT *", "CONSTRUCT { ?a ?p ?f }"])
def test_oxigraph_answer_is_let_go_when_its_query_stops(stores, form):
    """A query stopped at its deadline (or its row limit) leaves Oxigraph's answer half read: it
    is let go when the query ends, not held by the frames of the error raised, which a caller
    may keep (pyo3 refuses to drop it later on another thread: it leaks, with a warning)."""
    _, oxi = stores
    slow = f"{form} WHERE {{ ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }}"
    with pytest.raises(QueryTimeout) as stopped:
        oxi.query(slow, timeout=0.2)
    held = []
    tb = stopped.value.__traceback__
    while tb is not None:
        held += [name for name, value in tb.tb_frame.f_locals.items()
                 if type(value).__module__.startswith("pyoxigraph")
                 or getattr(value, "gi_frame", None) is not None]
        tb = tb.tb_next
    assert held == []
    assert oxi.query(slow, max_rows=3).truncated


def test_open_store(tmp_path, stores):
    with pytest.raises(FileNotFoundError, match="not an Oxigraph store"):
        open_store(store=tmp_path)
    with pytest.raises(FileNotFoundError, match="kg build"):
        open_store(graph=tmp_path / "none.ttl")
    st = open_store(graph=GRAPH_TTL)          # --graph: Oxigraph in memory, nothing on disk
    assert isinstance(st, OxiStore) and st.directory is None and st.kind == "oxigraph in memory"
    assert len(st) == len(stores[0])
    assert is_store_dir(stores[1].directory)
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.ttl: not readable as Turtle"):
        open_store(graph=bad)


@pytest.mark.parametrize("q", QUERIES)
def test_in_memory_oxigraph_answers_as_rdflib(stores, q):
    a, b = _rows(stores[0].query(q)), _rows(OxiStore.in_memory(GRAPH_TTL).query(q))
    assert a and a == b


def test_build_store_option(tmp_path):
    from typer.testing import CliRunner

    from cli import app

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    one = sorted(seeds.glob("*.txt"))[0]
    res = CliRunner().invoke(app, ["build", str(one), "--out", str(tmp_path / "out"), "--quiet",
                                   "--store", str(tmp_path / "db")])
    assert res.exit_code == 0, res.output
    ox = OxiStore(tmp_path / "db", read_only=True)
    mem = MemoryStore.from_turtle(tmp_path / "out" / "graph.ttl")
    assert len(ox) == len(mem) and "loaded" in res.output
    assert _rows(ox.query(QUERIES[0])) == _rows(mem.query(QUERIES[0]))


def test_cli_query_on_the_store_answers_as_on_the_graph(tmp_path):
    """`kg query NAME --store DIR` gives the same rows as `--graph FILE` (issue 5: same commands)."""
    from typer.testing import CliRunner

    from cli import app

    seed = Path(__file__).resolve().parent.parent / "seeds" / "000_561553d2c6e7eabe.txt"
    runner = CliRunner()
    out, db = tmp_path / "out", tmp_path / "db"
    assert runner.invoke(app, ["build", str(seed), "--out", str(out), "--store", str(db), "--no-cache"]).exit_code == 0
    args = ["query", "bodies-by-region", "--param", "region=湖南省", "--format", "csv"]
    on_graph = runner.invoke(app, args + ["--graph", str(out / "graph.ttl")])
    on_store = runner.invoke(app, args + ["--store", str(db)])
    assert on_graph.exit_code == 0 and on_store.exit_code == 0, on_store.output
    assert sorted(on_graph.stdout.splitlines()) == sorted(on_store.stdout.splitlines())
    assert "湖南省委组织部" in on_store.stdout
    bad = runner.invoke(app, ["query", "SELECT ?x WHERE {", "--store", str(db)])
    assert bad.exit_code == 2 and "line 1" in bad.stderr


def _triples(store) -> set[str]:
    """The store's triples as lines, those with a blank node (the ontology's, named anew by
    each load) left out; their count is compared apart."""
    return {line for q in store if "_:" not in (line := f"{q.subject} {q.predicate} {q.object}")}


@pytest.mark.parametrize("on_disk", [False, True])
def test_build_fills_the_store_from_its_own_graph(tmp_path, monkeypatch, on_disk):
    """`kg build --store` fills the store from the build's shards (a small build) or from a
    checkpoint of the build's own on-disk store (a large one), not by parsing graph.ttl again;
    either way the store holds exactly graph.ttl and the ontology."""
    import pyoxigraph as ox

    from kg.graph import shards, storeload
    from kg.build import build
    from kg.vocab import ONTOLOGY_PATH

    if on_disk:     # every build counts as large: the view and the analysis read an on-disk store
        monkeypatch.setattr(shards, "MEMORY_TRIPLES", 0)
    parsed = []
    monkeypatch.setattr(storeload.OxiStore, "load_turtle", lambda *a, **k: parsed.append(a))
    seeds = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))[:2]
    out, db = tmp_path / "out", tmp_path / "db"
    result = build(seeds, out, cache=False, html=False, store=db)
    assert not parsed and "store" in result.stages
    reference = ox.Store()
    for f in (out / "graph.ttl", ONTOLOGY_PATH):
        reference.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
    got = ox.Store.read_only(str(db))
    assert _triples(got) == _triples(reference) and result.store_triples == len(reference) > 3000
    assert [p.name for p in tmp_path.iterdir() if ".kg-" in p.name] == []


def test_build_whose_store_cannot_be_filled_changes_nothing(tmp_path, monkeypatch):
    """A store that fails while it is filled (a full disk) fails the build: one line naming the
    store, the output folder keeps its build, the store its graph, nothing is left beside it."""
    import errno

    from kg.graph import storeload
    from kg.outputs.folder import OutputError, current_build
    from kg.build import build

    seeds = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))
    out, db = tmp_path / "out", tmp_path / "db"
    build(seeds[:1], out, cache=False, html=False, store=db)
    before, n_before = current_build(out)["build"], len(OxiStore(db, read_only=True))

    def full(graph, shards, new):
        Path(new).mkdir()
        (Path(new) / "half").write_bytes(b"x")
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(storeload, "copy_build_store", full)
    with pytest.raises(OutputError, match=f"^{db}: cannot load the store \\(No space left on device\\); "
                                          f"{out} still holds build {before}$"):
        build(seeds[1:2], out, cache=False, html=False, store=db)
    assert current_build(out)["build"] == before
    assert len(OxiStore(db, read_only=True)) == n_before
    assert [p.name for p in tmp_path.iterdir() if ".kg-" in p.name] == []
