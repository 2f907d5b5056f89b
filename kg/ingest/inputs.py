"""Input files as users have them → units of work (one article each) → Articles.

Does: list the files under the given paths (``.txt``, ``.html``/``.htm``, ``.jsonl``, and
folders mixing them), refuse a file or JSON line over the size limit before reading it, split a
``.jsonl`` file into one unit per line (``text`` required; ``title``, ``date``, ``url``,
``source``, ``author``, ``id`` used when present; an invalid line is skipped as ``file:line``),
give every unit an article id (a repeated id is skipped, naming where it was first used: the
first in sorted file and line order wins, so two articles never share an IRI), and turn a unit
into an ``Article``: ``.txt`` through ``kg.ingest.read``, ``.html`` through trafilatura (main text and metadata; the
article's offsets then point into the text trafilatura took from the page, not into the HTML).

Does not: extract anything, cache anything (``kg.cache``) or decide exit codes (``cli.py``).
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import quote

from kg.model import Article, Skipped, Unit
from kg.ingest.decode import InputError, check_text, decode_bytes
from kg.ingest.read import article_from_raw

INPUT_SUFFIXES = (".txt", ".html", ".htm", ".jsonl")
DEFAULT_MAX_MB = 10.0          # per article: a .txt/.html file or one .jsonl line
MIN_HTML_HAN = 10              # Chinese characters an HTML page's main text needs to be an article
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def list_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[Skipped]]:
    """Files to read, sorted; paths that are neither an input file nor a folder are skipped."""
    files, skipped = set(), []
    for p in map(Path, paths):
        if p.is_dir():
            files.update(_files_in(p))
        elif p.is_file() and p.suffix.lower() in INPUT_SUFFIXES:
            files.add(p)
        elif p.exists():
            skipped.append(Skipped(str(p), f"not a {'/'.join(INPUT_SUFFIXES)} file"))
        else:
            skipped.append(Skipped(str(p), "no such file or folder"))
    return sorted(files, key=lambda f: (str(f), f.name)), skipped


def _files_in(folder: Path) -> Iterator[Path]:
    """The input files under ``folder``, at any depth, none hidden or under a hidden folder
    (relative to it); symlinks to files followed, to folders not (as ``Path.rglob`` does). By
    ``os.walk``: at 10,000 files ``rglob`` and a ``Path`` per entry took 0.5 s."""
    for top, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in INPUT_SUFFIXES:
                path = os.path.join(top, name)
                if os.path.isfile(path):
                    yield Path(path)


def _too_large(size: int, max_mb: float) -> str:
    shown = f"{size / 2**20:.1f} MB" if size >= 2**20 // 10 else f"{size / 1024:.1f} KB"
    return f"too large: {shown}, over the {max_mb:g} MB limit per article (--max-size)"


def units_of(files: list[Path], max_mb: float = DEFAULT_MAX_MB) -> tuple[list[Unit], list[Skipped]]:
    """Units of the files, in file then line order, with unique ids; and the skips (a unit whose
    id an earlier one already has is one of them: never two articles on one IRI). A unit does
    not hold its bytes yet, only where they are (``load_unit`` reads them), so the list costs
    memory by the article, not by the corpus's bytes."""
    max_bytes = int(max_mb * 2**20)
    skipped: list[Skipped] = []
    first: dict[str, str] = {}          # article id → where it was first given
    units = []
    for unit in _units_in(files, max_bytes, max_mb, skipped):     # files sorted, lines in order: the first wins
        if unit.id in first:
            skipped.append(Skipped(unit.where, f'article id "{unit.id}" already used by {first[unit.id]}'))
            continue
        first[unit.id] = unit.where
        units.append(unit)
    return units, skipped


def _units_in(files: list[Path], max_bytes: int, max_mb: float, skipped: list[Skipped]):
    """Each file's units (bytes not read), in order; what is too large or invalid to ``skipped``."""
    for f in files:
        kind = "jsonl" if f.suffix.lower() == ".jsonl" else "html" if f.suffix.lower() in (".html", ".htm") else "txt"
        try:
            if kind != "jsonl":
                size = f.stat().st_size
                if size > max_bytes:
                    skipped.append(Skipped(str(f), _too_large(size, max_mb)))
                else:
                    yield Unit(str(f), 0, kind, b"", f.stem, 0, -1)
                continue
            with f.open("rb") as fh:
                offset = 0
                for n, line in enumerate(fh, 1):
                    start, offset = offset, offset + len(line)
                    if len(line) > max_bytes:
                        skipped.append(Skipped(f"{f}:{n}", _too_large(len(line), max_mb)))
                    elif line.strip():
                        rec, why = _parse_line(line)
                        if why:
                            skipped.append(Skipped(f"{f}:{n}", why))
                            continue
                        given = rec.get("id")
                        aid = str(given).strip() if isinstance(given, (str, int)) and str(given).strip() \
                            else f"{f.stem}-{n}"
                        yield Unit(str(f), n, kind, b"", aid, start, len(line.rstrip(b"\r\n")))
        except OSError as exc:
            skipped.append(Skipped(str(f), f"cannot read: {exc.strerror or exc}"))


