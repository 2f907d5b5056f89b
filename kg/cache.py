"""A cache of per-article results, so that rebuilding a grown corpus only reads what is new.

An entry is keyed by the SHA-256 of the extractor version and the article's unit (its id, file
name and bytes, see ``kg.model.Unit.key``) and holds the article's ``Extraction`` (or the
reason it was skipped) as zlib-compressed JSON (``kg.serial``: data, never code; an entry that
is not one of its schema, or not of the article, is a miss and is recomputed). The extractor
version is a hash of every file of the ``kg`` package (code and data) and of the versions of
jieba, OpenCC and trafilatura, so any change to the rules makes old entries unreachable rather
than wrong.

Where: ``$KG_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/kg``, else ``~/.cache/kg``; entries
sit under ``extractions/<2 hex>/<key>``, each with a summary (its id and entities, what a
build needs before it reads the article again) under ``summaries/``. Deleting the folder is always safe. ``kg build
--no-cache`` neither reads nor writes it. Entries are written to a temporary file and renamed,
so an interrupted build never leaves a half entry; an unreadable entry counts as a miss.

The folder and the extractor version are ``kg.resources``' (which keeps built resources, the
gazetteer's tables and jieba's dictionary and tags, under ``resources/`` in the same folder).

Does not: expire or prune entries (an entry of an old version is never read again; delete the
folder to reclaim the space).
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kg import serial
from kg.resources import default_dir, extractor_version

SUMMARIES = "summaries"      # an entry's id and entities, read instead of the entry by a build

__all__ = ["Cache", "default_dir", "extractor_version", "pack", "unpack"]


def pack(kind: str, value) -> bytes:
    """An entry's bytes (``kg.serial.dump``): ``kind`` "ok" (value an Extraction) or "skip"."""
    return serial.dump(kind, value)


def unpack(blob: bytes, article_id: str | None = None):
    """``(kind, value)`` of an entry's bytes; ``kg.serial.BadEntry`` for anything else."""
    return serial.load(blob, article_id)


class Cache:
    """Entries under ``root``; counts hits, misses and writes in ``stats``."""

    def __init__(self, root: str | Path | None = None):
        self.root = Path(root) if root is not None else default_dir()
        self.dir = self.root / "extractions"
        self.stats = {"hits": 0, "misses": 0, "writes": 0}

    def _path(self, key: str, kind: str = "extractions") -> Path:
        return self.root / kind / key[:2] / key

    def get(self, key: str, article_id: str | None = None):
        """(kind, value) of the entry, or None (a miss) when there is none or it is not an
        entry of this schema (and of ``article_id``): truncated, not JSON, of another shape."""
        entry = self.entry(key, article_id)
        return entry[:2] if entry else None

    def entry(self, key: str, article_id: str | None = None):
        """(kind, value, bytes) of the entry — the bytes as stored, for a caller that keeps them
        (a build's spool) without packing the value again — or None, as ``get``."""
        try:
            blob = self._path(key).read_bytes()
            kind, value = unpack(blob, article_id)
        except (OSError, serial.BadEntry):       # absent or bad: recompute (and overwrite)
            self.stats["misses"] += 1
            return None
        self.stats["hits"] += 1
        return kind, value, blob

    def stored(self, key: str, article_id: str):
        """``(kind, value, bytes)`` of the entry without unpacking the extraction: ``value`` the
        entities by key (without mentions) from its summary (``kg.serial.load_summary``) or
        the reason it was skipped, ``bytes`` the entry as stored. Falls back to ``entry`` (and
        writes the summary) when the summary is missing or bad; None on a miss."""
        try:
            blob = self._path(key).read_bytes()
            kind, value = serial.load_summary(self._path(key, SUMMARIES).read_bytes(), article_id, blob)
        except (OSError, serial.BadEntry):
            entry = self.entry(key, article_id)
            if entry is None:
                return None
            kind, value, blob = entry
            self._write(self._path(key, SUMMARIES), serial.dump_summary(kind, value, blob))
            return kind, (value.entities if kind == "ok" else value), blob
        self.stats["hits"] += 1
        return kind, value, blob

    def put(self, key: str, blob: bytes, entry: tuple[str, object] | None = None) -> None:
        """Store packed bytes, and the summary of ``entry`` (their ``(kind, value)``,
        ``kg.serial.dump_summary``) when given; a cache that cannot be written is not an error
        of the build."""
        if entry is not None:
            self._write(self._path(key, SUMMARIES), serial.dump_summary(*entry, blob))
        if self._write(self._path(key), blob):
            self.stats["writes"] += 1

    def _write(self, path: Path, blob: bytes) -> bool:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        except OSError:
            return False
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
            os.replace(tmp, path)
            return True
        except BaseException as exc:
            if os.path.exists(tmp):
                os.unlink(tmp)
            if not isinstance(exc, OSError):
                raise
            return False
