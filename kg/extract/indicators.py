"""Find reported figures in a sentence: value, unit, what is counted, approximator; and the year.

``find_figures`` scans a sentence for an Arabic number (decimals, thousands separators,
full-width digits) or a Chinese numeral, its numeral multiplier (万, 亿, 千), approximators
(近, 约, 多, 余, 左右 …) and the measure word after it (``kg/data/units.tsv``). It then drops
what is not a reported quantity: dates and time frames, ordinals, numbers in 《》 titles,
per-unit norms (每村…, 每个县…) and ranges (1至2名, and every figure in a clause with a range),
category thresholds (30万元以上的企业, 35岁以下), regulation titles (…建设36条), slogans
(“五个一批”, 四个意识). Chinese numerals are accepted only with a measure word, a value ≥ 2,
outside quotes and before a concrete noun, because in this genre they mostly name slogans.
The counted noun is read by ``kg.extract.counted``: the noun phrase after the figure or, when the
figure closes its phrase, the one before it (公务员152名); a figure right after another one
inherits its noun (23批152人, 58个占62.4%), a figure with none takes the next one's
(64户、209名易地搬迁群众) or a bare default (全村236户 → 农户); a change after a share measures the
share's rise (较上年提高2.6个百分点). Counts of subdivisions with no classifier (下辖六县两区)
are figures too; an individual's age (52岁的某某) and allocation norms (至少增派3名) are not. ``parse_number`` expands one number string;
``find_year`` resolves the year a sentence speaks of.

What this module does not do: map counted nouns to Group labels, resolve regions, or split
articles into sentences. ``百分之三十`` parses to 30 (the percent number; the unit is found
by ``find_figures``). Spans index the sentence as given; ``number_start:number_end`` covers the
approximators written around the number as well.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Iterable

from kg.extract.counted import (after_figure, bare_count, fill_unit, is_bare_default, noun_after, noun_before,
                      verb_before_number, words_of)
from kg.ingest.postag import Tagged
from kg.resources import alternation, load_table, words_of_kind
from kg.extract.limits import DURATION_MAX, RANGE_LEFT_CHARS, SUBDIVISIONS_MAX


@dataclass(frozen=True)
class Figure:
    """One reported figure: its span, value, unit, approximator, the counted noun and where the
    number and the noun stand in the sentence."""
    start: int
    end: int
    text: str
    value: float | int
    unit: str
    counted: str
    counted_start: int
    counted_end: int
    approx: str
    number_start: int
    number_end: int


# Length-preserving normalisation: offsets in the normalised text are offsets in the input.
_WIDE = str.maketrans("０１２３４５６７８９．％，", "0123456789.%，")
_ARABIC = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?"
_CN_CHARS = "零〇一二两三四五六七八九十百千万亿"
_NUM_RE = re.compile(rf"百分之(?P<pct>{_ARABIC}|[{_CN_CHARS}]+)|(?P<ar>{_ARABIC})|(?P<cn>[{_CN_CHARS}]+)")
_PRE_APPROX = words_of_kind("figure_words.tsv", "approx_before")
_POST_APPROX = words_of_kind("figure_words.tsv", "approx_after")
_CLAUSE_END = set("，,；;。：:！？!?\n")
_COMPARATORS = words_of_kind("figure_words.tsv", "comparator")
_TIAO_ITEMS = words_of_kind("figure_words.tsv", "tiao_item")
_RANGE = "(?:至|到|~|～|-|—|－)"
_YEAR_RE = re.compile(r"(\d{4})年(以来|来)?")
_RELATIVE_YEARS = {r["word"]: int(r["value"]) for r in load_table("figure_words.tsv") if r["kind"] == "relative_year"}
_VAGUE_TIME = words_of_kind("figure_words.tsv", "vague_time")
_RELATIVE_YEAR_RES = tuple((re.compile(w), delta) for w, delta in _RELATIVE_YEARS.items())
_VAGUE_TIME_RES = tuple(re.compile(w) for w in _VAGUE_TIME)
_MULTIPLIER = re.compile(r"千万|万亿|万|亿|千")
_ARABIC_NUMBER = re.compile(rf"({_ARABIC})(千万|万亿|万|亿|千)?")


@lru_cache(maxsize=1)
def _units() -> tuple[dict, ...]:
    return tuple(sorted(load_table("units.tsv"), key=lambda r: -len(r["unit"])))


def parse_number(s: str) -> float | int | None:
    """Expand a number string: ``2.4万`` → 24000, ``一千二百`` → 1200, ``1.26亿`` → 126000000,
    ``40多万`` → 400000, ``百分之三十`` → 30. Approximators are dropped. None if not a number.

    >>> parse_number("2.4万"), parse_number("一千二百"), parse_number("1.26亿")
    (24000, 1200, 126000000)
    >>> parse_number("40多万"), parse_number("百分之三十"), parse_number("约３５"), parse_number("12,500")
    (400000, 30, 35, 12500)
    >>> parse_number("若干") is None
    True
    """
    s = s.translate(_WIDE).strip()
    if s.startswith("百分之"):
        s = s[3:]
    for a in _PRE_APPROX:
        if s.startswith(a):
            s = s[len(a):]
    s = s.replace("多", "").replace("余", "")
    m = _ARABIC_NUMBER.fullmatch(s)
    if m:
        d = Decimal(m.group(1).replace(",", ""))
        for ch in m.group(2) or "":
            d *= {"千": 1000, "万": 10000, "亿": 100000000}[ch]
        return _as_number(d)
    if s and all(c in _CN_CHARS for c in s):
        if s[0] in "百千万亿":
            s = "一" + s   # cn2an rejects a bare leading multiplier (百 → 一百)
        import cn2an     # here, not at the top: importing it takes a third of a second

        try:
            return _as_number(Decimal(str(cn2an.cn2an(s, "smart"))))
        except (ValueError, KeyError, TypeError):
            return None
    return None


def _as_number(d: Decimal) -> float | int:
    return int(d) if d == d.to_integral_value() else float(d)


@dataclass
class _Cand:
    num_start: int
    num_end: int         # end of number + unit + approximators
    value: float | int
    unit: str
    kind: str
    approx: str
    chinese: bool
    post: str            # post approximator (以上, 左右 …)


@lru_cache(maxsize=1)
def _units_by_first_char() -> dict[str, tuple[dict, ...]]:
    out: dict[str, list[dict]] = {}
    for row in _units():               # longest first, kept within each first character
        out.setdefault(row["unit"][0], []).append(row)
    return {ch: tuple(rows) for ch, rows in out.items()}


def _match_unit(text: str, i: int) -> dict | None:
    for row in _units_by_first_char().get(text[i:i + 1], ()):
        if text.startswith(row["unit"], i):
            return row
    return None


def _scan(text: str) -> list[_Cand]:
    out: list[_Cand] = []
    pos = 0
    while True:
        m = _NUM_RE.search(text, pos)
        if not m:
            return out
        pos = m.end()
        s = m.start()
        if s and (text[s - 1].isascii() and text[s - 1].isalnum() or text[s - 1] in ".-+/"):
            continue  # part of a code, URL, phone number or formula
        if m.group("pct"):
            value = parse_number(m.group("pct"))
            if value is not None:
                out.append(_Cand(s, m.end(), value, "%", "percent", "", not m.group("pct")[0].isdigit(), ""))
            continue
        chinese = m.group("cn") is not None
        raw = m.group(0)
        j = m.end()
        approx, mult = "", ""
        # Arabic: 40多万名 / 2.4万名 / 1.26亿元: approximator and multiplier after the digits.
        if j < len(text) and text[j] in "多余":
            approx, j = text[j], j + 1
        unit = _match_unit(text, j)
        if unit is None and not chinese:
            mm = _MULTIPLIER.match(text, j)
            if mm:
                mult, j = mm.group(0), j + len(mm.group(0))
                if j < len(text) and text[j] in "多余" and not approx:
                    approx, j = text[j], j + 1
                unit = _match_unit(text, j)
        if unit is None and chinese:
            continue     # a Chinese numeral without a measure word is not a figure (一线, 三会一课)
        value = parse_number(raw + mult)
        if value is None:
            continue
        for a in _PRE_APPROX:
            if text.endswith(a, 0, s):
                approx, s = a + approx, s - len(a)
                break
        if unit is None:
            if not chinese:
                out.append(_Cand(s, j, value, "", "", approx, chinese, ""))
            continue
        j += len(unit["unit"])
        value = _as_number(Decimal(str(value)) * Decimal(unit["multiplier"] or "1"))
        post = next((p for p in _POST_APPROX if text.startswith(p, j)), "")
        j += len(post)
        approx += post
        out.append(_Cand(s, j, value, unit["norm"], unit["kind"], approx, chinese, post))
        pos = max(pos, j)


def _clause_bounds(text: str, i: int, j: int) -> tuple[int, int]:
    a = i
    while a > 0 and text[a - 1] not in _CLAUSE_END:
        a -= 1
    b = j
    while b < len(text) and text[b] not in _CLAUSE_END:
        b += 1
    return a, b


def _inside(text: str, i: int, open_: str, close: str) -> bool:
    before = text[:i]
    return before.count(open_) > before.count(close)


def _dropped(text: str, c: _Cand, cl_start: int, cl_end: int) -> bool:
    before, after = text[cl_start:c.num_start], text[c.num_end:cl_end]
    if _inside(text, c.num_start, "《", "》") or before.endswith("第"):
        return True
    if c.kind == "duration" and not re.search("(提前|提早|缩短|延长)$", before):
        if c.chinese or c.value >= DURATION_MAX or (after and after[0] not in "”’）)的"):
            return True
        if re.search(r"(近|前|后|这|连续|今后|未来|过去|最近|每|之)$", before):
            return True
    if re.search(r"每(?![年月天日周季届])", before) and not (c.kind == "money" and re.search("每[户人]", before)):
        return True   # 每村不少于3人 is a norm; 每户增收1300元 a reported average
    if c.kind == "count" and re.search(r"(至少|不少于|不低于)\S{0,3}$", before):
        return True   # 至少增派3名队员: an allocation norm
    if c.kind in ("money", "age", "percent"):
        if c.post in ("以上", "以下", "以内", "及以上", "及以下") and (
                c.kind != "percent" or re.match("的(?!目标|任务|要求|水平)", after)):
            return True
        if after.startswith("的") and (before.endswith(_COMPARATORS) or c.approx.startswith(_COMPARATORS)):
            return True
    if c.chinese:
        if c.value < 2 or _inside(text, c.num_start, "“", "”") or re.search("[这那前后每各头首]$", before):
            return True
        if after[:1] and after[0] in _CN_CHARS or before.endswith("届") or after.startswith(("全会", "会议")):
            return True  # 五个一批; 十届六次全会
        phrase = text[c.num_start:c.num_end + 2]
        if f"“{phrase}" in text:
            return True
    return False


_RANGE_NUM = rf"(?:\d|[{_CN_CHARS}])"
_RANGE_BEFORE = re.compile(rf"{_RANGE_NUM}\S{{0,2}}{_RANGE}$")
_RANGE_AFTER = re.compile(rf"{_RANGE}{_RANGE_NUM}")


def _is_range_end(text: str, c: _Cand) -> bool:
    left = text[max(0, c.num_start - RANGE_LEFT_CHARS):c.num_start]
    right = text[c.num_end:c.num_end + 2]
    return bool(_RANGE_BEFORE.search(left) or _RANGE_AFTER.match(right))


def find_figures(sentence: str, tokens: Iterable[tuple[int, int]] | None = None) -> list[Figure]:
    """Every reported figure in ``sentence``, in text order (see the module docstring).
    ``tokens`` are the sentence's token spans if it was segmented already."""
    text = sentence.translate(_WIDE)
    tagged = Tagged(text, tokens)
    cands = _scan(text)
    ranged_clauses = set()
    for c in cands:
        if c.kind not in ("duration", "") and _is_range_end(text, c):
            ranged_clauses.add(_clause_bounds(text, c.num_start, c.num_end))
    figures: list[Figure] = []
    for n, c in enumerate(cands):
        cl_start, cl_end = _clause_bounds(text, c.num_start, c.num_end)
        if (cl_start, cl_end) in ranged_clauses or _dropped(text, c, cl_start, cl_end):
            continue
        if not c.unit:
            counted, ca, cb = noun_after(tagged, c.num_end, cl_end)
            unit = fill_unit(counted) if c.value >= 2 else ""
            if not unit or counted[:1] in _CN_CHARS:
                continue
            c.unit, c.kind = unit, "count"
        counted, ca, cb = _counted(tagged, c, cands[n + 1] if n + 1 < len(cands) else None, figures[-1] if figures else None,
                                   cl_start, cl_end)
        if c.kind == "age" and ca > c.num_start and not fill_unit(counted):
            continue  # 46岁的某某: one person's age, not a reported figure
        if c.chinese and (not counted or any(counted.endswith(w) for w in words_of("abstract"))):
            continue
        if c.unit == "条" and not c.approx and not (counted.endswith(_TIAO_ITEMS) or ca > c.num_start):
            continue  # 《…》-less regulation titles: 加强村级组织建设36条
        if c.kind in ("money", "age") and (text[cl_start:c.num_start].endswith(_COMPARATORS)
                                           or c.approx.startswith(_COMPARATORS)) \
                and any(f.number_end >= cl_start for f in figures):
            continue  # 50.6%的村集体经济超过4万元: the amount defines the category
        start = min(c.num_start, ca) if ca >= 0 else c.num_start
        end = max(c.num_end, cb) if cb >= 0 else c.num_end
        if end < len(text) and text[end] == "”" and _inside(text, end, "“", "”"):
            end += 1
        figures.append(Figure(start, end, sentence[start:end], c.value, c.unit, counted, ca, cb,
                              c.approx, c.num_start, c.num_end))
    return sorted(figures + _subdivisions(text, sentence), key=lambda f: f.number_start)


