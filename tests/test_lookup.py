"""The lookup tables beside a build's on-disk store (kg/graph/lookup.py): their rows are the
graph's mentions and relation statements, the view and the analysis read the same from them as
from the store, and a rebuild's tables are those of a build from scratch."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pyoxigraph as ox
import pytest

from helpers import bench_corpus, make_article, synthetic_corpus
from kg.analysis.analyze import analyze
from kg.analysis.hierarchy import RegionIndex
from kg.analysis.network import to_networkx
from kg.build import build
from kg.graph.lookup import Lookup, LookupDamaged, LookupRows, article_rows
from kg.outputs.folder import OutputError
from kg.graph.oxgraph import OxGraph
from kg.graph import rdf
from kg.graph.iri import entity_iri
from kg.graph.rdf import build_graph
from kg.outputs import viewread
from kg.outputs.view import as_oxgraph, render_html
from kg.outputs.viewscan import scan
from kg.pipeline import extract_article, merge

ROOT = Path(__file__).resolve().parent.parent
POSTS = ("建始县委组织部部长张三、副部长李四到长梁乡走访，长梁乡党委书记王五陪同。"
         "建始县委组织部选派第一书记驻村帮扶，建始县委组织部牵头开展抓党建促脱贫攻坚工作。")

MENTIONS = """SELECT ?e ?m ?s WHERE { ?m kg:denotes ?e ; nif:sentence ?s }"""
STATEMENTS = """SELECT ?s ?o ?p ?ev ?pattern ?role WHERE {
  ?st rdf:subject ?s ; rdf:object ?o ; rdf:predicate ?p ; kg:pattern ?pattern .
  OPTIONAL { ?st kg:evidence ?ev } OPTIONAL { ?st kg:role ?role } }"""


def _iris(entities: dict) -> dict:
    """Entity key → IRI in N-Triples form, as a build's shards hold them."""
    return {key: rdf._node(entity_iri(e.type, key[1], e.attrs.get("code", ""))) for key, e in entities.items()}


def _rows(graph: OxGraph, query: str, names: str) -> set[tuple]:
    return {tuple(r.get(k) for k in names.split()) for r in viewread.select(graph, query)}


