"""Part-of-speech tags for the tokens the segmenter already made, for the figure finder.

``Tagged(text, tokens)`` wraps one sentence and its jieba tokens (spans relative to the
sentence); ``Tagged.span(a, b)`` returns ``(word, flag, start, end)`` for the tokens inside
``text[a:b]``, re-segmenting only a token that the span cuts. A word's flag comes from jieba's
dictionary tags (``dict.txt``), corrected and extended by ``counted_nouns.tsv`` (its kinds become
``n``, ``v``, ``mod``, ``attr``, ``scope``, ``per``), then by what the domain dictionary knows (region
names ``ns``, group names ``n``); numbers are ``m``. An initiative name the domain dictionary
kept whole is split into the words inside it, and a stretch jieba's HMM joined (not in any
dictionary) goes through ``jieba.posseg``'s tagger, each once per distinct word. A token that runs
into a head noun of ``counted_nouns.tsv`` is cut there (电|商人|才 → 电|商|人才), and tokens that
together spell a counted noun are joined (贫困 + 人口 → 贫困人口).

Why not ``jieba.posseg.cut`` on each phrase: it segments the text a second time and runs a
part-of-speech HMM over every unknown stretch, which cost more than the whole segmentation.

What this module does not do: segment whole sentences (``kg.ingest.segment``) or decide what a
figure counts (``kg.extract.indicators``).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cached_property, lru_cache
from typing import Iterable

from kg.ingest.jieba_io import hmm_pieces, word_tags
from kg.ingest.gazetteer_cache import gazetteer
from kg.resources import load_table, split_list
from kg.ingest.segment import cut, tokenizer

__all__ = ["Tagged", "counted_nouns", "hmm_pieces", "pieces", "word_tags"]

_KIND_FLAG = {"noun": "n", "person": "n", "household": "n", "population": "n", "action": "v",
              "modifier": "mod", "attr": "attr", "scope": "scope", "verb": "v", "per": "per"}
_NUMBER = re.compile(r"[\d０-９][\d.,%０-９．％]*")
_HAN = re.compile(r"[\u4e00-\u9fd5]")


@lru_cache(maxsize=1)
def counted_nouns() -> dict[str, dict]:
    """Counted noun → its row of ``counted_nouns.tsv`` (kind, …)."""
    return {r["word"]: r for r in load_table("counted_nouns.tsv")}


@lru_cache(maxsize=1)
def _noun_compounds() -> tuple[frozenset[str], int]:
    """Multi-character counted-noun words, and the longest: tokens are joined to match them."""
    words = frozenset(w for w, r in counted_nouns().items() if len(w) > 1 and r["kind"] in _KIND_FLAG)
    return words, max((len(w) for w in words), default=0)


@lru_cache(maxsize=1)
def domain_flags() -> dict[str, str]:
    """Part-of-speech flags of kg's own words: group terms as nouns (n), place names (ns)."""
    flags: dict[str, str] = {}
    for row in load_table("groups.tsv"):
        for w in [row["label"], *split_list(row.get("aliases", ""))]:
            flags[w] = "n"
    for surface, _kind in gazetteer().names(include_townships=False):
        flags[surface] = "ns"
    return flags


@lru_cache(maxsize=65536)
def pieces(word: str) -> tuple[tuple[str, str], ...]:
    """``(word, flag)`` pairs for one token: itself with its flag, or, for an initiative name
    the domain dictionary kept whole or a stretch jieba's HMM joined (户未), the words
    ``jieba.posseg`` would have made of it."""
    flag = _override(word) or word_tags().get(word)
    if flag:
        return ((word, flag),)
    if _NUMBER.fullmatch(word):
        return ((word, "m"),)
    if not _HAN.search(word):
        return ((word, "eng" if word.isascii() and word.isalpha() else "x"),)
    flag = domain_flags().get(word)
    if flag:
        return ((word, flag),)
    if len(word) == 1:
        return ((word, "x"),)
    if tokenizer().frequency(word):
        parts = _split_known(word)       # an initiative name: the words inside it
        return tuple(x for part in parts for x in pieces(part))
    # what posseg's HMM makes of an unknown stretch, its flags kept (选 in 比选 is v, not zg)
    return tuple((w, _override(w) or flag) for w, flag in hmm_pieces(word))