_GAP = re.compile(alternation("figure_words.tsv", "gap"))


def _counted(tagged: Tagged, c: _Cand, nxt: _Cand | None, prev: Figure | None,
             cl_start: int, cl_end: int) -> tuple[str, int, int]:
    """What candidate ``c`` counts, and the span of that noun when it is written there."""
    text = tagged.text
    counted, ca, cb = ("", -1, -1)
    if c.kind not in ("percent", "duration", "age") or text.startswith("的", c.num_end):
        counted, ca, cb = noun_after(tagged, c.num_end, cl_end)
        refined = after_figure(tagged, counted, cb, cl_end) if counted and c.kind == "count" else None
        if refined:
            counted, ca, cb = refined[0], refined[1] if refined[1] >= 0 else ca, \
                refined[2] if refined[1] >= 0 else cb
        elif counted and c.kind != "count":
            counted = verb_before_number(tagged, cl_start, c.num_start, counted)
    after_prev = prev is not None and prev.number_end >= cl_start \
        and not (is_bare_default(prev.counted) and prev.unit != c.unit)   # 120户、480人
    gap = text[prev.number_end:c.num_start] if after_prev else None
    if gap == "":
        return prev.counted, -1, -1   # 23批152人: both count the same noun
    if counted:
        return counted, ca, cb
    if gap is not None and _GAP.fullmatch(gap):
        return prev.counted, -1, -1   # 由187支增加到225支; 58个占62.4%
    if prev is not None and prev.counted and re.fullmatch("(仅|约)?占(比)?", text[cl_start:c.num_start]):
        return prev.counted, -1, -1   # 27个，占64.3%: the share of what the figure before counts
    change = _change(text, c, prev, cl_start)
    if change:
        return change, -1, -1
    left = max(cl_start, prev.end) if after_prev else cl_start
    counted, ca, cb = noun_before(tagged, left, c.num_start, c.kind == "percent")
    if not counted and nxt and re.fullmatch(r"[、和及与]共?", text[c.num_end:nxt.num_start]) and nxt.unit:
        # 64户、209名易地搬迁群众; 三批、共27名工作队员: the next figure names the noun
        counted = noun_after(tagged, nxt.num_end, _clause_bounds(text, nxt.num_start, nxt.num_end)[1])[0]
    if not counted:
        counted = bare_count(c.unit, text[c.num_end:cl_end])
    return counted, ca, cb


