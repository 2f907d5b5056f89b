"""jieba behind one door: the only kg module that imports it.

It hands the rest of kg words and tags, never jieba's objects: ``default_frequencies`` (jieba's
default dictionary, read from kg's resource cache), ``Words`` (a dictionary segmenter: jieba's
default dictionary plus the words a caller adds, cutting with jieba's own routines; the best
route of ``cut`` computed by ``jieba_fast_dat``'s compiled ``_get_DAG_and_calc``, jieba's
``get_DAG`` and ``calc`` in C++ with the same sums and ties, also only imported here),
``word_tags`` (the part-of-speech tags of jieba's dictionary, read through its tokenizer) and
``hmm_pieces`` (``jieba.posseg``'s tagger for a stretch no dictionary knows).

What this module does not do: choose the domain words (``kg.ingest.segment``), or decide what a word
or a tag means (the finders, ``kg.ingest.postag``).
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache
from math import log

import jieba
import jieba.finalseg
from jieba_fast_dat._jieba_fast_dat_functions_py3 import DatTrie, _get_DAG_and_calc

from kg.resources import cached_resource, table_in, table_out

jieba.setLogLevel(logging.WARNING)
# Longest run of word characters (Han, Latin, digits: jieba's blocks) segmented with jieba's
# HMM. The HMM copies its best path at every character, so it is quadratic in a run's length
# (1 MB of one character took minutes); prose has no run of more than a few dozen characters
# without a punctuation mark. A longer run is cut by the dictionary alone, in pieces this long.
MAX_RUN = 200
WORD_BLOCK = jieba.re_han_default        # what jieba cuts its input into before segmenting
assert WORD_BLOCK.pattern.startswith("([") and WORD_BLOCK.pattern.endswith("]+)")
_LONG_RUN = re.compile(WORD_BLOCK.pattern[1:-2] + "{%d}" % (MAX_RUN + 1))   # found by the regex engine alone
_HAN_BLOCK = re.compile("([\u4E00-\u9FD5]+)")
_SKIP_DETAIL = re.compile(r"([\.0-9]+|[a-zA-Z0-9]+)")
_SKIP = jieba.re_skip_default             # how jieba splits what lies between word blocks
_SINGLES = re.compile(b"\x01{2,}")          # a run of one-character words, in a bytes of word lengths
# jieba_fast_dat's trie keeps a frequency in 21 bits and finds at most 64 words starting at one
# character: a dictionary beyond either would not be cut as jieba cuts it
_DAT_MAX_FREQ, _DAT_MAX_WORD = 2**21 - 1, 64


def default_frequencies() -> tuple[dict[str, int], int]:
    """jieba's default dictionary: word (and prefix, at 0) -> frequency, and the total. Read
    from kg's resource cache when it is there: jieba's own cache is read through a file object,
    three times slower than loading the same table from bytes (0.8 s against 0.25 s). The dict
    is jieba's own: read it, never change it."""
    dt = jieba.dt
    if not dt.initialized:
        def build() -> tuple[dict, int]:
            dt.initialize()
            return dt.FREQ, dt.total

        dt.FREQ, dt.total = cached_resource(f"jieba-{jieba.__version__}-dictionary", build, counts_out, counts_in)
        dt.initialized = True
    return dt.FREQ, dt.total


def counts_out(value: tuple[dict[str, int], int]) -> dict:
    """A (frequencies, total) pair as JSON data for the resource cache."""
    return {"freq": table_out(value[0]), "total": value[1]}


def counts_in(data: dict) -> tuple[dict[str, int], int]:
    """The pair ``counts_out`` wrote, checked (ValueError for another shape)."""
    if type(data["total"]) is not int:
        raise ValueError("expected an integer total")
    return table_in(data["freq"]), data["total"]


def added_entries(words, freq: int) -> tuple[dict[str, int], int]:
    """What adding ``words`` at ``freq`` changes in jieba's default dictionary (the words and
    their prefixes), and the new total: the dictionary ``add_word`` would make, as a difference."""
    default, total = default_frequencies()
    tk = jieba.Tokenizer()
    tk.FREQ, tk.total, tk.initialized = dict(default), total, True
    for word in words:
        tk.add_word(word, freq=freq)
    return {w: f for w, f in tk.FREQ.items() if default.get(w) != f}, tk.total