def _override(word: str) -> str | None:
    row = counted_nouns().get(word)
    return _KIND_FLAG[row["kind"]] if row and row["kind"] in _KIND_FLAG else None


def _split_known(word: str) -> list[str]:
    """The best jieba route through ``word`` that does not take it whole."""
    ends = tokenizer().route(word, whole=False)
    return [word[a:b] for a, b in zip([0, *ends], ends)]


class Tagged:
    """One sentence's tokens with their flags, sliced by span. The tokens are cut at counted
    nouns when first asked for (most sentences have no figure and never are)."""

    def __init__(self, text: str, tokens: Iterable[tuple[int, int]] | None = None):
        self.text = text
        self._tokens = tokens

    @cached_property
    def spans(self) -> list[tuple[int, int]]:
        """The token spans, a token that runs into a counted noun cut there."""
        if self._tokens is not None:
            tokens = list(self._tokens)
        else:
            tokens, pos = [], 0
            for w in cut(self.text):
                tokens.append((pos, pos + len(w)))
                pos += len(w)
        return _split_at_counted_nouns(self.text, tokens)

    @cached_property
    def starts(self) -> list[int]:
        """Where each token of ``spans`` starts."""
        return [a for a, _ in self.spans]

    def span(self, a: int, b: int) -> list[tuple[str, str, int, int]]:
        """Tagged tokens covering ``text[a:b]``; a token the span cuts is segmented again."""
        out: list[tuple[str, str, int, int]] = []
        k = max(bisect_right(self.starts, a) - 1, 0)
        while k < len(self.spans) and self.spans[k][0] < b:
            s, e = self.spans[k]
            k += 1
            if e <= a:
                continue
            if s < a or e > b:
                out.extend(_tag_words(self.text, max(s, a), cut(self.text[max(s, a):min(e, b)])))
            else:
                out.extend(_tag_words(self.text, s, (self.text[s:e],)))
        return _join_compounds(out)


def _tag_words(text: str, pos: int, words) -> list[tuple[str, str, int, int]]:
    out = []
    for w in words:
        for piece, flag in pieces(w):
            out.append((piece, flag, pos, pos + len(piece)))
            pos += len(piece)
    return out


@lru_cache(maxsize=1)
def _head_nouns_pattern() -> re.Pattern | None:
    words = sorted((w for w, r in counted_nouns().items() if len(w) > 1 and
                    r["kind"] in ("person", "household", "population", "noun", "per")), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words))) if words else None


def _split_at_counted_nouns(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """电|商人|才 → 电|商|人|才: a token that runs into a head noun of counted_nouns.tsv (人才)
    is cut where the noun starts or ends, so that _join_compounds can make the noun whole
    (电商人才, not 电商人 and 才)."""
    pattern = _head_nouns_pattern()
    cuts = set()
    if pattern is not None:
        for m in pattern.finditer(text):
            cuts.add(m.start())
            cuts.add(m.end())
    if not cuts:
        return spans
    ordered = sorted(cuts)
    out = []
    for s, e in spans:
        for c in ordered[bisect_right(ordered, s):bisect_left(ordered, e)]:    # s < c < e
            out.append((s, c))
            s = c
        out.append((s, e))
    return out


def _join_compounds(toks: list[tuple[str, str, int, int]]) -> list[tuple[str, str, int, int]]:
    """贫困 + 人口 → 贫困人口 (n): a counted noun the segmenter split is one noun."""
    words, longest = _noun_compounds()
    out, i = [], 0
    while i < len(toks):
        joined = None
        word = toks[i][0]
        for j in range(i + 1, len(toks)):
            word += toks[j][0]
            if len(word) > longest:
                break
            if word in words:
                joined = j
        if joined is None:
            out.append(toks[i])
            i += 1
        else:
            w = "".join(t[0] for t in toks[i:joined + 1])
            out.append((w, _KIND_FLAG[counted_nouns()[w]["kind"]], toks[i][2], toks[joined][3]))
            i = joined + 1
    return out