def _change(text: str, c: _Cand, prev: Figure | None, cl_start: int) -> str:
    """较上年提高2.6个百分点 after a share (占62.4%) measures the share's rise; 比上年增长46.2%
    the growth rate of what the figure before measures."""
    before = text[cl_start:c.num_start]
    if prev is None or not prev.counted or not re.match(r"(?:比|较|同比)", before):
        return ""
    if c.unit == "百分点":
        if text[max(0, prev.number_start - 2):prev.number_start].endswith(("占", "占比")):
            return prev.counted + "占比" + ("降幅" if re.search("下降|减少|降低", before) else "增幅")
        return prev.counted
    if c.unit == "%" and re.search("增长|增加|提高", before):
        return prev.counted + "增长率"
    return ""


_SUBDIVISION = re.compile(rf"([{_CN_CHARS}]+|\d+)([县区市乡镇旗村])(?:\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{{1,6}}\))?[、和及]?")


def _subdivisions(text: str, sentence: str) -> list[Figure]:
    """下辖六县两区 → 6 下辖县, 2 下辖区: counts of subdivisions written with no classifier."""
    out = []
    for lead in re.finditer("所辖|下辖", text):
        pos = lead.end()
        while m := _SUBDIVISION.match(text, pos):
            value = parse_number(m.group(1))
            if value is None or value > SUBDIVISIONS_MAX:
                break
            noun = lead.group(0) + m.group(2)
            out.append(Figure(m.start(), m.end(2), sentence[m.start():m.end(2)], value, "个", noun,
                              -1, -1, "", m.start(), m.end(2)))
            pos = m.end()
    return out