def load_unit(unit: Unit) -> Unit:
    """The unit with its bytes (read from its file now, if ``units_of`` listed it without them);
    InputError naming the file when it cannot be read any more."""
    if unit.offset < 0:
        return unit
    try:
        with open(unit.path, "rb") as fh:
            fh.seek(unit.offset)
            data = fh.read() if unit.size < 0 else fh.read(unit.size)
    except OSError as exc:
        raise InputError(unit.where, f"cannot read: {exc.strerror or exc}") from None
    if unit.size >= 0 and len(data) != unit.size:
        raise InputError(unit.where, "cannot read: the file changed while it was being built")
    return Unit(unit.path, unit.line, unit.kind, data, unit.id)


def _parse_line(line: bytes) -> tuple[dict, str]:
    try:
        rec = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError:
        return {}, "invalid JSON line: not UTF-8"
    except json.JSONDecodeError as exc:
        return {}, f"invalid JSON line: {exc.msg} at column {exc.colno}"
    if not isinstance(rec, dict):
        return {}, f"invalid JSON line: a {type(rec).__name__}, not an object"
    if not isinstance(rec.get("text"), str):
        return {}, 'invalid JSON line: no "text" string'
    return rec, ""


# ---------------------------------------------------------------- units → articles

_ISO = re.compile(r"^((?:19|20)\d{2})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2}))?)?")


def clean_date(value) -> str | None:
    """``2020-05-01``, ``2020/5/1``, ``2020年5月1日``, ``2020-05``, ``2020`` (or an ISO
    timestamp) → ISO date, year-month or year; anything else → None."""
    m = _ISO.match(value.strip()) if isinstance(value, str) else None
    if not m:
        return None
    y, mo, d = m.groups()
    if mo and not 1 <= int(mo) <= 12 or d and not 1 <= int(d) <= 31:
        return None
    return "-".join([y] + [f"{int(x):02d}" for x in (mo, d) if x])


def clean_url(value) -> str | None:
    """An http(s) URL as a valid IRI (unsafe characters percent-encoded), else None."""
    if not isinstance(value, str) or not re.match(r"^https?://[^\s/]", value.strip()):
        return None
    return quote(value.strip(), safe=":/?#[]@!$&'()*+,;=%~-._")


def _text(value) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def read_unit(unit: Unit) -> Article:
    """The Article of a unit (its bytes read first if they are not yet: ``load_unit``); raises
    InputError naming the file (or file:line) and the reason."""
    unit = load_unit(unit)
    if unit.kind == "txt":
        raw, encoding = decode_bytes(unit.data, unit.where)
        return article_from_raw(raw, unit.path, unit.id, encoding)
    if unit.kind == "html":
        return _read_html(unit)
    rec = json.loads(unit.data.decode("utf-8"))
    raw = rec["text"].replace("\r\n", "\n").replace("\r", "\n")
    check_text(raw, unit.where)
    meta = {"title": _text(rec.get("title")), "date": clean_date(rec.get("date")),
            "source": _text(rec.get("source")), "author": _text(rec.get("author")),
            "url": clean_url(rec.get("url"))}
    return article_from_raw(raw, unit.path, unit.id, "utf-8", meta, unit.where)


def _read_html(unit: Unit) -> Article:
    import trafilatura   # imported lazily: only HTML input needs it (and it takes 0.2 s)

    page, encoding = decode_bytes(unit.data, unit.where)
    doc = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False,
                                      include_tables=True, deduplicate=False)
    text = (doc.text if doc is not None else "") or ""
    if len(_HAN.findall(text)) < MIN_HTML_HAN:     # a lone menu word is what a page without body gives
        raise InputError(unit.where, "HTML with no main text (no body, or navigation and boilerplate only)")
    check_text(text, unit.where)
    sitename = _text(doc.sitename)
    meta = {"title": _text(doc.title), "date": clean_date(doc.date), "author": _text(doc.author),
            "source": sitename if sitename and sitename != doc.hostname else None,
            "url": clean_url(doc.url)}
    return article_from_raw(text, unit.path, unit.id, encoding, meta, unit.where)
