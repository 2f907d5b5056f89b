"""The cache holds data, not code: an extraction round-trips through its JSON entry to the same
objects and the same Turtle, and an entry that is not one (truncated, not JSON, another schema,
another shape, wrong types, another article's, a pickle) is a miss, recomputed and overwritten
— never a crash, never a lost or merged article. The resource cache is JSON too."""
from __future__ import annotations

import json
import pickle
import zlib
from pathlib import Path

import pytest

from kg import serial
from kg.model import EntityType
from kg.resources import cached_resource, extractor_version
from kg.pipeline import extract_paths
from kg.graph.rdf import build_graph, turtle

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def ttl(extractions) -> str:
    from kg.pipeline import merge

    return turtle(build_graph(extractions, merge(extractions)))


@pytest.fixture(scope="module")
def seeds_result():
    return extract_paths([ROOT / "seeds", ROOT / "tests" / "challenge"])


def test_round_trip_gives_the_same_objects_and_byte_identical_turtle(seeds_result):
    exs = seeds_result.extractions
    back = []
    for ex in exs:
        kind, value = serial.load(serial.dump("ok", ex), ex.article.id)
        assert kind == "ok" and value == ex           # every field, sets and tuples as they were
        for key, e in value.entities.items():        # an entity's mentions are the article's own
            assert all(any(m is x for x in value.mentions) for m in e.mentions)
            assert isinstance(key, tuple) and all(isinstance(r.subject, tuple) for r in value.relations)
            assert isinstance(e.type, EntityType) and all(isinstance(m.type, EntityType) for m in e.mentions)
        back.append(value)
    assert ttl(back) == ttl(exs)
    assert serial.load(serial.dump("skip", "empty file")) == ("skip", "empty file")


def test_the_schema_names_every_field_of_the_model():
    from dataclasses import fields

    from kg import model

    for cls, checks in ((model.Article, serial._ARTICLE), (model.Sentence, serial._SENTENCE),
                        (model.Mention, serial._MENTION), (model.Relation, serial._RELATION),
                        (model.Indicator, serial._INDICATOR)):
        assert {f.name for f in fields(cls)} == set(checks), cls.__name__
    assert {f.name for f in fields(model.Entity)} == {"type", "label", "aliases", "attrs", "mentions"}
    assert {f.name for f in fields(model.Extraction)} == {"article", "sentences", "mentions", "relations",
                                                          "indicators", "entities", "home_region", "lead_body"}


def test_free_form_attrs_keep_their_types(seeds_result):
    ex = seeds_result.extractions[0]
    m = ex.mentions[0]
    m.attrs = {"t": ("a", 1), "s": {"x"}, "d": {"k": [1.5, None, True]}, "l": ["p"]}
    try:
        _, back = serial.load(serial.dump("ok", ex))
        assert back.mentions[0].attrs == m.attrs and isinstance(back.mentions[0].attrs["t"], tuple)
    finally:
        m.attrs = {}


class Boom:
    """A pickle that runs code when loaded: what a pickle cache would have executed."""

    def __reduce__(self):
        return (Path.touch, (Path(__file__).with_name("BOOM-should-not-exist"),))


def _doc(blob: bytes) -> dict:
    return json.loads(zlib.decompress(blob))


def _pack(doc) -> bytes:
    return zlib.compress(json.dumps(doc, ensure_ascii=False).encode("utf-8"))


def _set(doc, path, value):
    d = doc
    for p in path[:-1]:
        d = d[p]
    d[path[-1]] = value
    return doc


