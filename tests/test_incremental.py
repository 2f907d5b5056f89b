"""A build into a folder that holds a build (kg/graph/state.py, kg/graph/graphpass.py): what
still holds of that build is taken from its state, the rest is written again, and every output
is byte for byte that of a build from scratch; a state that cannot be used gives a full build.
The graph is kept on disk (as a large build's is) by setting MEMORY_TRIPLES to 0."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from helpers import bench_corpus, synthetic_corpus
from kg.build import build

ROOT = Path(__file__).resolve().parent.parent
OUTPUTS = ("graph.ttl", "graph.html", "report.md", "analysis.md", "analysis.json")
N = 24


@pytest.fixture
def on_disk(monkeypatch):
    monkeypatch.setattr("kg.graph.shards.MEMORY_TRIPLES", 0)


@pytest.fixture
def corpus(tmp_path):
    src = synthetic_corpus(tmp_path / "src", N, seed=11)
    for p in sorted((ROOT / "seeds").glob("*.txt"))[:3]:     # real articles among the synthetic ones
        shutil.copy(p, src / p.name)
    return src


def assert_same(out: Path, fresh: Path) -> None:
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name


def fresh_build(src: Path, tmp_path: Path) -> Path:
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    build([src], fresh, cache=None)
    return fresh


def test_adding_an_article_writes_it_and_reuses_the_others(corpus, tmp_path, on_disk):
    held = tmp_path / "held"
    held.mkdir()
    middle = sorted(corpus.iterdir())[N // 2]       # its id falls among the others'
    shutil.move(middle, held / middle.name)
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = build([corpus], out, cache=cache)
    assert first.reused == 0 and (out / ".current" / "state" / "store").is_dir()
    with sqlite3.connect(out / ".current" / "state" / "records.sqlite") as db:
        assert int(dict(db.execute("SELECT name, value FROM meta"))["store_files"]) > 0    # compacted
    shutil.move(held / middle.name, corpus / middle.name)
    again = build([corpus], out, cache=cache)
    assert again.cache["misses"] == 1
    # all but the new one, less any whose relation lines the new one now states first
    assert N + 3 - 1 - 3 <= again.reused <= N + 3 - 1
    assert_same(out, fresh_build(corpus, tmp_path))


def test_removing_and_changing_articles(corpus, tmp_path, on_disk):
    out, cache = tmp_path / "out", tmp_path / "cache"
    build([corpus], out, cache=cache)
    files = sorted(corpus.iterdir())
    files[3].unlink()
    files[10].write_text(bench_corpus().generate(1, seed=99)[0], encoding="utf-8")
    again = build([corpus], out, cache=cache)
    assert again.reused <= N + 3 - 2
    assert_same(out, fresh_build(corpus, tmp_path))


def test_the_same_inputs_again_reuse_everything(corpus, tmp_path, on_disk):
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = build([corpus], out, cache=cache)
    again = build([corpus], out, cache=cache)
    assert again.reused == N + 3 and again.build_id == first.build_id


@pytest.mark.parametrize("damage", ["records", "store", "graph", "record", "sst", "table", "entities",
                                    "no-lookup", "lookup", "lookup-entities"])
def test_a_state_that_cannot_be_used_gives_a_full_build(corpus, tmp_path, on_disk, damage):
    """Found unusable when opened (records not a database, no store, a graph.ttl of another
    size, no lookup tables), or only while read (a record of another shape, a file of the store
    gone, the merged entities read when articles were only added, an article's entities read when
    one went, lookup tables that are not a database): the
    build is then made in full, says so in the second case, and the build after it reuses again."""
    out, cache = tmp_path / "out", tmp_path / "cache"
    build([corpus], out, cache=cache)
    state = out / ".current" / "state"
    if damage == "records":
        (state / "records.sqlite").write_bytes(b"not a database")
    elif damage == "store":
        shutil.rmtree(state / "store")
    elif damage == "graph":     # graph.ttl is not the size the manifest says
        target = (out / ".current" / "graph.ttl").resolve()
        target.write_bytes(target.read_bytes() + b"\n")
    elif damage == "record":
        with sqlite3.connect(state / "records.sqlite") as db:
            db.execute("UPDATE records SET body = '{\"refs\": 1}' WHERE id = (SELECT MIN(id) FROM records)")
    elif damage == "table":
        with sqlite3.connect(state / "records.sqlite") as db:
            db.execute("UPDATE meta SET value = '{\"entities\": []}' WHERE name = 'entity_table'")
    elif damage == "no-lookup":
        (state / "lookup.sqlite").unlink()
    elif damage == "lookup":
        (state / "lookup.sqlite").write_bytes(b"not a database")
    elif damage == "lookup-entities":
        with sqlite3.connect(state / "lookup.sqlite") as db:
            db.execute("DROP TABLE entity")
    elif damage == "entities":
        with sqlite3.connect(state / "records.sqlite") as db:
            db.execute("UPDATE records SET entities = '[[1, 2]]' WHERE id = (SELECT MAX(id) FROM records)")
        sorted(corpus.iterdir())[0].unlink()
    else:
        next(p for p in sorted((state / "store").iterdir()) if p.suffix == ".sst").unlink()
    (corpus / "added.txt").write_text(bench_corpus().generate(1, seed=98)[0], encoding="utf-8")
    again = build([corpus], out, cache=cache)
    assert again.reused == 0
    assert bool(again.notes) == (damage in ("record", "sst", "table", "entities", "lookup", "lookup-entities"))
    assert all("state was not used" in note for note in again.notes)
    articles = N + 4 - (damage == "entities")
    assert again.cache["hits"] + again.cache["misses"] == articles       # counted once, retried or not
    assert_same(out, fresh_build(corpus, tmp_path))
    assert build([corpus], out, cache=cache).reused == articles       # the new state is sound


def test_a_corpus_moved_elsewhere_is_reused(corpus, tmp_path, on_disk):
    out, cache = tmp_path / "out", tmp_path / "cache"
    build([corpus], out, cache=cache)
    moved = corpus.rename(tmp_path / "elsewhere")
    assert build([moved], out, cache=cache).reused == N + 3
    assert_same(out, fresh_build(moved, tmp_path))


def test_another_extractor_does_not_use_the_state(corpus, tmp_path, on_disk, monkeypatch):
    out, cache = tmp_path / "out", tmp_path / "cache"
    build([corpus], out, cache=cache)
    with sqlite3.connect(out / ".current" / "state" / "records.sqlite") as db:
        db.execute("UPDATE meta SET value = 'other' WHERE name = 'extractor_version'")
    (corpus / "added.txt").write_text(bench_corpus().generate(1, seed=98)[0], encoding="utf-8")
    assert build([corpus], out, cache=cache).reused == 0


def test_no_state_without_the_cache_or_for_a_graph_kept_in_memory(corpus, tmp_path, monkeypatch):
    build([corpus], tmp_path / "memory", cache=tmp_path / "cache")
    assert not (tmp_path / "memory" / ".current" / "state").exists()
    monkeypatch.setattr("kg.graph.shards.MEMORY_TRIPLES", 0)
    build([corpus], tmp_path / "nocache", cache=None)
    assert not (tmp_path / "nocache" / ".current" / "state").exists()