def test_an_articles_rows_are_the_mentions_and_statements_of_its_graph():
    ex = extract_article(make_article(POSTS, "建始县抓党建促脱贫", author="赵六"))
    entities = merge([ex])
    mentions, statements = article_rows(ex, _iris(entities))
    assert mentions and any(row[7] for row in statements), "the text names posts"
    graph = as_oxgraph(build_graph([ex], entities))
    assert {(e, m, s) for e, m, _a, s in mentions} == _rows(graph, MENTIONS, "e m s")
    assert {a for _e, _m, a, _s in mentions} == {ex.article.id}
    assert {(s, o, p, ev, pattern, role or None) for s, o, p, _a, _i, ev, pattern, role in statements} \
        == _rows(graph, STATEMENTS, "s o p ev pattern role")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A build of three seeds and synthetic articles whose graph is kept on disk, with its store
    and lookup tables opened as the view and the analysis open them."""
    tmp = tmp_path_factory.mktemp("lookup")
    src = synthetic_corpus(tmp / "src", 20, seed=5)
    for p in sorted((ROOT / "seeds").glob("*.txt"))[:3]:
        shutil.copy(p, src / p.name)
    mp = pytest.MonkeyPatch()
    mp.setattr("kg.graph.shards.MEMORY_TRIPLES", 0)
    try:
        build([src], tmp / "out", cache=tmp / "cache")
    finally:
        mp.undo()
    state = tmp / "out" / ".current" / "state"
    graph = OxGraph.over(ox.Store.read_only(str(state / "store")))
    lookup = Lookup(state / "lookup.sqlite")
    yield graph, lookup
    lookup.close()


def test_the_view_reads_the_same_from_the_tables_as_from_the_store(built):
    graph, lookup = built
    sc = scan(graph)
    entities = [n for n, t in sc.types.items() if t != "Indicator"]
    assert len(entities) > 50
    sentences = viewread.SentenceIndex(graph)
    for n in entities:
        assert viewread.node_articles(graph, sentences, n, lookup) == viewread.node_articles(graph, sentences, n)
        for first in (1, 3, 200):
            assert viewread.mention_evidence(graph, sentences, n, first, lookup) \
                == viewread.mention_evidence(graph, sentences, n, first)
    assert len(sc.edges) > 50 and any("memberOf" in str(p) for _s, p, _o in sc.edges)
    assert viewread.statements(graph, sentences, sc.edges, lookup) == viewread.statements(graph, sentences, sc.edges)


def test_the_views_other_reads_are_the_same_from_the_tables(built):
    graph, lookup = built
    sc = scan(graph)
    quick, full = scan(graph, top=10, lookup=lookup), scan(graph, top=10)
    assert (quick.types, quick.degree, quick.order, quick.count) == (full.types, full.degree, full.order, full.count)
    assert sorted(quick.edges) == sorted(full.edges)        # (in another order: the page sorts them)
    entities = [n for n, t in sc.types.items() if t != "Indicator"]
    assert viewread.labels(graph, entities, lookup) == viewread.labels(graph, entities)
    regions = {}
    for n in entities:
        regions[n] = viewread.direct_regions(graph, n, sc.types[n], lookup)
        assert sorted(regions[n]) == sorted(viewread.direct_regions(graph, n, sc.types[n]))
    assert sum(map(len, regions.values())) > 20
    nodes = sorted(sc.types, key=str)
    assert viewread.node_provinces(graph, sc.types, nodes, sc.edges, lookup) \
        == viewread.node_provinces(graph, sc.types, nodes, sc.edges)
    with_tables, without = viewread.SentenceIndex(graph, lookup), viewread.SentenceIndex(graph)
    arts = [r["a"] for r in viewread.select(graph, "SELECT ?a WHERE { ?a a kg:Article }")]
    assert with_tables.article_titles(arts) == without.article_titles(arts) and with_tables.urls == without.urls


def test_the_page_is_the_same_from_the_tables(built, tmp_path):
    graph, lookup = built
    render_html(graph, tmp_path / "with.html", lookup=lookup, max_nodes=40, page_bytes=1_200_000)
    render_html(graph, tmp_path / "without.html", max_nodes=40, page_bytes=1_200_000)
    assert (tmp_path / "with.html").read_bytes() == (tmp_path / "without.html").read_bytes()


def test_the_analysis_is_the_same_from_the_tables(built):
    graph, lookup = built
    with_tables, without = RegionIndex.of(graph, lookup), RegionIndex.of(graph)
    assert with_tables.regions == without.regions and with_tables.province == without.province
    assert with_tables.bodies(graph) == without.bodies(graph) and len(without.bodies(graph)) > 5
    assert with_tables.targeted(graph) == without.targeted(graph)
    assert sorted(with_tables.initiatives(graph)) == sorted(without.initiatives(graph))
    assert analyze(graph, lookup=lookup) == analyze(graph)


def test_the_analysis_reads_the_same_network_from_the_tables(built):
    graph, lookup = built
    from_store, from_tables = to_networkx(graph), to_networkx(graph, lookup=lookup)
    assert list(from_tables.nodes(data=True)) == list(from_store.nodes(data=True))
    assert list(from_tables.edges(data=True)) == list(from_store.edges(data=True))
    assert from_store.number_of_edges() > 50


def _table_rows(path: Path) -> dict[str, list]:
    with sqlite3.connect(path) as db:
        return {t: sorted(db.execute(f"SELECT * FROM {t}")) for t in ("mention", "statement", "entity")}


def test_a_rebuilds_tables_are_those_of_a_build_from_scratch(tmp_path, monkeypatch):
    monkeypatch.setattr("kg.graph.shards.MEMORY_TRIPLES", 0)
    src = synthetic_corpus(tmp_path / "src", 16, seed=3)
    shutil.copy(sorted((ROOT / "seeds").glob("*.txt"))[0], src / "seed.txt")
    out, cache = tmp_path / "out", tmp_path / "cache"
    build([src], out, cache=cache)
    files = sorted(src.iterdir())
    files[3].unlink()                                                   # one goes,
    files[5].write_text(files[5].read_text(encoding="utf-8") + "\n建始县委组织部选派第一书记。",
                        encoding="utf-8")                               # one changes,
    (src / "zz.txt").write_text(bench_corpus().generate(1, seed=77)[0], encoding="utf-8")   # one comes
    again = build([src], out, cache=cache)
    assert 0 < again.reused < 16
    fresh = tmp_path / "fresh"
    build([src], fresh, cache=tmp_path / "cache2")
    rows = _table_rows(out / ".current" / "state" / "lookup.sqlite")
    assert rows == _table_rows(fresh / ".current" / "state" / "lookup.sqlite")
    assert len(rows["mention"]) > 100 and len(rows["statement"]) > 50 and len(rows["entity"]) > 50
    assert (out / "graph.html").read_bytes() == (fresh / "graph.html").read_bytes()


def test_rows_left_by_an_attempt_given_up_are_not_taken(tmp_path):
    ex = extract_article(make_article(POSTS, "甲"))
    first = LookupRows(tmp_path)
    first.add(ex, _iris(merge([ex])))
    first.close()
    assert _table_rows(first.path)["mention"]
    again = LookupRows(tmp_path)
    made = again.make(tmp_path / "lookup.sqlite", [])
    assert _table_rows(made) == {"mention": [], "statement": [], "entity": []}


def test_mentioned_reads_articles_whose_ids_hold_commas(tmp_path):
    """The quick form of ``Lookup.mentioned`` joins ids with commas: ids with a comma take the other."""
    ex1 = extract_article(make_article(POSTS, "甲", article_id="a,1"))
    ex2 = extract_article(make_article(POSTS, "乙", article_id="b"))
    rows = LookupRows(tmp_path)
    entities = merge([ex1, ex2])
    for ex in (ex1, ex2):
        rows.add(ex, _iris(entities))
    lookup = Lookup(rows.make(tmp_path / "lookup.sqlite", []))
    found = dict(lookup.mentioned())
    assert found and all(ids == ["a,1", "b"] for ids in found.values())
    lookup.close()


def test_tables_found_damaged_while_read_give_a_full_build(tmp_path, monkeypatch):
    """A copy of the previous build's tables that fails while the view or the analysis reads it
    (``LookupDamaged``, here raised by hand in each) gives a full build with a note; tables of
    this build found so give a one-line error."""
    monkeypatch.setattr("kg.graph.shards.MEMORY_TRIPLES", 0)
    src = synthetic_corpus(tmp_path / "src", 8, seed=4)
    out, cache = tmp_path / "out", tmp_path / "cache"
    build([src], out, cache=cache)
    (src / "zz.txt").write_text(bench_corpus().generate(1, seed=78)[0], encoding="utf-8")

    calls = []
    real = Lookup.mentioned

    def damaged(self, *args):       # the copy is damaged; the full build's own tables are not
        calls.append(self.path)
        if len(calls) == 1:
            raise LookupDamaged(f"{self.path}: database disk image is malformed")
        return real(self, *args)
    monkeypatch.setattr(Lookup, "mentioned", damaged)       # read by the analysis
    again = build([src], out, cache=cache)
    assert len(calls) == 2
    assert again.reused == 0 and len(again.notes) == 1 and "lookup tables cannot be read" in again.notes[0]
    fresh = tmp_path / "fresh"
    monkeypatch.undo()
    monkeypatch.setattr("kg.graph.shards.MEMORY_TRIPLES", 0)
    build([src], fresh, cache=None)
    assert all((out / n).read_bytes() == (fresh / n).read_bytes() for n in ("graph.html", "analysis.json", "graph.ttl"))
    calls.clear()
    monkeypatch.setattr(Lookup, "mentioned", damaged)
    with pytest.raises(OutputError, match="cannot read back the build .*malformed"):
        build([src], tmp_path / "other", cache=None)


def test_the_views_process_tells_damaged_tables_apart(tmp_path):
    lookup = tmp_path / "lookup.sqlite"
    lookup.write_bytes(b"SQLite format 3\x00" + bytes(4096))
    with pytest.raises(LookupDamaged, match="lookup.sqlite"):
        list(Lookup(lookup).edges())