def find_year(sentence: str, paragraph_start: str = "", publication_year: int | None = None) -> int | None:
    """The year ``sentence`` speaks of: the last time expression in it wins (pass
    ``sentence[:figure.end]`` for a per-figure year). An explicit year (截至2018年底 → 2018),
    今年/去年/前年 from ``publication_year``; "X年以来", 近年来, 目前 give None. With no time
    expression, the year that opens the last sentence of ``paragraph_start`` (the paragraph up
    to the sentence, or just its opening) starting with one (2019年，…) applies.

    >>> find_year("截至2018年底，全县共有贫困户120户")
    2018
    >>> find_year("去年新修道路12公里", publication_year=2020)
    2019
    >>> find_year("新修道路5公里", paragraph_start="2019年，全乡")
    2019
    >>> find_year("2016年以来累计投入资金800万元") is None
    True
    """
    text = sentence.translate(_WIDE)
    marks: list[tuple[int, int | None]] = []
    for m in _YEAR_RE.finditer(text):
        if not _inside(text, m.start(), "《", "》") and not (m.start() and text[m.start() - 1].isdigit()):
            marks.append((m.start(), None if m.group(2) else int(m.group(1))))
    for word, delta in _RELATIVE_YEAR_RES:
        for m in word.finditer(text):
            marks.append((m.start(), publication_year + delta if publication_year else None))
    for word in _VAGUE_TIME_RES:
        for m in word.finditer(text):
            marks.append((m.start(), None))
    if marks:
        return max(marks, key=lambda t: t[0])[1]
    opening = re.findall(r"(?:^|[。！？；!?;])\s*(?:截至|截止)?(\d{4})年(以来|来)?", paragraph_start.translate(_WIDE))
    if opening and not opening[-1][1]:
        return int(opening[-1][0])
    return None
