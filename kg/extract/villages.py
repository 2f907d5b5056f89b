"""Villages: named villages (X村, X社区, X嘎查) found by the grammar of Chinese place names.

A village name is a proper name of two to four characters just before its suffix. It starts
after a boundary: a division named right before it (某某镇某某村 → township + village), a
punctuation mark, or a word boundary whose next word is not a verb or function word (帮助|石门村
gives 石门村, not 帮助石门村). The word that ends at the suffix must not be a general term of
``village_terms.tsv`` (贫困村, 全村, 驻村 …), and what follows must not make it a 村民小组. When
the name covers a division's name (a village called 大同村 holds 大同), the village wins: the
caller drops those inner gazetteer matches.

A village is partOf the division named right before it (or before the same name elsewhere in
the article), else the most specific township or county named earlier in its sentence, else
the article's home region. Villages have no official code, so their identity is the name
scoped by their county (``Village.ident``): namesakes in two counties stay two nodes.

What this module does not do: decide the article's home region (context.py) or make mentions
(regions.py).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate

from kg.ingest.postag import word_tags
from kg.ingest.gazetteer_cache import gazetteer
from kg.model import Division, RegionMatch, Village
from kg.resources import char_class, load_table, words_of_kind
from kg.extract.limits import NAME_MAX, NAME_MIN, QUOTE_SPAN

SUFFIXES = words_of_kind("name_edge_words.tsv", "village_suffix")
NOT_IN_NAME = char_class("village_break")   # grammar words, classifiers, division suffixes
NOT_NAME_START = {"v", "p", "c", "u", "r", "d", "f", "q", "t"}   # a verb or function word opens no name
NOT_NAME_WORD = {"p", "c", "u", "r", "f", "q"}
VERBAL = {"v", "vn", "a", "ad", "vd", "d"}
IDIOM = {"i", "l"}
PARENT_LEVELS = ("township", "county")
SINGLE_NOT_START = {"p", "c", "u", "r"}   # 西|汾阳 opens a name, 因|人定 does not
RANK = {"province": 1, "prefecture": 2, "county": 3, "township": 4}


@lru_cache(maxsize=1)
def boundary_words() -> frozenset[str]:
    """Verbs and function words that open the phrase after them (``phrase_boundaries.tsv``)."""
    return frozenset(r["word"] for r in load_table("phrase_boundaries.tsv"))


@lru_cache(maxsize=1)
def _terms() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for r in load_table("village_terms.tsv"):
        out.setdefault(r["kind"], []).append(r["word"])
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in out.items()}


def find_spans(text: str, matches: list[RegionMatch], cuts: set[int]) -> list[Village]:
    """Every named village in ``text`` (no parent yet), left to right."""
    ends, tags = {m.end for m in matches}, word_tags()
    found: list[tuple[Village, bool]] = []
    for p, suffix in _suffixes(text):
        e = p + len(suffix)
        if _is_term(text, e, cuts) or (
                suffix == "村" and text.startswith(_terms()["not_place"], e)):
            continue
        start = _name_start(text, p, suffix, ends, cuts)
        if start is None or _quoted(text, start, e):
            continue                    # “空心村”, “因人定村”: a quoted kind or slogan
        # 提高村级…, 配齐村“两委”: before a word that 村 opens, only a name that a division
        # is written before (某某镇某某村党支部) or that stands alone elsewhere is a village
        weak = start not in ends and (suffix == "村" and text.startswith(_terms()["follow"], e)
                                      or tags.get(text[start:p], "")[:1] == "v")
        if suffix == "村" and text.startswith("委", e) and not text.startswith("委会", e):
            e += 1                      # 某某村委 used as a place is the village
        found.append((Village(start, e, text[start:p] + suffix), weak))
    sure = {v.name for v, weak in found if not weak}
    return [v for v, weak in found if not weak or v.name in sure]


def _quoted(text: str, start: int, end: int) -> bool:
    """Whether ``start:end`` stands inside quotation marks closed within its clause."""
    opened = text.rfind("“", max(0, start - QUOTE_SPAN), start)     # a nearer one, or none
    if opened < 0 or text.rfind("”", opened, start) > opened:
        return False
    close = text.find("”", end, end + QUOTE_SPAN)
    return close >= 0 and "“" not in text[end:close]


def _is_term(text: str, end: int, cuts: set[int]) -> bool:
    """Whether the word ending at ``end`` is a general term; a two-character one (进村, 全村)
    only where it starts a word (来到|前进|村 is a name, 们|进村 is not)."""
    terms = _term_set()
    for n in _term_lengths():
        s = end - n
        if s >= 0 and text[s:end] in terms:
            if n > 2 or s in cuts or s == 0 or not "\u4e00" <= text[s - 1] <= "\u9fff":
                return True
    return False


@lru_cache(maxsize=1)
def _term_set() -> frozenset[str]:
    return frozenset(_terms()["term"])


@lru_cache(maxsize=1)
def _term_lengths() -> tuple[int, ...]:
    return tuple(sorted({len(t) for t in _terms()["term"]}))


@lru_cache(maxsize=1)
def _suffix_re() -> re.Pattern:
    return re.compile("|".join(map(re.escape, SUFFIXES)) or r"(?!)")


def _suffixes(text: str):
    """(position, suffix) of each suffix, left to right, none overlapping: at each position the
    first of ``SUFFIXES`` that starts there (a regular expression tries them in that order)."""
    for m in _suffix_re().finditer(text):
        yield m.start(), m.group()


def _name_start(text: str, p: int, suffix: str, ends: set[int], cuts: set[int]) -> int | None:
    """Where the name before the suffix at ``p`` starts, longest acceptable first."""
    tags, words = word_tags(), boundary_words()
    follows = text.startswith(_terms().get("follow", ()), p + len(suffix)) and suffix == "村"
    for start in range(max(0, p - NAME_MAX), p - NAME_MIN + 1):
        name = text[start:p]
        if any(c in NOT_IN_NAME or not ("\u4e00" <= c <= "\u9fff") for c in name):
            continue
        strong = start in ends or start == 0 or not ("\u4e00" <= text[start - 1] <= "\u9fff") \
            or text[start - 1] in NOT_IN_NAME
        if not strong and start not in cuts:
            continue
        whole = tags.get(name)
        if whole is not None:
            if whole[:1] in NOT_NAME_WORD or (follows and whole in VERBAL):
                return None
            if whole[:1] in IDIOM:
                continue                # 发展壮大|村级: a set phrase is no name
            return start
        first = _first_word(name, tags)
        if first in words or tags.get(first, "")[:1] in (NOT_NAME_START if len(first) > 1 else SINGLE_NOT_START):
            continue
        last = _last_word(name, tags)
        if tags.get(last, "")[:1] == "v" and (len(last) > 1 or len(name) > 2):
            return None                 # 这里担任|村党支部: a verb before 村 ends no name
        return start
    return None


def _last_word(name: str, tags: dict) -> str:
    """The longest dictionary word that ends ``name`` (its last character if none)."""
    for n in range(len(name) - 1, 1, -1):
        if name[-n:] in tags:
            return name[-n:]
    return name[-1:]


def _first_word(name: str, tags: dict) -> str:
    """The longest dictionary word that opens ``name`` (its first character if none)."""
    for n in range(len(name) - 1, 1, -1):
        if name[:n] in tags:
            return name[:n]
    return name[:1]


def inner_matches(villages: list[Village], matches: list[RegionMatch]) -> set[tuple[int, int]]:
    """Spans of gazetteer matches inside a village's name (大同 in 某某大同村)."""
    spans = sorted((v.start, v.end) for v in villages)
    starts = [s for s, _ in spans]
    reach = list(accumulate((e for _, e in spans), max))   # furthest end of the villages so far
    out = set()
    for m in matches:      # a village starting at or before the match that ends at or after it
        i = bisect_right(starts, m.start) - 1
        if i >= 0 and reach[i] >= m.end:
            out.add((m.start, m.end))
    return out


def assign_parents(villages: list[Village], resolved: dict[tuple[int, int], Division],
                   sentence_start, home_chain: list[Division]) -> list[Village]:
    """Each village with its parent (see the module docstring) and identity scope."""
    by_end = {span[1]: d for span, d in resolved.items()}
    named: dict[str, Division] = {}
    for v in villages:
        d = by_end.get(v.start)
        if d is not None and d.level != "area" and (
                v.name not in named or RANK[d.level] > RANK[named[v.name].level]):
            named[v.name] = d           # the most specific place written before the name
    out = []
    for v in villages:
        parent = named.get(v.name)
        if parent is None:
            lo = sentence_start(v.start)
            near = [d for (s, e), d in sorted(resolved.items()) if lo <= s and e <= v.start
                    and d.level in PARENT_LEVELS]
            parent = near[-1] if near else next((d for d in home_chain if d.level != "area"), None)
        out.append(Village(v.start, v.end, v.name, parent, _scope(parent)))
    return out


def _scope(parent: Division | None) -> str:
    if parent is None:
        return ""
    if parent.level == "township":
        county = gazetteer().parent(parent)
        return county.code if county else parent.code
    return parent.code
