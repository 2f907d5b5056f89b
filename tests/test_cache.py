"""Incremental and parallel builds: the extraction cache reprocesses only new or changed
articles (asserted through the cache's counters), and the Turtle is byte-identical whatever the
number of processes, the cache and the order the inputs are listed in."""
from __future__ import annotations

from pathlib import Path

import pytest

import kg.pipeline
from helpers import bench_corpus, synthetic_corpus
from kg.cache import Cache
from kg.pipeline import extract_paths
from kg.graph.rdf import build_graph, turtle

ROOT = Path(__file__).resolve().parent.parent

N = 12


def ttl(result) -> str:
    return turtle(build_graph(result.extractions, result.entities))


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return synthetic_corpus(tmp_path_factory.mktemp("corpus"), N, seed=3)


@pytest.fixture(scope="module")
def reference(folder):
    return ttl(extract_paths([folder]))


def test_adding_one_article_reprocesses_only_it(folder, tmp_path, reference):
    cache = tmp_path / "cache"
    first = extract_paths([folder], cache=cache)
    assert first.cache == {"hits": 0, "misses": N, "writes": N}
    assert ttl(first) == reference

    extra = tmp_path / "extra.txt"
    extra.write_text(bench_corpus().generate(1, seed=99)[0], encoding="utf-8")
    second = extract_paths([folder, extra], cache=cache)
    assert second.cache == {"hits": N, "misses": 1, "writes": 1}
    assert len(second.extractions) == N + 1

    again = extract_paths([folder], cache=Cache(cache))
    assert again.cache == {"hits": N, "misses": 0, "writes": 0}
    assert ttl(again) == reference          # what comes from the cache builds the same graph


