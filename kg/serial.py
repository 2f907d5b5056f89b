"""Extractions as plain JSON data and back, checked: what the extraction cache stores.

``dump`` turns an entry — ``("ok", Extraction)`` or ``("skip", reason)`` — into zlib-compressed
JSON carrying ``SCHEMA`` (the version of this layout); ``load`` turns such bytes back into the
same objects, or raises ``BadEntry`` for anything else: not zlib, not JSON, another schema, a
missing or extra field, a value of the wrong type, an entry of another article. Every field of
the ``kg.model`` types is written: tuples (entity keys) become lists and come back as tuples,
an entity's alias set a sorted list, ``Article.offsets`` runs of consecutive positions; an
entity's mentions that are mentions of the extraction are written as their index there, so
they come back as the same objects. Free-form ``attrs`` hold JSON values; a tuple, set or dict
in them is tagged (``{"tuple": [...]}``) so it comes back as it was.

Does not: read or write files (``kg.cache``); no pickle, so an entry is data, never code.
"""
from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import fields

from kg.model import ENTITY_TYPES, Article, Entity, EntityType, Extraction, Indicator, Mention, Relation, Sentence

SCHEMA = 1


class BadEntry(ValueError):
    """Bytes that are not an entry of this schema for this article."""


# ---------------------------------------------------------------- checked values

def _str(v):
    if not isinstance(v, str):
        raise BadEntry(f"expected a string, got {type(v).__name__}")
    return v


def _type(v):
    if _str(v) not in ENTITY_TYPES:
        raise BadEntry(f"unknown entity type {v!r}")
    return EntityType(v)


def _int(v):
    if not isinstance(v, int) or isinstance(v, bool):
        raise BadEntry(f"expected an integer, got {type(v).__name__}")
    return v


def _number(v):
    if not isinstance(v, (int, float)) or isinstance(v, bool):
        raise BadEntry(f"expected a number, got {type(v).__name__}")
    return v


def _optional(check):
    return lambda v: None if v is None else check(v)


def _list(check):
    def go(v):
        if not isinstance(v, list):
            raise BadEntry(f"expected a list, got {type(v).__name__}")
        return [check(x) for x in v]
    return go


def _key(v):
    if not (isinstance(v, list) and len(v) == 2):
        raise BadEntry("expected an entity key [type, label]")
    return (_str(v[0]), _str(v[1]))


def _free(v):
    """A free-form value (``attrs``) from JSON; tagged tuples, sets and dicts restored."""
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    if isinstance(v, list):
        return [_free(x) for x in v]
    if isinstance(v, dict) and len(v) == 1:
        (tag, inner), = v.items()
        if tag == "tuple":
            return tuple(_list(_free)(inner))
        if tag == "set":
            return set(_list(_free)(inner))
        if tag == "dict":
            pairs = _list(_list(_free))(inner)
            if any(len(pair) != 2 for pair in pairs):
                raise BadEntry("expected a dict as [key, value] pairs")
            return dict(pairs)
    raise BadEntry("unexpected value in attrs")


def _free_out(v):
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    if isinstance(v, list):
        return [_free_out(x) for x in v]
    if isinstance(v, tuple):
        return {"tuple": [_free_out(x) for x in v]}
    if isinstance(v, (set, frozenset)):
        return {"set": sorted((_free_out(x) for x in v), key=repr)}
    if isinstance(v, dict):
        return {"dict": [[_free_out(k), _free_out(x)] for k, x in v.items()]}
    raise TypeError(f"cannot store a {type(v).__name__} in the cache")


def _attrs(v):
    if not isinstance(v, dict):
        raise BadEntry("expected attrs as an object")
    return {_str(k): _free(x) for k, x in v.items()}


# ---------------------------------------------------------------- records

def _record(cls, checks: dict, data) -> object:
    """An instance of ``cls`` from a JSON object holding exactly its fields, each checked."""
    if not isinstance(data, dict) or set(data) != set(checks):
        raise BadEntry(f"expected the fields of {cls.__name__}")
    return cls(**{name: check(data[name]) for name, check in checks.items()})


def _plain(obj, skip=()) -> dict:
    out = {}
    for f in fields(obj):
        if f.name in skip:
            continue
        v = getattr(obj, f.name)
        if f.name == "attrs":
            out[f.name] = {_str(k): _free_out(x) for k, x in v.items()}
        else:
            out[f.name] = list(v) if isinstance(v, tuple) else v
    return out


_SENTENCE = {"article_id": _str, "index": _int, "start": _int, "end": _int, "text": _str, "paragraph": _int}
_MENTION = {"article_id": _str, "sentence": _int, "start": _int, "end": _int, "text": _str, "type": _type,
            "label": _str, "rule": _str, "attrs": _attrs}
_RELATION = {"subject": _key, "predicate": _str, "object": _key, "article_id": _str, "sentence": _int,
             "pattern": _str, "role": _str}
_INDICATOR = {"article_id": _str, "sentence": _int, "start": _int, "end": _int, "text": _str,
              "value": _number, "unit": _str, "measures": _str, "measures_key": _optional(_key),
              "region": _optional(_key), "year": _optional(_int)}
