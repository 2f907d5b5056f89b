"""The streamed graph (kg/graph/shards.py): extractions spooled, entities merged in any order
of arrival as ``merge`` does, graph.ttl streamed from per-article shards byte-identical to the
in-memory store's, the on-disk store holding the same triples, and an incremental build (one
article added) extracting only it and writing the bytes of a fresh build."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from helpers import bench_corpus, synthetic_corpus
from kg.graph.rdf import build_graph, turtle
from kg.graph.shards import GraphShards
from kg.graph.spool import EntityTable, ExtractionSpool
from kg.model import Entity, EntityType
from kg.build import build
from kg.pipeline import extract_paths, merge

ROOT = Path(__file__).resolve().parent.parent

N = 12


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return synthetic_corpus(tmp_path_factory.mktemp("corpus"), N, seed=5)


@pytest.fixture(scope="module")
def result(folder):
    return extract_paths([folder])


def _shards(result, tmp_path, seed: int) -> GraphShards:
    """The shards of ``result``'s extractions, spooled and merged in a shuffled order."""
    exs = list(result.extractions)
    random.Random(seed).shuffle(exs)
    spool, table = ExtractionSpool(tmp_path), EntityTable()
    for ex in exs:
        spool.add(ex)
        table.add(ex.article.id, ex.entities)
    shards = GraphShards(tmp_path, table.entities())
    for ex in spool:
        shards.add(ex)
    return shards


def test_streamed_turtle_is_the_in_memory_one(result, tmp_path):
    per_article = [{(r.subject, r.predicate, r.object) for r in ex.relations} for ex in result.extractions]
    assert any(a & b for i, a in enumerate(per_article) for b in per_article[i + 1:]), \
        "the corpus must state one relation in two articles for this test to bite"
    reference = turtle(build_graph(result.extractions, result.entities))
    for seed in (1, 2):
        (tmp_path / str(seed)).mkdir()
        shards = _shards(result, tmp_path / str(seed), seed)
        shards.write_turtle(tmp_path / f"{seed}.ttl")
        assert (tmp_path / f"{seed}.ttl").read_bytes() == reference
        shards.close()


def test_graph_read_back_in_memory_or_on_disk(result, tmp_path):
    shards = _shards(result, tmp_path, 3)
    reference = build_graph(result.extractions, result.entities)
    assert len(reference)       # (its buffered triples now in its store)
    in_memory = shards.graph(tmp_path / "unused")
    assert list(in_memory.store) == list(reference.store)      # same triples, same order of answers
    assert not (tmp_path / "unused").exists()
    on_disk = shards.graph(tmp_path / "store", memory_triples=0)
    assert (tmp_path / "store").is_dir()
    assert set(on_disk.store) == set(reference.store) and len(on_disk) == len(reference)
    shards.close()


def test_build_reads_an_on_disk_store_the_same(folder, tmp_path, monkeypatch):
    build([folder], tmp_path / "memory", cache=None)
    monkeypatch.setattr("kg.graph.shards.MEMORY_TRIPLES", 0)
    build([folder], tmp_path / "disk", cache=None)
    for name in ("graph.ttl", "graph.html", "report.md", "analysis.md", "analysis.json"):
        assert (tmp_path / "memory" / name).read_bytes() == (tmp_path / "disk" / name).read_bytes(), name


def test_spool_reads_back_in_id_order(result, tmp_path):
    spool = ExtractionSpool(tmp_path)
    for ex in reversed(result.extractions):
        spool.add(ex)
    assert len(spool) == N and spool
    assert [ex.article.id for ex in spool] == sorted(ex.article.id for ex in result.extractions)
    assert spool[0].article.path == result.extractions[0].article.path
    assert spool[0].mentions == result.extractions[0].mentions


def test_entity_table_merges_like_merge_in_any_order():
    a = {("Region", "青石村"): Entity(EntityType.REGION, "青石村", {"青石"}, {"code": "", "level": "village"})}
    b = {("Region", "青石村"): Entity(EntityType.REGION, "青石村村", {"青石村委"}, {"code": "1", "parent": "42"})}
    for order in ([("a", a), ("b", b)], [("b", b), ("a", a)]):
        table = EntityTable()
        for article_id, entities in order:
            table.add(article_id, entities)
        e = table.entities()[("Region", "青石村")]
        assert (e.label, e.aliases, e.attrs) == ("青石村", {"青石", "青石村委"},
                                                 {"code": "", "level": "village", "parent": "42"})
        assert e.mentions == []


def test_entity_table_is_merge_on_a_corpus(result):
    table = EntityTable()
    for ex in reversed(result.extractions):
        table.add(ex.article.id, ex.entities)
    merged = merge(result.extractions)
    assert {k: (e.label, e.aliases, e.attrs) for k, e in table.entities().items()} == \
        {k: (e.label, e.aliases, e.attrs) for k, e in merged.items()}


def test_entity_table_kept_and_folded_in_is_the_merge_of_all(result):
    """A build's merge dumped and loaded back, then the other articles' merge folded in: what
    merging every article gives, however the articles were split (a rebuild that only adds)."""
    import random

    ids = sorted(ex.article.id for ex in result.extractions)
    by_id = {ex.article.id: ex.entities for ex in result.extractions}
    whole = {k: (e.label, e.aliases, e.attrs) for k, e in merge(result.extractions).items()}
    rnd = random.Random(4)
    for cut in range(len(ids) + 1):
        rnd.shuffle(ids)
        kept, new = EntityTable(), EntityTable()
        for i in ids[:cut]:
            kept.add(i, by_id[i])
        for i in ids[cut:]:
            new.add(i, by_id[i])
        table = EntityTable.load(kept.dump())
        table.update(new)
        assert {k: (e.label, e.aliases, e.attrs) for k, e in table.entities().items()} == whole


@pytest.mark.parametrize("text", ["", "[]", '{"entities": [], "first": ["a"], "attr_from": []}',
                                  '{"entities": [], "first": "", "attr_from": ""}',
                                  '{"entities": [[["Body", "x"], {"type": "Body", "label": "x", "attrs": {"a": "1"},'
                                  ' "aliases": []}]], "first": ["a"], "attr_from": [{}]}'])
def test_entity_table_refuses_what_dump_did_not_write(text):
    from kg.serial import BadEntry

    with pytest.raises(BadEntry):
        EntityTable.load(text)


def test_adding_one_article_extracts_only_it_and_gives_a_fresh_builds_bytes(folder, tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "out"
    build([folder], out, cache=cache)
    extra = tmp_path / "extra.txt"
    extra.write_text(bench_corpus().generate(1, seed=77)[0], encoding="utf-8")
    again = build([folder, extra], out, cache=cache)
    assert again.cache == {"hits": N, "misses": 1, "writes": 1}
    assert build([folder, extra], tmp_path / "fresh", cache=None).cache == {}
    for name in ("graph.ttl", "report.md", "analysis.json"):
        assert (out / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes(), name
