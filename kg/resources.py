"""Loading the domain knowledge that lives in data files under ``kg/data/``.

Each data file is UTF-8 TSV with a header row; lines starting with ``#`` are comments, and the
first comments name the file's source. Files are read once per process (``lru_cache``) and
returned as tuples of dicts, so callers cannot modify the shared copy by accident.

``cached_resource`` keeps what is built from them (the gazetteer's tables, jieba's dictionary
and tags) as JSON under ``resources/`` in kg's cache folder (``default_dir``), keyed by the
extractor version (``extractor_version``: a hash of the kg package and of the libraries whose
output the extraction uses); the extraction cache (``kg.cache``) keys its entries by it too.

What this module does not do: interpret the tables; each stage knows what its table means.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import re
from functools import lru_cache
from importlib import metadata
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
DATA_DIR = PACKAGE / "data"


def data_path(name: str) -> Path:
    """The path of ``name`` under kg's data directory (``kg/data/``)."""
    return DATA_DIR / name


@lru_cache(maxsize=None)
def load_table(name: str) -> tuple[dict, ...]:
    """Rows of ``kg/data/<name>`` (TSV with header, ``#`` comments) as dicts of str."""
    path = data_path(name)
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.lstrip().startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return tuple({k: (v or "").strip() for k, v in row.items()} for row in reader)


@lru_cache(maxsize=None)
def load_lines(name: str) -> tuple[str, ...]:
    """Non-empty, non-comment lines of ``kg/data/<name>``, stripped."""
    with data_path(name).open(encoding="utf-8") as fh:
        return tuple(ln.strip() for ln in fh if ln.strip() and not ln.lstrip().startswith("#"))


@lru_cache(maxsize=None)
def words_of_kind(name: str, kind: str, column: str = "word") -> tuple[str, ...]:
    """The ``column`` cells of the rows of ``kg/data/<name>`` whose ``kind`` is ``kind``, in
    table order (the order matters where the first match wins). KeyError for a kind with no
    rows: a misspelt kind must not quietly match nothing."""
    out = tuple(r[column] for r in load_table(name) if r["kind"] == kind)
    if not out:
        raise KeyError(f"{name}: no rows of kind {kind!r}")
    return out


def alternation(name: str, kind: str) -> str:
    """The words of ``kind`` in ``kg/data/<name>`` as a regex alternation, escaped, in table
    order (a regex tries them in that order: 制定出台 before 制定)."""
    return "|".join(map(re.escape, words_of_kind(name, kind)))


@lru_cache(maxsize=None)
def char_class(kind: str) -> frozenset[str]:
    """The characters of class ``kind`` in ``char_classes.tsv`` (one-character function words
    and the like, written there as one run: 的了在是)."""
    return frozenset("".join(words_of_kind("char_classes.tsv", kind, "chars")))


def split_list(cell: str) -> list[str]:
    """A table cell holding several values separated by ``|``.

    >>> split_list(" 村委 | 村委会 ||")
    ['村委', '村委会']
    """
    return [x.strip() for x in cell.split("|") if x.strip()]


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
    """kg's cache folder: ``$KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/kg``, else ``~/.cache/kg``."""
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
        from kg.files import write_atomic

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
