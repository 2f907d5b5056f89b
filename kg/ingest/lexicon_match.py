"""Every occurrence of many words in a text in one pass: an Aho-Corasick automaton per word list
(``ahocorasick_rs``), the only kg module that imports it.

``Lexicon(words)`` is built once per list (``lexicon`` keeps the last few, keyed by the list);
``occurrences(text)`` gives each occurrence of each listed word, overlapping ones included, as
(index into the list, start, end) in character positions: what ``text.find(word, start + 1)``
repeated for every word would find, in one scan of the text instead of one per word. A word
listed twice is reported under both indices.

What this module does not do: decide which occurrences count (longest first, on token
boundaries …): the callers do, in the order they always did.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable

import ahocorasick_rs


class Lexicon:
    """A fixed list of non-empty words, searched for together."""

    def __init__(self, words: Iterable[str]):
        self.words = tuple(words)
        if not all(self.words):
            raise ValueError("a lexicon's words must not be empty")
        self._automaton = ahocorasick_rs.AhoCorasick(list(self.words)) if self.words else None

    def __eq__(self, other) -> bool:
        return isinstance(other, Lexicon) and self.words == other.words

    def __hash__(self) -> int:
        return hash(self.words)

    def occurrences(self, text: str) -> list[tuple[int, int, int]]:
        """(word index, start, end) of every occurrence in ``text``, ordered by end."""
        if self._automaton is None or not text:
            return []
        return self._automaton.find_matches_as_indexes(text, overlapping=True)

    def any_in(self, text: str) -> bool:
        """Whether any of the words occurs in ``text`` (``any(w in text for w in words)``)."""
        return bool(self._automaton is not None and text and self._automaton.find_matches_as_indexes(text))

    def starts(self, text: str) -> dict[int, list[int]]:
        """start -> the ends of the words found there, in ``text``."""
        out: dict[int, list[int]] = {}
        for _, start, end in self.occurrences(text):
            out.setdefault(start, []).append(end)
        return out


@lru_cache(maxsize=16)
def lexicon(words: tuple[str, ...]) -> Lexicon:
    """The lexicon of ``words``, built on first use and kept (a handful of lists are in use)."""
    return Lexicon(words)
