"""Noun-phrase edges in a sentence, from jieba tokens and a list of boundary words.

``extend_left(ctx, pos)`` walks tokens leftwards from ``pos`` and stops at punctuation, at a
token that is not Han text, or at a boundary word (the verbs, adverbs and function words of
``phrase_boundaries.tsv`` that open a noun phrase: 实施, 开展, 全面 …). It is how the finders
cut "深入实施芙蓉人才行动计划" to "芙蓉人才行动计划" without a list of names.

What this module does not do: decide whether the phrase is an entity.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from kg.ingest.lexicon_match import Lexicon, lexicon
from kg.model import ArticleContext
from kg.resources import load_table
from kg.extract.limits import PHRASE_LEFT_CHARS

# Quote marks may sit inside a name (不合格“召回”制度); other punctuation ends it.
INNER = set("“”‘’+＋")
# An enumeration marker (一是, 二是 … 十是) opens a point of a list, never a name: a rule of grammar.
ORDINAL = re.compile(r"[一二三四五六七八九十]是")


@lru_cache(maxsize=1)
def boundary_words() -> frozenset[str]:
    """Words a phrase never runs across (``phrase_boundaries.tsv``)."""
    return frozenset(r["word"] for r in load_table("phrase_boundaries.tsv"))


@lru_cache(maxsize=1)
def _long_boundary_lexicon() -> Lexicon:
    return Lexicon(sorted(w for w in boundary_words() if len(w) >= 2))


def holds_boundary_word(text: str) -> bool:
    """Whether a boundary word of two characters or more stands anywhere in ``text``."""
    return _long_boundary_lexicon().any_in(text)


@lru_cache(maxsize=1)
def action_verbs() -> frozenset[str]:
    """Verbs that start a named initiative (实施, 开展, 建立 …), not generic ones (加强 …)."""
    return frozenset(r["word"] for r in load_table("phrase_boundaries.tsv") if r["kind"] == "verb")


def is_han(s: str) -> bool:
    """Whether ``s`` is non-empty and only CJK ideographs (or 〇).

    >>> is_han("乡村"), is_han("二〇二〇"), is_han("5G乡村"), is_han("")
    (True, True, False, False)
    """
    return bool(s) and all("\u4e00" <= ch <= "\u9fff" or ch in "〇" for ch in s)


def extend_left(ctx: ArticleContext, pos: int, max_chars: int = PHRASE_LEFT_CHARS, allow_inner: bool = False,
                stop_words: frozenset[str] | None = None) -> int:
    """The start of the noun phrase that ends at or runs through ``pos``."""
    sent = ctx.sentence_at(pos)
    stops = stop_words or boundary_words()
    start = pos
    for tok in reversed(ctx.tokens[sent.index]):
        if tok.start >= pos:
            continue
        if tok.end > pos:           # pos falls inside this token: keep its left part
            if not is_han(ctx.article.text[tok.start:pos]):
                break
            start = tok.start
            continue
        word = tok.text
        if word in stops or word[-2:] in stops or word[-3:] in stops or ORDINAL.fullmatch(word[:2]) \
                or not (is_han(word) or (allow_inner and all(c in INNER for c in word))):
            break
        if pos - tok.start > max_chars:
            break
        start = tok.start
    return start


def strip_boundary_prefix(phrase: str) -> str:
    """Drop a boundary word glued to the front by the segmenter (全面推行X → X)."""
    changed = True
    while changed:
        changed = False
        for w in sorted(boundary_words(), key=len, reverse=True):
            if len(w) >= 2 and phrase.startswith(w) and len(phrase) - len(w) >= 3:
                phrase, changed = phrase[len(w):], True
                break
    return phrase


def term_hits(text: str, surfaces, accept) -> list[tuple[int, int, int]]:
    """Non-overlapping occurrences of ``surfaces`` (longest listed first) that ``accept(start,
    end)`` approves, as (start, end, index into ``surfaces``)."""
    hits = []
    starts: list[int] = []        # the spans taken, disjoint, kept sorted (so ends are sorted too)
    ends: list[int] = []
    # every occurrence of every surface in one pass, then taken surface by surface, left to right
    for i, start, end in sorted(lexicon(tuple(surfaces)).occurrences(text)):
        k = bisect_left(starts, end)       # spans starting before this one ends
        if not (k and ends[k - 1] > start) and accept(start, end):
            hits.append((start, end, i))
            starts.insert(k, start)
            ends.insert(k, end)
    return hits
