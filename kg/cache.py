"""A cache of per-article results, so that rebuilding a grown corpus only reads what is new.

An entry is keyed by the SHA-256 of the extractor version and the article's unit (its id, file
name and bytes, see ``kg.inputs.Unit.key``) and holds the article's ``Extraction`` (or the
reason it was skipped), pickled and zlib-compressed. The extractor version is a hash of every
file of the ``kg`` package (code and data) and of the versions of jieba, OpenCC and trafilatura,
so any change to the rules makes old entries unreachable rather than wrong.

Where: ``$KG_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/kg``, else ``~/.cache/kg``; entries
sit under ``extractions/<2 hex>/<key>``. Deleting the folder is always safe. ``kg build
--no-cache`` neither reads nor writes it. Entries are written to a temporary file and renamed,
so an interrupted build never leaves a half entry; an unreadable entry counts as a miss.

``cached_resource`` keeps built resources (the gazetteer's tables) under ``resources/`` the
same way, keyed by the extractor version.

Does not: expire or prune entries (an entry of an old version is never read again; delete the
folder to reclaim the space).
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import zlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

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
    if os.environ.get("KG_CACHE_DIR"):
        return Path(os.environ["KG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "kg"


def cached_resource(name: str, build):
    """``build()``, or its pickle from ``resources/`` in the cache folder when one was made by
    this extractor version (building the gazetteer's tables takes longer than loading them).
    The extraction cache's ``--no-cache`` does not apply: this holds no article's data."""
    path = default_dir() / "resources" / f"{name}-{extractor_version()}.pickle"
    try:
        return pickle.loads(path.read_bytes())
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError):
        pass
    value = build()
    try:
        from .files import write_atomic

        write_atomic(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass              # a read-only cache folder only costs the build next time
    return value


def pack(kind: str, value) -> bytes:
    """An entry's bytes: ``kind`` is "ok" (value an Extraction) or "skip" (value a reason)."""
    return zlib.compress(pickle.dumps((kind, value), protocol=pickle.HIGHEST_PROTOCOL), 1)


def unpack(blob: bytes):
    return pickle.loads(zlib.decompress(blob))


class Cache:
    """Entries under ``root``; counts hits, misses and writes in ``stats``."""

    def __init__(self, root: str | Path | None = None):
        self.root = Path(root) if root is not None else default_dir()
        self.dir = self.root / "extractions"
        self.stats = {"hits": 0, "misses": 0, "writes": 0}

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / key

    def get(self, key: str):
        """(kind, value) of the entry, or None (a miss) when there is none or it is unreadable."""
        try:
            entry = unpack(self._path(key).read_bytes())
        except Exception:       # absent, truncated or from an incompatible version: recompute
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
