"""Loading the domain knowledge that lives in data files under ``kg/data/``.

Each data file is UTF-8 TSV with a header row; lines starting with ``#`` are comments, and the
first comments name the file's source. Files are read once per process (``lru_cache``) and
returned as tuples of dicts, so callers cannot modify the shared copy by accident.

What this module does not do: interpret the tables; each stage knows what its table means.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


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


def split_list(cell: str) -> list[str]:
    """A table cell holding several values separated by ``|``.

    >>> split_list(" 村委 | 村委会 ||")
    ['村委', '村委会']
    """
    return [x.strip() for x in cell.split("|") if x.strip()]