def test_changed_article_and_new_version_are_recomputed(folder, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    d = tmp_path / "copy"
    d.mkdir()
    for f in sorted(folder.glob("*.txt"))[:3]:
        (d / f.name).write_bytes(f.read_bytes())
    extract_paths([d], cache=cache)
    target = sorted(d.glob("*.txt"))[1]
    target.write_text(target.read_text(encoding="utf-8") + "全县选派第一书记120名。\n", encoding="utf-8")
    assert extract_paths([d], cache=cache).cache == {"hits": 2, "misses": 1, "writes": 1}
    monkeypatch.setattr(kg.pipeline, "extractor_version", lambda: "another-version")
    assert extract_paths([d], cache=cache).cache == {"hits": 0, "misses": 3, "writes": 3}


def test_skips_are_cached_too(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "english.txt").write_text("English only.\n", encoding="utf-8")
    first = extract_paths([tmp_path / "in"], cache=tmp_path / "c")
    again = extract_paths([tmp_path / "in"], cache=tmp_path / "c")
    assert again.cache["hits"] == 1 and [s.reason for s in again.skipped] == [s.reason for s in first.skipped]


def test_corrupt_entry_is_a_miss(folder, tmp_path):
    cache = tmp_path / "cache"
    one = sorted(folder.glob("*.txt"))[0]
    extract_paths([one], cache=cache)
    for entry in (cache / "extractions").rglob("*"):
        if entry.is_file():
            entry.write_bytes(entry.read_bytes()[:20])      # as if cut short
    assert extract_paths([one], cache=cache).cache == {"hits": 0, "misses": 1, "writes": 1}


def test_turtle_identical_whatever_jobs_and_order(folder, reference):
    files = sorted(folder.glob("*.txt"))
    shuffled = files[5:] + files[:5][::-1]
    assert ttl(extract_paths(shuffled, jobs=2)) == reference
    assert ttl(extract_paths(list(reversed(files)), jobs=3)) == reference


def test_cached_resource_builds_once_then_loads_and_survives_a_corrupt_file(tmp_path, monkeypatch):
    from kg.resources import cached_resource, extractor_version

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    calls = []

    def build():
        calls.append(1)
        return {"地名": ["430000"]}

    assert cached_resource("thing", build) == {"地名": ["430000"]}
    assert cached_resource("thing", build) == {"地名": ["430000"]}
    assert len(calls) == 1                                   # the second came from the file
    path = tmp_path / "resources" / f"thing-{extractor_version()}.json"
    path.write_bytes(b"not json")
    assert cached_resource("thing", build) == {"地名": ["430000"]}
    assert len(calls) == 2                                   # rebuilt, not an error


def test_the_gazetteer_from_the_resource_cache_answers_as_a_fresh_one():
    import json

    from kg.ingest.gazetteer import Gazetteer
    from kg.ingest.gazetteer_cache import from_data, to_data

    fresh = Gazetteer.prepared()
    loaded = from_data(json.loads(json.dumps(to_data(fresh))))
    text = "湖南省湘西州花垣县双龙镇十八洞村和福州市鼓楼区"
    assert [(m.start, m.end, m.candidates) for m in loaded.find(text)] == \
           [(m.start, m.end, m.candidates) for m in fresh.find(text)]
    assert loaded.by_code("433124") == fresh.by_code("433124")
    for name in ("_index", "_by_code", "_areas", "_abbr", "_towns", "_scan_cache", "_ethnic", "_stop"):
        assert getattr(loaded, name) == getattr(fresh, name), name


def test_a_build_from_the_cache_unpacks_each_article_once(folder, tmp_path, monkeypatch):
    """A build whose articles all come from the cache reads their summaries (id, entities) to
    merge the entities and unpacks each extraction once, for the graph; the folder is the same."""
    from kg import serial
    from kg.build import build

    cache = tmp_path / "cache"
    build([folder], tmp_path / "a", cache=cache, html=False)
    assert len(list((cache / "summaries").rglob("*"))) > N
    loads = []
    real = serial.load
    monkeypatch.setattr(serial, "load", lambda *a: loads.append(a) or real(*a))
    second = build([folder], tmp_path / "b", cache=cache, html=False)
    assert second.cache["hits"] == N and len(loads) == N
    for name in ("graph.ttl", "report.md", "analysis.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_an_entry_changed_after_its_summary_is_recomputed(folder, tmp_path):
    """The summary names the digest of its entry's bytes: an entry damaged or replaced on disk
    is not taken on the word of its summary but read in full, found bad and recomputed; a
    summary that is missing (a cache of an older kg) is written again from the entry."""
    from kg.build import build

    cache = tmp_path / "cache"
    first = build([folder], tmp_path / "a", cache=cache, html=False)
    entries = sorted((cache / "extractions").rglob("*"))
    entries = [e for e in entries if e.is_file()]
    entries[0].write_bytes(entries[0].read_bytes()[:-3])                  # truncated
    summary = cache / "summaries" / entries[1].parent.name / entries[1].name
    summary.unlink()
    second = build([folder], tmp_path / "b", cache=cache, html=False)
    assert second.cache == {"hits": N - 1, "misses": 1, "writes": 1}
    assert summary.is_file()
    assert (tmp_path / "a" / "graph.ttl").read_bytes() == (tmp_path / "b" / "graph.ttl").read_bytes()
    assert first.build_id == second.build_id


def test_an_entry_damaged_during_the_build_is_one_line(folder, tmp_path, monkeypatch):
    """Should an entry change between its summary and the graph pass, the build stops with one
    line naming the cache folder and leaves the output folder as it was."""
    from kg import serial
    from kg.graph.spool import ExtractionSpool
    from kg.outputs.folder import OutputError, current_build
    from kg.build import build

    cache = tmp_path / "cache"
    build([folder], tmp_path / "out", cache=cache, html=False)
    before = current_build(tmp_path / "out")["build"]

    def damaged(self, article_id):
        raise serial.BadEntry("not an entry: truncated")
    monkeypatch.setattr(ExtractionSpool, "get", damaged)
    with pytest.raises(OutputError, match=f"^{cache}: a cached extraction is damaged \\(not an entry: truncated\\); "):
        build([folder], tmp_path / "out", cache=cache, html=False)
    assert current_build(tmp_path / "out")["build"] == before
