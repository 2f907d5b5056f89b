"""Extractions kept on disk while a build runs, and their entities merged as they come.

``ExtractionSpool`` holds each article's extraction in a temporary file (or the means to load it
again) and gives them back in article-id order; ``EntityTable`` merges the articles' entities as
``kg.pipeline.merge`` does, in any order of arrival, keeping no mentions. Together they let a
build hold the distinct entities in memory, not the articles.

What this module does not do: write triples (``kg.graph.shards``).
"""
from __future__ import annotations

import json
import pickle
import tempfile
from pathlib import Path
from typing import Callable, Iterator

from kg import serial
from kg.model import Entity, Extraction


class ExtractionSpool:
    """Extractions written into an anonymous temporary file in ``folder`` as they finish
    (pickled, or as the cache entry they came from), or to be loaded when asked for
    (``add_later``), read back one at a time in article-id order. ``len``, truth, iteration and
    indexing as a sorted list's (each item unpacked when read). The file goes when the spool
    does. Each article may carry its cache key (``Unit.key``)."""

    def __init__(self, folder: str | Path | None = None):
        self._fh = tempfile.TemporaryFile(dir=folder)
        # id -> (offset, size, path, how it is kept: "pickle", "entry" or "later", key)
        self._index: dict[str, tuple[int, int, str, str, str]] = {}
        self._later: dict[str, Callable[[], Extraction]] = {}

    def add(self, ex: Extraction, key: str = "") -> None:
        """Append ``ex``. It is pickled: this file is written and read by this process alone
        and gone with it, and unpickling is ~4x faster than the checked reading of a cache
        entry (``kg.serial.load``), which the graph pass does once per article."""
        self._append(ex.article.id, ex.article.path, pickle.dumps(ex, protocol=pickle.HIGHEST_PROTOCOL),
                     "pickle", key)

    def add_packed(self, article_id: str, path: str, blob: bytes, key: str = "") -> None:
        """Append the extraction of ``article_id`` (read from ``path``) as a cache entry's
        bytes (``kg.serial.dump``), checked and unpacked only when read back."""
        self._append(article_id, path, blob, "entry", key)

    def add_later(self, article_id: str, path: str, key: str, load: Callable[[], Extraction]) -> None:
        """Count in ``article_id`` without its extraction: ``load()`` gives it if it is read."""
        self._index[article_id] = (0, 0, path, "later", key)
        self._later[article_id] = load

    def _append(self, article_id: str, path: str, data: bytes, how: str, key: str) -> None:
        self._fh.seek(0, 2)
        self._index[article_id] = (self._fh.tell(), len(data), path, how, key)
        self._fh.write(data)

    def __len__(self) -> int:
        return len(self._index)

    def __bool__(self) -> bool:
        return bool(self._index)

    def __iter__(self) -> Iterator[Extraction]:
        for article_id in sorted(self._index):
            yield self.get(article_id)

    def __getitem__(self, i: int) -> Extraction:
        return self.get(sorted(self._index)[i])

    def ids(self) -> list[str]:
        """The articles' ids, sorted."""
        return sorted(self._index)

    def about(self, article_id: str) -> tuple[str, str]:
        """(path, key) of an article."""
        _, _, path, _, key = self._index[article_id]
        return path, key

    def get(self, article_id: str) -> Extraction:
        """The extraction of ``article_id``, unpacked (``BadEntry`` if its entry is damaged)."""
        offset, size, path, how, _ = self._index[article_id]
        if how == "later":
            ex = self._later[article_id]()
        else:
            self._fh.seek(offset)
            data = self._fh.read(size)
            if how == "pickle":
                ex = pickle.loads(data)     # noqa: S301 (our own temporary file, see ``add``)
            else:
                kind, ex = serial.load(data, article_id)     # BadEntry: damaged since its summary
                if kind != "ok":
                    raise serial.BadEntry(f"article {article_id!r}: a skip, not an extraction")
        ex.article.path = path
        return ex


class EntityTable:
    """Entities merged across articles as ``kg.pipeline.merge`` does, in any order of arrival:
    the label and each attribute come from the first article by id that has them; aliases are
    joined; mentions are not kept."""

    def __init__(self) -> None:
        self._first: dict[tuple[str, str], tuple[str, Entity]] = {}
        self._attr_from: dict[tuple[str, str], dict[str, str]] = {}

    def add(self, article_id: str, entities: dict[tuple[str, str], Entity]) -> None:
        """Fold one article's entities in."""
        for key, e in entities.items():
            self._fold(key, article_id, e, dict.fromkeys(e.attrs, article_id))

    def update(self, other: "EntityTable") -> None:
        """Fold in the articles ``other`` merged (none of them folded in here already)."""
        for key, (first, e) in other._first.items():
            self._fold(key, first, e, other._attr_from.get(key, {}))

    def _fold(self, key: tuple[str, str], first: str, e: Entity, attr_from: dict[str, str]) -> None:
        """Fold in ``e``: its type and label from article ``first``, each attribute from the
        article ``attr_from`` names."""
        seen = self._first.get(key)
        if seen is None or first < seen[0]:
            old = seen[1] if seen else None
            m = Entity(e.type, e.label, set(old.aliases) if old else set(), dict(old.attrs) if old else {})
            self._first[key] = (first, m)
        m = self._first[key][1]
        m.aliases |= e.aliases
        src = self._attr_from.setdefault(key, {})
        for k, v in e.attrs.items():
            if k not in src or attr_from[k] < src[k]:
                src[k] = attr_from[k]
                m.attrs[k] = v

    def dump(self) -> str:
        """The table as JSON, for ``load``: the merged entities, and for each the article its
        type and label came from and those its attributes did."""
        keys = sorted(self._first)
        return json.dumps({"entities": serial.entities_out({k: self._first[k][1] for k in keys}),
                           "first": [self._first[k][0] for k in keys],
                           "attr_from": [self._attr_from.get(k, {}) for k in keys]}, ensure_ascii=False)

    @classmethod
    def load(cls, text: str) -> "EntityTable":
        """A table ``dump`` wrote (``serial.BadEntry`` if it is not one)."""
        try:
            doc = json.loads(text)
            entities = serial.entities_in(doc["entities"])
            first, attr_from = doc["first"], doc["attr_from"]
        except (ValueError, TypeError, KeyError) as exc:
            raise serial.BadEntry(f"not an entity table: {exc}") from None
        if not (isinstance(first, list) and isinstance(attr_from, list)) \
                or not (len(first) == len(attr_from) == len(entities)) or not all(isinstance(a, str) for a in first) \
                or not all(isinstance(d, dict) and set(d) == set(e.attrs) and all(isinstance(x, str) for x in d.values())
                           for d, e in zip(attr_from, entities.values())):
            raise serial.BadEntry("not an entity table")
        table = cls()
        for (key, e), a, d in zip(entities.items(), first, attr_from):
            table._first[key] = (a, e)
            table._attr_from[key] = d
        return table

    def entities(self) -> dict[tuple[str, str], Entity]:
        """The merged entities by key (without mentions)."""
        return {key: e for key, (_, e) in self._first.items()}
