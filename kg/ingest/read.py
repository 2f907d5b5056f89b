"""Reading one article file: bytes → decoded ``raw`` → cleaned, Simplified ``text`` + metadata.

Does: decode (``kg.ingest.decode``: UTF-8, else GB18030 or Big5); per line,
remove pinyin glosses (``發(fā)``) and flag mojibake, convert Traditional to Simplified (OpenCC
t2s), strip page buttons and collapse whitespace; drop boilerplate lines (``boilerplate.tsv``)
and metadata lines; read title, date, source and author from the header, dateline and byline.
``offsets[i]`` is the index in ``raw`` of the character ``text[i]`` came from: the same
character, its Simplified form, any whitespace for a collapsed space, or the raw newline for a
line break.

Does not: split sentences, segment words, repair mojibake (it is only flagged), or guess a year
that the text does not state.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.ingest.decode import HAN as _HAN, InputError, decode_bytes
from kg.model import Article
from kg.resources import load_table


# ---------------------------------------------------------------- limits
# Line lengths in characters that tell page furniture from the article, set on the seeds' pages.
BODY_LINE_CHARS = 60        # a longer line (or one with a sentence end) is body text, not header or furniture
FURNITURE_MAX_CHARS = 150   # a longer line (or one with two 。) is never dropped as boilerplate
HEADLINE_MIN_HAN = 6        # Chinese characters a headline has at least (shorter is a section name)
RELATED_HEADER_CHARS = 30   # a "related news" header (相关新闻, 推荐阅读) is a short line of its own
LINE_END_DATE_CHARS = 25    # the tail of a line where a listed item's date stands (…2020-05-06)
SUBTITLE_CHARS = 40         # a ——subtitle line under the headline is at most this long
DATELINE_LINES = 3          # first body lines searched for a dateline (新华社北京8月8日电)

# ---------------------------------------------------------------- per-line cleaning

_PY_LETTERS = "a-zA-ZüÜāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PY_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PY_RUN = rf"(?=[{_PY_LETTERS} ]*[{_PY_TONED}])[{_PY_LETTERS}]+(?: [{_PY_LETTERS}]+)*"
# A gloss sits right after a Han character (or a mojibake character); a tone mark is required
# so that real parentheses ((李宇), (PPP), (即…)) are left alone.
_PINYIN = re.compile(rf"(?<=[^\x00-\x7f\s])[(（]{_PY_RUN}[)）]")
# Shifted bytes leave '?' + the tail of a gloss: "担当?shù)膯挝…", "专家?guī)?".
_MOJIBAKE = re.compile(rf"\?{_PY_RUN}[)）]\??")
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC  # imported lazily: only cleaning needs it
    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _rules() -> dict[str, list[tuple[re.Pattern, str]]]:
    rules: dict[str, list[tuple[re.Pattern, str]]] = {"strip": [], "related": [], "drop": []}
    for row in load_table("boilerplate.tsv"):
        kind = row["kind"]
        group = kind if kind in ("strip", "related") else "drop"
        rules[group].append((re.compile(row["pattern"]), kind))
    return rules


def _remove(chars: list[str], idxs: list[int], spans: list[tuple[int, int]]):
    if not spans:
        return chars, idxs
    gone = set()
    for s, e in spans:
        gone.update(range(s, e))
    keep = [i for i in range(len(chars)) if i not in gone]
    return [chars[i] for i in keep], [idxs[i] for i in keep]


def _clean_line(line: str, base: int, flags: set[str]) -> tuple[list[str], list[int]]:
    """One raw line → (chars, raw indices), Simplified, without glosses, page buttons or
    surplus whitespace."""
    chars = [c for c in line if c not in _INVISIBLE]
    idxs = [base + i for i, c in enumerate(line) if c not in _INVISIBLE]
    s = "".join(chars)
    spans = [m.span() for m in _PINYIN.finditer(s)]
    if spans:
        flags.add("pinyin")
    bad = [m.span() for m in _MOJIBAKE.finditer(s)]
    if bad or "\ufffd" in s:
        flags.add("mojibake")
    chars, idxs = _remove(chars, idxs, spans + bad)
    s = "".join(chars)
    conv = _t2s().convert(s)
    if len(conv) != len(s):
        # Rare: a phrase rule changed the length; convert char by char to keep offsets exact.
        one = [_t2s().convert(c) for c in chars]
        conv = "".join(o if len(o) == 1 else c for o, c in zip(one, chars))
    if conv != s:
        flags.add("traditional")
        chars = list(conv)
    s = conv
    chars, idxs = _remove(chars, idxs, [m.span() for rx, _ in _rules()["strip"]
                                        for m in rx.finditer(s) if m.end() > m.start()])
    out_c: list[str] = []
    out_i: list[int] = []
    for c, i in zip(chars, idxs):
        if c.isspace():
            if out_c and out_c[-1] != " ":
                out_c.append(" ")
                out_i.append(i)
        else:
            out_c.append(c)
            out_i.append(i)
    if out_c and out_c[-1] == " ":
        out_c.pop()
        out_i.pop()
    return out_c, out_i


@dataclass
class _Line:
    text: str
    idxs: list[int]
    newline: int          # index of the raw '\n' that ends this line (-1 at end of file)
    keep: bool = True
    kind: str = ""        # why a dropped line was dropped (nav, meta, …)


# ---------------------------------------------------------------- metadata

_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?")
_META_PARTS = [
    re.compile(r"(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)"),
    re.compile(r"(发布|发表|更新|上传|录入|刊发)?(日期|时间)\s*[:：]"),
    re.compile(r"(?:阅读|浏览|点击|访问)(?:次数|量|数|人次)?\s*[:：]\s*\d*\s*次?"),
    re.compile(r"(?:https?://|www\.)[\w./\-?=&%#:~+]+"),
]
_STOP = r"(?=\s|$|[】\]|｜,，;；]|阅读|作者|编辑|发布|时间|日期|点击|浏览|字号|来源)"
_SOURCE = re.compile(rf"(?:来源|稿源|出处)\s*[:：]\s*(?P<v>[^\s】\]|｜,，;；]+?){_STOP}")
_AUTHOR = re.compile(rf"(?:(?:作者|撰稿|撰文)\s*[:：]|作者\s+|^文\s*[/|｜])\s*(?P<v>[^\s】\]|｜,，;；:：]+?){_STOP}")
_REPORTER = re.compile(r"(?:本报|本网|本台)?(?:记者|通讯员)\s*[:：]?\s*(?P<v>[\u4e00-\u9fff·]{2,4})")
_DATELINE = re.compile(
    r"^(?:【[^】]{0,20}】)?\s*(?P<src>[\u4e00-\u9fffA-Za-z]{1,8}?(?:网|社|报|台|新闻))"
    r"(?:讯|[\u4e00-\u9fff]{0,6}?(?:(?P<y>(?:19|20)\d{2})年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})日(?:电|讯))"
    r"\s*(?:[(（](?P<who>[^)）]{1,20})[)）])?")
_BYLINE = re.compile(r"(?:^|[。!?！？”」])\s*[(（](?P<v>[\u4e00-\u9fff]{2,4})[)）]$")
_UNIT = re.compile(r"^[\u4e00-\u9fff]{2,20}(?:部|室|办|局|委|厅|处|科|站|所|中心|组|院|校|队|委员会)$")
_SENTENCE_END = re.compile(r"[。!?！？]")


def credit_line(text: str) -> bool:
    """The text names an author or a source (作者：某县委组织部, 来源：…): a byline or source
    line, not the article's content."""
    return bool(_AUTHOR.search(text) or _SOURCE.search(text))