_ARTICLE = {"id": _str, "path": _str, "raw": _str, "text": _str, "offsets": lambda v: v,
            "title": _optional(_str), "date": _optional(_str), "source": _optional(_str),
            "author": _optional(_str), "url": _optional(_str), "encoding": _str,
            "dropped_lines": _int, "flags": _list(_str)}


def _offsets_out(offsets: list[int]) -> list[list[int]]:
    """[[i, offsets[i]], …] where the offsets stop running on by one; and the length."""
    runs = [[i, o] for i, o in enumerate(offsets) if i == 0 or o != offsets[i - 1] + 1]
    return [[len(offsets)]] + runs


def _offsets_in(v) -> list[int]:
    runs = _list(_list(_int))(v)
    if not runs or len(runs[0]) != 1 or any(len(r) != 2 for r in runs[1:]):
        raise BadEntry("expected offsets as runs")
    n, out = runs[0][0], []
    bounds = [r[0] for r in runs[1:]] + [n]
    if bounds != sorted(bounds) or (runs[1:] and runs[1][0] != 0):
        raise BadEntry("offsets runs out of order")
    for (start, pos), end in zip(runs[1:], bounds[1:]):
        out.extend(range(pos, pos + end - start))
    if len(out) != n:
        raise BadEntry("offsets of the wrong length")
    return out


def _article_out(a: Article) -> dict:
    d = _plain(a)
    d["offsets"] = _offsets_out(a.offsets)
    return d


def _article_in(v) -> Article:
    a = _record(Article, _ARTICLE, v)
    a.offsets = _offsets_in(a.offsets)
    if len(a.offsets) != len(a.text) or (a.offsets and not 0 <= min(a.offsets) <= max(a.offsets) < len(a.raw)):
        raise BadEntry("offsets do not fit the text")
    return a


def _consistent(ex: Extraction) -> None:
    """Spans inside the article's text and saying what it says, sentence numbers in range:
    what the graph and report stages take for granted."""
    text, n = ex.article.text, len(ex.sentences)
    if [s.index for s in ex.sentences] != list(range(n)):
        raise BadEntry("sentences out of order")
    spans = [*ex.sentences, *ex.mentions, *ex.indicators,
             *(m for e in ex.entities.values() for m in e.mentions)]
    for x in spans:
        if not (0 <= x.start <= x.end <= len(text) and text[x.start:x.end] == x.text):
            raise BadEntry("a span that is not the article's text")
    for x in [*ex.mentions, *ex.indicators, *ex.relations]:
        if not -1 <= x.sentence < n:
            raise BadEntry("a sentence number out of range")
    for x in [*ex.sentences, *ex.mentions, *ex.indicators, *ex.relations]:
        if x.article_id != ex.article.id:
            raise BadEntry("a part of another article")


def _extraction_out(ex: Extraction) -> dict:
    where = {id(m): i for i, m in enumerate(ex.mentions)}
    entities = []
    for key, e in ex.entities.items():
        d = _plain(e, skip=("mentions", "aliases"))
        d["aliases"] = sorted(e.aliases)
        d["mentions"] = [where[id(m)] if id(m) in where else _plain(m) for m in e.mentions]
        entities.append([list(key), d])
    return {"article": _article_out(ex.article), "sentences": [_plain(s) for s in ex.sentences],
            "mentions": [_plain(m) for m in ex.mentions], "relations": [_plain(r) for r in ex.relations],
            "indicators": [_plain(i) for i in ex.indicators], "entities": entities,
            "home_region": list(ex.home_region) if ex.home_region else None,
            "lead_body": list(ex.lead_body) if ex.lead_body else None}


def _extraction_in(v) -> Extraction:
    if not isinstance(v, dict) or set(v) != {"article", "sentences", "mentions", "relations", "indicators",
                                             "entities", "home_region", "lead_body"}:
        raise BadEntry("expected the fields of Extraction")
    mentions = _list(lambda x: _record(Mention, _MENTION, x))(v["mentions"])

    def mention(x):
        if isinstance(x, int) and not isinstance(x, bool):
            if not 0 <= x < len(mentions):
                raise BadEntry("mention index out of range")
            return mentions[x]
        return _record(Mention, _MENTION, x)

    entities = {}
    for pair in _list(lambda p: p)(v["entities"]):
        if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[1], dict)):
            raise BadEntry("expected entities as [key, entity] pairs")
        key, d = _key(pair[0]), pair[1]
        entities[key] = _record(Entity, {"type": _type, "label": _str, "aliases": lambda x: set(_list(_str)(x)),
                                         "attrs": _attrs, "mentions": _list(mention)}, d)
    return Extraction(_article_in(v["article"]),
                      _list(lambda x: _record(Sentence, _SENTENCE, x))(v["sentences"]), mentions,
                      _list(lambda x: _record(Relation, _RELATION, x))(v["relations"]),
                      _list(lambda x: _record(Indicator, _INDICATOR, x))(v["indicators"]), entities,
                      _optional(_key)(v["home_region"]), _optional(_key)(v["lead_body"]))


