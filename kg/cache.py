"""A cache of per-article results, so that rebuilding a grown corpus only reads what is new.

An entry is keyed by the SHA-256 of the extractor version and the article's unit (its id, file
name and bytes, see ``kg.inputs.Unit.key``) and holds the article's ``Extraction`` (or the
reason it was skipped) as zlib-compressed JSON (``kg.serial``: data, never code; an entry that
is not one of its schema, or not of the article, is a miss and is recomputed). The extractor
version is a hash of every file of the ``kg`` package (code and data) and of the versions of
jieba, OpenCC and trafilatura, so any change to the rules makes old entries unreachable rather
than wrong.

Where: ``$KG_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/kg``, else ``~/.cache/kg``; entries
sit under ``extractions/<2 hex>/<key>``. Deleting the folder is always safe. ``kg build
--no-cache`` neither reads nor writes it. Entries are written to a temporary file and renamed,
so an interrupted build never leaves a half entry; an unreadable entry counts as a miss.

``cached_resource`` keeps built resources (the gazetteer's tables, jieba's dictionary and tags)
under ``resources/`` as JSON, keyed by the extractor version.

Does not: expire or prune entries (an entry of an old version is never read again; delete the
folder to reclaim the space).
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from . import serial

PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """Hash of the kg package's files and of the libraries whose output the extraction uses."""
    h = hashlib.sha256()
    for f in sorted(PACKAGE.rglob("*")):
        if f.is_file() and "__pycache__" not in f.parts and f.suffix not in (".pyc", ".pyo"):
            h.update(str(f.relative_to(PACKAGE)).encode("utf-8") + b"\0")
            h.update(f.read_bytes())
    for lib in ("jieba", "opencc", "trafilatura", "lxml"):
        try:
            h.update(f"{lib}={metadata.version(lib)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{lib}=none".encode())
    return h.hexdigest()[:16]


def default_dir() -> Path:
    """Where the cache lives: ``$KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/kg``, else ``~/.cache/kg``."""
    if os.environ.get("KG_CACHE_DIR"):
        return Path(os.environ["KG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "kg"


def cached_resource(name: str, build, to_data=None, from_data=None):
    """``build()``, or what ``from_data`` makes of its JSON in ``resources/`` in the cache folder
    when one was written by this extractor version (building the gazetteer's tables takes
    longer than loading them). ``to_data`` turns the value into JSON data (lists, dicts,
    strings, numbers), ``from_data`` back, raising ValueError (or TypeError, KeyError,
    IndexError) on data of another shape: such a file, or one that is not JSON, is rebuilt.
    JSON, not pickle: whoever can write the cache folder can give wrong data, never code.
    The extraction cache's ``--no-cache`` does not apply: this holds no article's data."""
    to_data = to_data or (lambda v: v)
    from_data = from_data or (lambda v: v)
    path = default_dir() / "resources" / f"{name}-{extractor_version()}.json"
    try:
        return from_data(json.loads(path.read_bytes().decode("utf-8")))
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
        pass
    value = build()
    try:
        from .files import write_atomic

        write_atomic(path, json.dumps(to_data(value), ensure_ascii=False, separators=(",", ":")))
    except OSError:
        pass              # a read-only cache folder only costs the build next time
    return value


def table_out(table: dict) -> list:
    """A table of words (no line breaks in them) to ints or strings as JSON data: the keys
    joined by line breaks, then the values; loads as fast as a pickle of the dict."""
    return ["\n".join(table), list(table.values())]


def table_in(data, kind=int) -> dict:
    """The table ``table_out`` wrote, checked: ValueError unless keys and ``kind`` values pair up."""
    keys, values = data
    if not isinstance(keys, str) or not isinstance(values, list):
        raise ValueError("expected [keys, values]")
    keys = keys.split("\n") if keys else []
    if len(keys) != len(values) or not set(map(type, values)) <= {kind}:
        raise ValueError(f"expected as many {kind.__name__} values as keys")
    return dict(zip(keys, values))


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

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / key

    def get(self, key: str, article_id: str | None = None):
        """(kind, value) of the entry, or None (a miss) when there is none or it is not an
        entry of this schema (and of ``article_id``): truncated, not JSON, of another shape."""
        try:
            entry = unpack(self._path(key).read_bytes(), article_id)
        except (OSError, serial.BadEntry):       # absent or bad: recompute (and overwrite)
            self.stats["misses"] += 1
            return None
        self.stats["hits"] += 1
        return entry

    def put(self, key: str, blob: bytes) -> None:
        """Store packed bytes; a cache that cannot be written is not an error of the build."""
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
            os.replace(tmp, path)
            self.stats["writes"] += 1
        except BaseException as exc:
            if os.path.exists(tmp):
                os.unlink(tmp)
            if not isinstance(exc, OSError):
                raise