def _iso(y: str, m: str, d: str) -> str | None:
    yi, mi, di = int(y), int(m), int(d)
    if 1 <= mi <= 12 and 1 <= di <= 31:
        return f"{yi:04d}-{mi:02d}-{di:02d}"
    return None


def _names(who: str) -> str | None:
    who = re.sub(r"(本报|本网|本台)?(记者|通讯员|实习生)", " ", who)
    parts = [p for p in re.split(r"[\s、,，]+", who) if re.fullmatch(r"[\u4e00-\u9fff·]{2,4}", p)]
    return parts[0] if parts else None


def _read_meta(text: str) -> dict | None:
    """Fields of a line that holds only metadata (date, time, 来源, 作者, counters, URLs),
    or None when the line has other content."""
    found: dict = {}
    rest = text
    m = _DATE.search(rest)
    if m:
        found["date"] = _iso(*m.groups())
        rest = rest[:m.start()] + " " + rest[m.end():]
    for key, rx in (("source", _SOURCE), ("author", _AUTHOR)):
        m = rx.search(rest)
        if m:
            found[key] = m.group("v")
            rest = rest[:m.start()] + " " + rest[m.end():]
    m = _REPORTER.search(rest)
    if m:
        found.setdefault("author", m.group("v"))
        rest = rest[:m.start()] + " " + rest[m.end():]
    for rx in _META_PARTS:
        if rx.search(rest):
            found.setdefault("other", True)
            rest = rx.sub(" ", rest)
    if not found or len(_HAN.findall(rest)) > 1:
        return None
    if found.get("source"):
        # "保山日报网-保山日报": a site name, then the paper behind it.
        found["source"] = [p for p in re.split(r"[-—–]", found["source"]) if p][-1]
    return found


