"""The one-pass paths give what the loops they replaced gave: a lexicon's occurrences are every
``str.find`` hit of every word (overlapping, a word listed twice under both indices), the
segmenter's route is jieba's ``get_DAG`` + ``calc`` (with and without the whole-text word), and
``term_hits`` takes occurrences surface by surface, left to right."""
from __future__ import annotations

import pytest

from kg.extract.phrases import term_hits
from kg.ingest.lexicon_match import Lexicon
from kg.ingest.segment import tokenizer

TEXT = "湖南省委组织部驻村工作队进驻十八洞村，十八洞村党支部和驻村工作队结对帮扶贫困户。"


def _finds(text: str, words: list[str]) -> list[tuple[int, int, int]]:
    out = []
    for i, w in enumerate(words):
        s = text.find(w)
        while s >= 0:
            out.append((i, s, s + len(w)))
            s = text.find(w, s + 1)
    return sorted(out)


@pytest.mark.parametrize("words", [["驻村", "驻村工作队", "工作队", "十八洞村", "村"],
                                   ["哈哈", "哈"], ["村", "村"], ["不在文中"], []])
def test_occurrences_are_every_find_hit(words):
    text = TEXT + "哈哈哈"
    assert sorted(Lexicon(words).occurrences(text)) == _finds(text, words)


def test_an_empty_word_is_refused():
    with pytest.raises(ValueError):
        Lexicon(["村", ""])


def test_term_hits_longest_listed_first_without_overlaps():
    hits = term_hits(TEXT, ["驻村工作队", "工作队", "村"], lambda s, e: True)
    taken = sorted((TEXT[s:e], s) for s, e, _ in hits)
    assert ("驻村工作队", 7) in taken and ("驻村工作队", 27) in taken
    assert taken == [("村", 17), ("村", 22), ("驻村工作队", 7), ("驻村工作队", 27)]   # 工作队 and 驻村 inside taken ones


def _jieba_route(words, text: str, whole: bool) -> list[int]:
    tk = words._tk             # jieba's own tokenizer
    dag = tk.get_DAG(text)
    if not whole:
        dag[0] = [e for e in dag[0] if e != len(text) - 1] or [0]
    route: dict = {}
    tk.calc(text, dag, route)
    ends, x = [], 0
    while x < len(text):
        x = route[x][1] + 1
        ends.append(x)
    return ends


@pytest.mark.parametrize("whole", [True, False])
def test_route_is_jiebas(whole):
    words = tokenizer()
    for a in range(0, len(TEXT), 3):
        for n in (1, 2, 4, 7, 15):
            piece = TEXT[a:a + n]
            assert words.route(piece, whole) == _jieba_route(words, piece, whole), piece