class _Overlay(dict):
    """A few entries over a large dictionary, read as one (by jieba's get_DAG and calc): no
    copy of the large one (half a million words, 15 MB)."""

    def __init__(self, entries: dict[str, int], base: dict[str, int]):
        super().__init__(entries)
        self.base = base

    def __missing__(self, word: str) -> int:
        return self.base[word]

    def __contains__(self, word) -> bool:
        return dict.__contains__(self, word) or word in self.base

    def get(self, word, default=None):
        return dict.get(self, word) if dict.__contains__(self, word) else self.base.get(word, default)


class Words:
    """A segmenter over jieba's default dictionary updated by ``entries`` (word -> frequency),
    with ``total`` as the dictionary's total; jieba's shared dictionary is left as it ships.
    ``overlay=True`` reads the default dictionary through the entries instead of copying it:
    for ``route`` over short texts (a copy segments long ones faster)."""

    def __init__(self, entries: dict[str, int], total: int, overlay: bool = False):
        default, _ = default_frequencies()
        self._tk = jieba.Tokenizer()
        self._tk.FREQ = _Overlay(entries, default) if overlay else {**default, **entries}
        self._tk.total, self._tk.initialized = total, True
        self._trie: DatTrie | None = None

    def frequency(self, word: str) -> int:
        """The word's frequency in this dictionary (0 for a prefix or an unknown word)."""
        return self._tk.FREQ.get(word) or 0

    def cut(self, text: str) -> list[str]:
        """jieba's words of ``text`` (HMM on), in time linear in its length: a run of more than
        ``MAX_RUN`` word characters without a break is no prose; it is cut without the HMM, in
        pieces of ``MAX_RUN`` characters, and the text around it as jieba would (jieba itself
        cuts its input at the edges of these runs, so the words elsewhere do not change)."""
        if not _LONG_RUN.search(text):
            return self._cut_hmm(text)
        tk = self._tk
        long_runs = [m.span() for m in WORD_BLOCK.finditer(text) if m.end() - m.start() > MAX_RUN]
        words: list[str] = []
        pos = 0
        for a, b in long_runs:
            words += self._cut_hmm(text[pos:a])
            for i in range(a, b, MAX_RUN):
                words += tk.cut(text[i:min(i + MAX_RUN, b)], HMM=False)
            pos = b
        words += self._cut_hmm(text[pos:])
        return words

    def _cut_hmm(self, text: str) -> list[str]:
        """``list(jieba.Tokenizer.cut(text, HMM=True))``, word for word, without its generators.
        The split has one group: the word blocks are every other part, between the rest."""
        words: list[str] = []
        trie, total = self._compiled()
        parts = WORD_BLOCK.split(text)
        for gap, blk in zip(parts[::2], parts[1::2]):
            if gap:
                self._cut_gap(gap, words)
            self._cut_block(blk, words, trie, total)
        if parts[-1]:
            self._cut_gap(parts[-1], words)
        return words

    @staticmethod
    def _cut_gap(gap: str, words: list[str]) -> None:
        """What lies between word blocks, as jieba gives it: each whitespace (``\\r\\n`` one),
        every other character alone (``_SKIP.split`` has one group, found at its odd places)."""
        if len(gap) == 1 and not gap.isspace():
            words.append(gap)
            return
        for j, x in enumerate(_SKIP.split(gap)):
            if j % 2:
                words.append(x)
            else:
                words.extend(x)

    def _compiled(self) -> tuple[DatTrie, float]:
        """This dictionary's words (frequency > 0) in jieba_fast_dat's trie, built on first use
        (0.2 s for jieba's 350,000 words), and the total; ValueError for a dictionary the trie
        would not hold exactly."""
        if self._trie is None:
            freq = self._tk.FREQ
            every = {**freq.base, **freq} if isinstance(freq, _Overlay) else freq
            words = [(w, f) for w, f in every.items() if f]
            if max(f for _, f in words) > _DAT_MAX_FREQ or max(len(w) for w, _ in words) > _DAT_MAX_WORD:
                raise ValueError(f"a frequency above {_DAT_MAX_FREQ:,} or a word of more than "
                                 f"{_DAT_MAX_WORD} characters")
            self._trie = DatTrie()
            self._trie.build(words)
        return self._trie, float(self._tk.total)

    def _cut_block(self, blk: str, words: list[str], trie: DatTrie, total: float) -> None:
        """jieba's ``__cut_DAG`` of one word block, appended to ``words``: its best route (the
        compiled ``_get_DAG_and_calc``), and each run of two or more one-character words that
        is no word given to its HMM."""
        ends: list[int] = []
        _get_DAG_and_calc(trie, blk, ends, total)
        x, n, pieces = 0, len(blk), []
        while x < n:
            y = ends[x] + 1
            pieces.append(blk[x:y])
            x = y
        freq, pos = self._tk.FREQ, 0
        for m in _SINGLES.finditer(bytes(map(len, pieces))):
            a, b = m.span()
            run = "".join(pieces[a:b])
            if not freq.get(run):
                words += pieces[pos:a]
                words += _hmm_words(run)
                pos = b
        words += pieces[pos:] if pos else pieces

    def _route(self, blk: str, whole: bool = True) -> list[int]:
        """Where the best route through ``blk`` that starts at each position ends its first word:
        jieba's ``get_DAG`` and ``calc`` in one pass, one dictionary look-up per prefix (the
        same sums in the same order, so the same floats and the same ties, the later end
        winning). ``whole=False``: no route takes ``blk`` as one word."""
        get, n = self._tk.FREQ.get, len(blk)
        logtotal = log(self._tk.total)
        best = [0.0] * (n + 1)
        ends = [0] * n
        for k in range(n - 1, -1, -1):
            bv = bx = None
            i, f = k + 1, get(blk[k])
            while f is not None:
                if f and (whole or k or i < n):
                    v = log(f) - logtotal + best[i]
                    if bv is None or v >= bv:
                        bv, bx = v, i - 1
                if i >= n:
                    break
                i += 1
                f = get(blk[k:i])
            if bv is None:
                bv, bx = 0.0 - logtotal + best[k + 1], k
            best[k], ends[k] = bv, bx
        return ends

    def route(self, text: str, whole: bool = True) -> list[int]:
        """Where jieba's best dictionary route (no HMM) through ``text`` ends its words, over
        jieba's own DAG; ``whole=False`` forbids the route that takes ``text`` as one word."""
        first_ends = self._route(text, whole)
        ends, x = [], 0
        while x < len(text):
            x = first_ends[x] + 1
            ends.append(x)
        return ends