def _body_like(text: str) -> bool:
    return len(text) > BODY_LINE_CHARS or bool(_SENTENCE_END.search(text))


def _drop_kind(text: str) -> str | None:
    if len(text) > FURNITURE_MAX_CHARS or text.count("。") > 1:
        return None
    for rx, kind in _rules()["drop"]:
        if rx.search(text):
            return kind
    return None


# ---------------------------------------------------------------- the title

def _headline(ln: _Line) -> bool:
    return ln.keep and len(_HAN.findall(ln.text)) >= HEADLINE_MIN_HAN and not _DATE.search(ln.text)


def _title_line(lines: list[_Line]) -> _Line | None:
    """The page headline among the header lines (those before the first body paragraph).

    Site furniture comes first: a breadcrumb (您的位置:首页>…) stands just above the headline,
    and the date or 来源 line just below it. So the title is the headline line right above the
    first date/来源 line after the last breadcrumb; failing that, the first headline line
    after the breadcrumb that is not a unit name (a masthead such as 某某部); failing that, the
    first kept line of two Han characters or more when the body follows it.
    """
    header: list[_Line] = []
    for ln in lines:
        if ln.keep and _body_like(ln.text):
            break
        header.append(ln)
    body_follows = any(ln.keep for ln in lines[len(header):])
    navs = [i for i, ln in enumerate(header) if ln.kind == "nav"]
    header = header[navs[-1] + 1:] if navs else header
    for i, ln in enumerate(header):
        if ln.kind == "meta" or (ln.keep and len(ln.text) <= BODY_LINE_CHARS and _DATE.search(ln.text)):
            above = [x for x in header[:i] if x.keep]
            if above and _headline(above[-1]):
                return above[-1]
            break
    heads = [ln for ln in header if _headline(ln)]
    good = [ln for ln in heads if not _UNIT.match(ln.text)]
    if good or heads:
        return (good or heads)[0]
    kept = [ln for ln in header if ln.keep]
    if kept and body_follows and len(_HAN.findall(kept[0].text)) >= 2:
        return kept[0]
    return None


# ---------------------------------------------------------------- cleaning an article

def clean_text(raw: str) -> tuple[str, list[int], dict]:
    """Cleaned Simplified text, offsets into ``raw``, and metadata (see module docstring)."""
    flags: set[str] = set()
    lines: list[_Line] = []
    pos = 0
    for part in raw.split("\n"):
        chars, idxs = _clean_line(part, pos, flags)
        pos += len(part) + 1
        if chars:
            lines.append(_Line("".join(chars), idxs, pos - 1 if pos - 1 < len(raw) else -1))
    meta: dict = {"title": None, "date": None, "source": None, "author": None}
    _drop_furniture(lines, meta)
    _read_title(lines, meta)
    kept = [ln for ln in lines if ln.keep]
    _read_dateline_and_byline(kept, meta)

    text_parts: list[str] = []
    offsets: list[int] = []
    prev_nl = -1
    for ln in kept:
        if text_parts:
            text_parts.append("\n")
            offsets.append(prev_nl)
        text_parts.append(ln.text)
        offsets.extend(ln.idxs)
        prev_nl = ln.newline
    meta["dropped_lines"] = len(lines) - len(kept)
    meta["flags"] = sorted(flags)
    return "".join(text_parts), offsets, meta