BAD = {
    "truncated": lambda b: b[: len(b) // 2],
    "empty": lambda b: b"",
    "not zlib": lambda b: b"{\"schema\": 1}",
    "not JSON": lambda b: zlib.compress(b"\x80not json"),
    "not an object": lambda b: _pack([1, 2, 3]),
    "old schema": lambda b: _pack(_set(_doc(b), ["schema"], 0)),
    "unknown kind": lambda b: _pack(_set(_doc(b), ["kind"], "maybe")),
    "skip with a number": lambda b: _pack({"schema": serial.SCHEMA, "kind": "skip", "value": 42}),
    "ok without value": lambda b: _pack(_set(_doc(b), ["value"], None)),
    "missing field": lambda b: _pack({**_doc(b), "value": {k: v for k, v in _doc(b)["value"].items() if k != "mentions"}}),
    "extra field": lambda b: _pack(_set(_doc(b), ["value", "article", "evil"], 1)),
    "string index": lambda b: _pack(_set(_doc(b), ["value", "sentences", 0, "index"], "0")),
    "unknown entity type": lambda b: _pack(_set(_doc(b), ["value", "mentions", 0, "type"], "Thing")),
    "bool offset": lambda b: _pack(_set(_doc(b), ["value", "mentions", 0, "start"], True)),
    "key of 3": lambda b: _pack(_set(_doc(b), ["value", "relations", 0, "subject"], ["Body", "x", "y"])),
    "mention index out of range": lambda b: _pack(_set(_doc(b), ["value", "entities", 0, 1, "mentions"], [10 ** 6])),
    "offsets too short": lambda b: _pack(_set(_doc(b), ["value", "article", "offsets"], [[3], [0, 0]])),
    "aliases not strings": lambda b: _pack(_set(_doc(b), ["value", "entities", 0, 1, "aliases"], [1])),
    "span past the text": lambda b: _pack(_set(_doc(b), ["value", "mentions", 0, "end"], 10 ** 7)),
    "span of other text": lambda b: _pack(_set(_doc(b), ["value", "mentions", 0, "text"], "别的")),
    "sentence out of range": lambda b: _pack(_set(_doc(b), ["value", "relations", 0, "sentence"], 10 ** 5)),
    "mention of another article": lambda b: _pack(_set(_doc(b), ["value", "mentions", 0, "article_id"], "x")),
    "another article": lambda b: _pack(_set(_doc(b), ["value", "article", "id"], "someone-else")),
    "a pickle": lambda b: pickle.dumps(("ok", Boom())),
    "a compressed pickle": lambda b: zlib.compress(pickle.dumps(("ok", Boom()))),
}


@pytest.fixture(scope="module")
def one(tmp_path_factory):
    d = tmp_path_factory.mktemp("one")
    (d / "a.txt").write_text(SEEDS[0].read_text(encoding="utf-8"), encoding="utf-8")
    reference = extract_paths([d])
    cache = d.parent / (d.name + "-cache")
    extract_paths([d], cache=cache)
    entry = next(p for p in (cache / "extractions").rglob("*") if p.is_file())
    return d, cache, entry, entry.read_bytes(), ttl(reference.extractions)


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_entry_is_recomputed(one, name):
    folder, cache, entry, good, reference = one
    entry.write_bytes(BAD[name](good))
    result = extract_paths([folder], cache=cache)
    assert result.cache == {"hits": 0, "misses": 1, "writes": 1}
    assert [ex.article.id for ex in result.extractions] == ["a"] and not result.skipped
    assert ttl(result.extractions) == reference
    assert entry.read_bytes() != BAD[name](good)                       # overwritten with a good one
    assert extract_paths([folder], cache=cache).cache["hits"] == 1
    assert not Path(__file__).with_name("BOOM-should-not-exist").exists()


def test_resource_cache_is_json_and_never_unpickles(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    built = []

    def build():
        built.append(1)
        return {"地名": ("430000",)}

    to_data = lambda v: {k: list(x) for k, x in v.items()}                      # noqa: E731
    from_data = lambda d: {k: tuple(x) for k, x in d.items()}                   # noqa: E731
    old = tmp_path / "resources" / f"thing-{extractor_version()}.pickle"
    old.parent.mkdir(parents=True)
    old.write_bytes(pickle.dumps(Boom()))
    assert cached_resource("thing", build, to_data, from_data) == {"地名": ("430000",)}
    path = tmp_path / "resources" / f"thing-{extractor_version()}.json"
    assert json.loads(path.read_text(encoding="utf-8")) == {"地名": ["430000"]}
    assert cached_resource("thing", build, to_data, from_data) == {"地名": ("430000",)} and len(built) == 1
    path.write_bytes(pickle.dumps(Boom()))
    assert cached_resource("thing", build, to_data, from_data) == {"地名": ("430000",)} and len(built) == 2
    assert not Path(__file__).with_name("BOOM-should-not-exist").exists()


@pytest.mark.parametrize("damage", ["columns", "reference", "level", "kind", "joined"])
def test_a_gazetteer_of_the_wrong_shape_is_refused(damage):
    from kg.ingest.gazetteer_cache import gazetteer
    from kg.ingest.gazetteer_cache import from_data, to_data

    data = json.loads(json.dumps(to_data(gazetteer())))
    if damage == "columns":
        data["divisions"]["parent"].pop()
    elif damage == "reference":
        data["by_code"][1][0] = 10 ** 7
    elif damage == "level":
        data["divisions"]["level"] = data["divisions"]["level"].replace("county", "planet", 1)
    elif damage == "kind":
        data["index"][0][1][0][1] = "nickname"
    else:
        data["towns"][1][0] += 1
    with pytest.raises((ValueError, IndexError, KeyError, TypeError)):
        from_data(data)