@lru_cache(maxsize=65536)
def _hmm_words(run: str) -> tuple[str, ...]:
    """The words jieba's HMM (``finalseg``) makes of a run of characters its dictionary cut
    one by one: kept, as the same runs (一是, 驻村, a person's name) recur within and across
    articles."""
    return tuple(jieba.finalseg.cut(run))


@lru_cache(maxsize=1)
def word_tags() -> dict[str, str]:
    """word -> part-of-speech tag of jieba's main dictionary, read through its tokenizer's
    dictionary file once into kg's resource cache (``import jieba.posseg`` reads them every
    time, about 0.7 s)."""
    def parse() -> dict[str, str]:
        tags = {}
        with jieba.dt.get_dict_file() as fh:
            for line in fh:
                parts = line.decode("utf-8").split()
                if len(parts) == 3:
                    tags[parts[0]] = parts[2]
        return tags

    return cached_resource(f"jieba-{jieba.__version__}-tags", parse, table_out, lambda d: table_in(d, str))


@lru_cache(maxsize=1)
def _posseg():
    import jieba.posseg        # here: it reads the dictionary's tags again (~0.7 s); only an unknown word needs it

    return jieba.posseg


def hmm_pieces(text: str) -> list[tuple[str, str]]:
    """What ``jieba.posseg`` makes of a stretch not in its dictionary: its part-of-speech HMM
    over Han characters, numbers ``m``, Latin ``eng``, anything else ``x``."""
    ps = _posseg()
    out: list[tuple[str, str]] = []
    for blk in _HAN_BLOCK.split(text):
        if _HAN_BLOCK.fullmatch(blk):
            _, tags = ps.viterbi(blk, ps.char_state_tab_P, ps.start_P, ps.trans_P, ps.emit_P)
            begin = nexti = 0
            for i, ch in enumerate(blk):
                pos, flag = tags[i]
                if pos == "B":
                    begin = i
                elif pos == "E":
                    out.append((blk[begin:i + 1], flag))
                    nexti = i + 1
                elif pos == "S":
                    out.append((ch, flag))
                    nexti = i + 1
            if nexti < len(blk):
                out.append((blk[nexti:], tags[nexti][1]))
        else:
            for x in _SKIP_DETAIL.split(blk):
                if x:
                    out.append((x, "m" if re.match(r"[\.0-9]+", x) else
                                "eng" if re.match("[a-zA-Z0-9]+", x) else "x"))
    return out