def _put(meta: dict, key: str, value) -> None:
    """Set a metadata field unless an earlier line already did (the first statement wins)."""
    if value and not meta[key]:
        meta[key] = value


def _drop_furniture(lines: list[_Line], meta: dict) -> None:
    """Mark "related news" lists, boilerplate and metadata lines as dropped, reading the
    metadata lines' date, source and author into ``meta``."""
    in_related = False
    for ln in lines:
        if in_related:
            if _body_like(ln.text) and not _DATE.search(ln.text[-LINE_END_DATE_CHARS:]):
                in_related = False
            else:
                ln.keep = False
                continue
        if len(ln.text) <= RELATED_HEADER_CHARS and any(rx.search(ln.text) for rx, _ in _rules()["related"]):
            in_related, ln.keep = True, False
        elif _drop_kind(ln.text):
            ln.keep, ln.kind = False, _drop_kind(ln.text)
        else:
            fields = _read_meta(ln.text)
            if fields is not None:
                ln.keep, ln.kind = False, "meta"
                for key in ("date", "source", "author"):
                    _put(meta, key, fields.get(key))


def _read_title(lines: list[_Line], meta: dict) -> None:
    """The headline (and a ——subtitle under it) into ``meta``; what stands above it is dropped,
    a unit's name between it and the body is the author."""
    kept = [ln for ln in lines if ln.keep]
    title = _title_line(lines)
    if title is None:
        return
    at = kept.index(title)
    meta["title"] = title.text
    for ln in kept[:at]:
        ln.keep = False
    for ln in kept[at + 1:]:
        if _body_like(ln.text):
            break
        if ln.text.startswith("——") and ln is kept[at + 1] and len(ln.text) <= SUBTITLE_CHARS:
            meta["title"] += ln.text            # a subtitle line under the headline
        elif _UNIT.match(ln.text) and not meta["author"]:
            meta["author"], ln.keep = ln.text, False


def _read_dateline_and_byline(kept: list[_Line], meta: dict) -> None:
    """Source, author and date from a dateline (新华社北京8月8日电) in the first body lines, and
    the author from a byline in parentheses closing the last one."""
    body = kept[1:] if meta["title"] else kept
    lead = kept[:1] if meta["title"] and _DATELINE.match(meta["title"]) else []
    if lead:    # 新华社某地8月8日电 题:…: the dateline opens the title line, the title follows 题:
        meta["title"] = re.sub(r"^.*?(?:电|讯)\s*题\s*[:：]\s*", "", meta["title"])
    for ln in lead + body[:DATELINE_LINES]:
        m = _DATELINE.match(ln.text)
        if m:
            if not m.group("src").startswith("本"):
                _put(meta, "source", m.group("src"))
            if m.group("who"):
                _put(meta, "author", _names(m.group("who")))
            if m.group("y"):
                _put(meta, "date", _iso(m.group("y"), m.group("m"), m.group("d")))
            break
    if body:
        m = _BYLINE.search(body[-1].text)
        if m:
            _put(meta, "author", m.group("v"))


def read_article(path: str | Path, article_id: str | None = None) -> Article:
    """Read, decode and clean one file; raises InputError for anything unreadable."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory, not a file") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    raw, encoding = decode_bytes(data, str(path))
    return article_from_raw(raw, str(path), article_id or p.stem, encoding)


def article_from_raw(raw: str, path: str, article_id: str, encoding: str = "utf-8",
                     meta: dict | None = None, where: str | None = None) -> Article:
    """Clean decoded text into an Article. ``meta`` (title, date, source, author, url), from
    an HTML page's metadata or a JSON record, wins over what cleaning reads from the text."""
    text, offsets, found = clean_text(raw)
    if not _HAN.search(text):
        raise InputError(where or path, "nothing but boilerplate: no article text left after cleaning")
    given = {k: v for k, v in (meta or {}).items() if v}
    pick = {k: given.get(k) or found.get(k) for k in ("title", "date", "source", "author")}
    return Article(id=article_id, path=path, raw=raw, text=text, offsets=offsets,
                   url=given.get("url"), encoding=encoding, dropped_lines=found["dropped_lines"],
                   flags=found["flags"], **pick)