# ---------------------------------------------------------------- entries

def dump(kind: str, value) -> bytes:
    """An entry's bytes: ``kind`` "ok" (value an Extraction) or "skip" (value the reason)."""
    body = _extraction_out(value) if kind == "ok" else _str(value)
    doc = {"schema": SCHEMA, "kind": kind, "value": body}
    return zlib.compress(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 1)


def load(blob: bytes, article_id: str | None = None) -> tuple[str, object]:
    """``(kind, value)`` of an entry's bytes; ``BadEntry`` unless it is one of this schema
    (and, for an extraction, of the article ``article_id`` when given)."""
    try:
        doc = json.loads(zlib.decompress(blob).decode("utf-8"))
    except (zlib.error, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BadEntry(f"not an entry: {exc}") from None
    if not isinstance(doc, dict) or set(doc) != {"schema", "kind", "value"}:
        raise BadEntry("not an entry")
    if doc["schema"] != SCHEMA:
        raise BadEntry(f"schema {doc['schema']!r}, not {SCHEMA}")
    if doc["kind"] == "skip":
        return "skip", _str(doc["value"])
    if doc["kind"] != "ok":
        raise BadEntry(f"unknown kind {doc['kind']!r}")
    try:
        ex = _extraction_in(doc["value"])
    except (TypeError, RecursionError) as exc:     # e.g. a field a record does not take
        raise BadEntry(str(exc)) from None
    _consistent(ex)
    if article_id is not None and ex.article.id != article_id:
        raise BadEntry(f"an entry of article {ex.article.id!r}, not {article_id!r}")
    return "ok", ex


# ---------------------------------------------------------------- summaries

def dump_summary(kind: str, value, entry: bytes) -> bytes:
    """A summary entry's bytes: what a build needs of an article before it reads the article
    again, its id and its entities without their mentions (``kind`` "ok", ``value`` an
    Extraction), or the reason it was skipped, with the digest of the ``entry`` it sums up
    (``dump``'s bytes). Small, so that a build whose extractions all come from the cache does
    not unpack each one twice."""
    if kind == "ok":
        body = {"id": value.article.id, "entities": entities_out(value.entities)}
    else:
        body = _str(value)
    doc = {"schema": SCHEMA, "kind": kind, "summary": body, "entry": entry_digest(entry)}
    return zlib.compress(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 1)


def entry_digest(entry: bytes) -> str:
    """The digest a summary keeps of its entry's bytes."""
    return hashlib.blake2b(entry, digest_size=16).hexdigest()


def load_summary(blob: bytes, article_id: str, entry: bytes) -> tuple[str, object]:
    """``("ok", entities by key)`` (Entities without mentions) or ``("skip", reason)`` of a
    summary entry of the article ``article_id`` summing up the bytes ``entry``; ``BadEntry``
    for anything else (another article's, another entry's, not a summary of this schema).

    >>> from kg.model import Article, Entity, Extraction
    >>> ex = Extraction(Article("a", "a.txt", "", "", []), [], [], [], [],
    ...                 {("Body", "县委组织部"): Entity("Body", "县委组织部", {"组织部"})}, None, None)
    >>> entry = dump("ok", ex)
    >>> load_summary(dump_summary("ok", ex, entry), "a", entry)[1][("Body", "县委组织部")].aliases
    {'组织部'}
    """
    try:
        doc = json.loads(zlib.decompress(blob).decode("utf-8"))
    except (zlib.error, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BadEntry(f"not a summary: {exc}") from None
    if not isinstance(doc, dict) or set(doc) != {"schema", "kind", "summary", "entry"} or doc["schema"] != SCHEMA:
        raise BadEntry("not a summary of this schema")
    if doc["entry"] != entry_digest(entry):
        raise BadEntry("a summary of other bytes than the entry's")
    if doc["kind"] == "skip":
        return "skip", _str(doc["summary"])
    body = doc["summary"]
    if doc["kind"] != "ok" or not isinstance(body, dict) or set(body) != {"id", "entities"}:
        raise BadEntry("not a summary")
    if body["id"] != article_id:
        raise BadEntry(f"a summary of article {body['id']!r}, not {article_id!r}")
    return "ok", entities_in(body["entities"])


def entities_out(entities: dict) -> list:
    """An article's entities by key, without their mentions, as JSON-ready ``[key, entity]`` pairs."""
    return [[list(key), {**_plain(e, skip=("mentions", "aliases")), "aliases": sorted(e.aliases)}]
            for key, e in entities.items()]


def entities_in(pairs) -> dict:
    """``entities_out``'s pairs read back and checked (``BadEntry`` if they are not such pairs)."""
    entities = {}
    for pair in _list(lambda p: p)(pairs):
        if not (isinstance(pair, list) and len(pair) == 2):
            raise BadEntry("expected entities as [key, entity] pairs")
        try:
            entities[_key(pair[0])] = _record(Entity, {"type": _type, "label": _str, "attrs": _attrs,
                                                       "aliases": lambda x: set(_list(_str)(x))}, pair[1])
        except TypeError as exc:
            raise BadEntry(str(exc)) from None
    return entities
