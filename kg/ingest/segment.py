"""Word segmentation with jieba's dictionary and a domain dictionary built from the project's resources.

The dictionary holds the division names (full and short forms), group terms, national
initiative names and body abbreviations, so that 省委组织部 or 驻村工作队 come out whole.
One segmenter (``kg.ingest.jieba_io.Words``) is built per process on first use, over a copy of
jieba's default dictionary; what the domain words add to it is kept in kg's resource cache.
Tokens carry their span in the article text.

What this module does not do: talk to jieba (``kg.ingest.jieba_io``), or decide what a token means;
the mention finders do.
"""
from __future__ import annotations

from functools import lru_cache
from itertools import accumulate, repeat

from kg.ingest.jieba_io import Words, added_entries, counts_in, counts_out
from kg.model import Token
from kg.ingest.gazetteer_cache import gazetteer
from kg.resources import cached_resource, load_table, split_list

DOMAIN_FREQ = 2000   # high enough to keep a domain term whole, low enough not to swallow neighbours


def domain_words() -> list[str]:
    """Every multi-character term the resources know, sorted (deterministic dictionary)."""
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


@lru_cache(maxsize=1)
def tokenizer() -> Words:
    """The segmenter over jieba's default dictionary and the domain words."""
    added, total = cached_resource("domain-dictionary", lambda: added_entries(domain_words(), DOMAIN_FREQ),
                                   counts_out, counts_in)
    return Words(added, total)


def cut(text: str) -> list[str]:
    """The words of ``text`` (``kg.ingest.jieba_io.Words.cut``: jieba's, in time linear in its length)."""
    return tokenizer().cut(text)


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """jieba tokens of ``text`` with spans shifted by ``offset`` (the text's start in the article)."""
    words = cut(text)
    ends = list(accumulate(map(len, words), initial=offset))
    # the tuples made directly, every field given: half the time of calling Token (its __new__
    # is Python code), for the hundred thousand tokens of a few hundred articles
    return list(map(tuple.__new__, repeat(Token), zip(words, ends, ends[1:], repeat(""))))


def boundaries(tokens: list[Token]) -> set[int]:
    """Token start and end positions: a mention that does not start and end on one cuts a word."""
    out = {t.start for t in tokens}
    out.update(t.end for t in tokens)
    return out
