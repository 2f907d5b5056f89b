"""Extraction time grows linearly with an article's length, however it is punctuated: a run of
one character without a break (jieba's HMM was quadratic on it), a run dense with region, body
and village names (resolving them and pairing them per sentence were quadratic), and an article
stripped of its punctuation (one paragraph: each figure looked at the whole paragraph and at
every mention of the article). Figures for 1 MB are printed by bench/long_bench.py; here the
growth over a 4-fold size is checked loosely (linear is about 4, quadratic 16). Also: the
bounds leave prose as it was."""
from __future__ import annotations

import time
from pathlib import Path

import jieba
import pytest

from kg.ingest.inputs import read_unit
from kg.model import Unit
from kg.model import Article
from kg.pipeline import extract_article
from kg.ingest.jieba_io import MAX_RUN
from kg.ingest.segment import cut, tokenizer
from kg.ingest.sentences import MAX_SENTENCE, split_sentences

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
DENSE = "湖南省湘西州花垣县双龙镇十八洞村党支部书记"


def _seconds(body: str) -> float:
    """Best of two timings of extracting an article of ``body`` (less noise on a busy machine)."""
    article = read_unit(Unit("x.txt", 0, "txt", ("标题\n" + body).encode("utf-8"), "x"))
    best = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        extract_article(article)
        best = min(best, time.perf_counter() - t0)
    return best


def _unpunctuated_seed() -> str:
    return "".join(ch for ch in SEEDS[0].read_text(encoding="utf-8") if ch.isalnum())


@pytest.mark.parametrize("unit,small", [("党", 25 * 1024 // 3), (DENSE, 8 * 1024 // 3), (None, 12 * 1024 // 3)],
                         ids=["one-character", "dense-names", "seed-without-punctuation"])
def test_extraction_time_grows_linearly(unit, small):
    unit = unit or _unpunctuated_seed()
    _seconds((unit * 10)[:200])                              # resources loaded before timing
    short = _seconds((unit * (small // len(unit) + 1))[:small])
    long = _seconds((unit * (4 * small // len(unit) + 1))[:4 * small])
    assert long / max(short, 0.01) < 9, (short, long)       # 4 when linear, 16 when quadratic


def test_cut_is_jiebas_on_prose_and_keeps_every_character_of_a_long_run():
    tk = tokenizer()._tk      # the jieba tokenizer itself
    for f in SEEDS:
        text = f.read_text(encoding="utf-8")
        assert cut(text) == list(tk.cut(text, HMM=True))     # whole articles: several lines at once
    run = "党" * (3 * MAX_RUN + 7)
    text = "前言，" + run + "，后记"
    words = cut(text)
    assert "".join(words) == text and max(map(len, words)) <= MAX_RUN
    assert words[:2] == list(tk.cut("前言，", HMM=True))[:2] and words[-2:] == ["，", "后记"]
    assert jieba.re_han_default.fullmatch(run)


def test_an_overlong_sentence_is_cut_at_clause_marks_and_prose_is_untouched():
    text = "标题\n" + "，".join(["驻村工作队进村入户开展工作"] * 200) + "。\n短句。"
    article = Article("a", "a.txt", text, text, list(range(len(text))))
    sentences = split_sentences(article)
    assert all(s.end - s.start <= MAX_SENTENCE for s in sentences)
    assert all(text[s.end - 1] in "，。" for s in sentences[1:-1])
    assert "".join(s.text for s in sentences) == text.replace("\n", "")
    for f in SEEDS:
        raw = f.read_text(encoding="utf-8")
        a = read_unit(Unit(str(f), 0, "txt", raw.encode("utf-8"), f.stem))
        assert max(s.end - s.start for s in split_sentences(a)) < MAX_SENTENCE
