"""Word segmentation with jieba and a domain dictionary built from the project's resources.

The dictionary holds the division names (full and short forms), group terms, national
initiative names and body abbreviations, so that 省委组织部 or 驻村工作队 come out whole.
One ``jieba.Tokenizer`` is built per process on first use, from a copy of jieba's default
dictionary (jieba caches it on disk); tokens carry their span in the article text.

What this module does not do: decide what a token means; the mention finders do.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from itertools import accumulate

import jieba

from .model import Token
from .resources import load_table, split_list

jieba.setLogLevel(logging.WARNING)
DOMAIN_FREQ = 2000   # high enough to keep a domain term whole, low enough not to swallow neighbours
# Longest run of word characters (Han, Latin, digits: jieba's blocks) segmented with jieba's
# HMM. The HMM copies its best path at every character, so it is quadratic in a run's length
# (1 MB of one character took minutes); prose has no run of more than a few dozen characters
# without a punctuation mark. A longer run is cut by the dictionary alone, in pieces this long.
MAX_RUN = 200
_JIEBA_BLOCK = jieba.re_han_default


def domain_words() -> list[str]:
    """Every multi-character term the resources know, sorted (deterministic dictionary)."""
    from .regions import gazetteer

    words: set[str] = set()
    for surface, _kind in gazetteer().names(include_townships=False):
        words.add(surface)
    for row in load_table("groups.tsv"):
        words.add(row["label"])
        words.update(split_list(row.get("aliases", "")))
    for row in load_table("initiatives.tsv"):
        words.add(row["label"])
        words.update(split_list(row.get("aliases", "")))
    for row in load_table("counted_nouns.tsv"):
        if row["kind"] in ("noun", "person", "household", "population"):
            words.add(row["word"])
    for row in load_table("body_abbreviations.tsv"):
        if "{" not in row["abbreviation"]:
            words.add(row["abbreviation"])
    return sorted(w for w in words if len(w) >= 2)


def load_default_dictionary() -> None:
    """Make sure ``jieba.dt`` holds jieba's default dictionary, read from kg's resource cache
    when it is there: jieba's own cache is read through a file object, three times slower
    than loading the same table from bytes (0.8 s against 0.25 s)."""
    dt = jieba.dt
    if dt.initialized:
        return
    from .cache import cached_resource

    def build() -> tuple[dict, int]:
        dt.initialize()
        return dt.FREQ, dt.total

    dt.FREQ, dt.total = cached_resource(f"jieba-{jieba.__version__}-dictionary", build, _counts_out, _counts_in)
    dt.initialized = True


@lru_cache(maxsize=1)
def tokenizer() -> jieba.Tokenizer:
    """The jieba tokenizer with kg's domain dictionary added (built once per process)."""
    # A copy of jieba's default dictionary rather than a second load of it (the gazetteer's
    # segmenter reads the default one, which must stay as jieba ships it).
    from .cache import cached_resource

    load_default_dictionary()
    tk = jieba.Tokenizer()
    tk.FREQ, tk.initialized = dict(jieba.dt.FREQ), True
    added, tk.total = cached_resource("domain-dictionary", _domain_entries, _counts_out, _counts_in)
    tk.FREQ.update(added)
    return tk


def _counts_out(value: tuple[dict[str, int], int]) -> dict:
    from .cache import table_out

    return {"freq": table_out(value[0]), "total": value[1]}


def _counts_in(data: dict) -> tuple[dict[str, int], int]:
    from .cache import table_in

    if type(data["total"]) is not int:
        raise ValueError("expected an integer total")
    return table_in(data["freq"]), data["total"]


def _domain_entries() -> tuple[dict[str, int], int]:
    """What adding the domain words changes in jieba's dictionary (the words and their
    prefixes), and the new total: applied to a copy of the default dictionary, the same
    dictionary ``add_word`` would make, without the add_word calls."""
    tk = jieba.Tokenizer()
    tk.FREQ, tk.total, tk.initialized = dict(jieba.dt.FREQ), jieba.dt.total, True
    for word in domain_words():
        tk.add_word(word, freq=DOMAIN_FREQ)
    default = jieba.dt.FREQ
    return {w: f for w, f in tk.FREQ.items() if default.get(w) != f}, tk.total


def cut(text: str) -> list[str]:
    """jieba's words of ``text`` (HMM on), in time linear in its length: a run of more than
    ``MAX_RUN`` word characters without a break is no prose; it is cut without the HMM, in
    pieces of ``MAX_RUN`` characters, and the text around it as jieba would (jieba itself cuts
    its input at the edges of these runs, so the words elsewhere do not change)."""
    tk = tokenizer()
    long_runs = [m.span() for m in _JIEBA_BLOCK.finditer(text) if m.end() - m.start() > MAX_RUN]
    if not long_runs:
        return list(tk.cut(text, HMM=True))
    words: list[str] = []
    pos = 0
    for a, b in long_runs:
        words += tk.cut(text[pos:a], HMM=True)
        for i in range(a, b, MAX_RUN):
            words += tk.cut(text[i:min(i + MAX_RUN, b)], HMM=False)
        pos = b
    words += tk.cut(text[pos:], HMM=True)
    return words


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """jieba tokens of ``text`` with spans shifted by ``offset`` (the text's start in the article)."""
    words = cut(text)
    ends = list(accumulate(map(len, words), initial=offset))
    return list(map(Token, words, ends, ends[1:]))


def boundaries(tokens: list[Token]) -> set[int]:
    """Token start and end positions: a mention that does not start and end on one cuts a word."""
    out = {t.start for t in tokens}
    out.update(t.end for t in tokens)
    return out
