"""Property tests (hypothesis) on the text stages: cleaning never raises on arbitrary Unicode and
is idempotent on its own output; every mention's (and figure's) offsets slice the cleaned text to
its surface form, and map back to the same characters of the text as read."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from opencc import OpenCC

from kg.pipeline import extract_article
from kg.ingest.read import article_from_raw, clean_text, read_article

ROOT = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=1)
def seed_sentences() -> list[str]:
    out = []
    for f in sorted((ROOT / "seeds").glob("*.txt")):
        out += [s for s in re.findall(r"[^。！？\n]+[。！？]", read_article(f).text) if len(s) >= 8]
    return out


noise = st.sampled_from(["", " ", "\u3000", "  ", "\t", "\n", "\n\n", "【打印】", "首页 > 新闻 > 要闻\n",
                         "责任编辑：王五\n", "2020-05-01 10:20 来源：人民网\n", "（记者 张三）", "發(fā)"])
pieces = st.lists(st.tuples(st.integers(min_value=0, max_value=10_000), noise), min_size=1, max_size=8)


def assemble(parts, traditional: bool = False) -> str:
    sents = seed_sentences()
    text = "".join(sents[i % len(sents)] + n for i, n in parts)
    return OpenCC("s2t").convert(text) if traditional else text


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_cleaning_never_raises_on_arbitrary_unicode(raw):
    text, offsets, meta = clean_text(raw)
    assert len(offsets) == len(text)
    assert all(0 <= o < len(raw) for o in offsets)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), pieces.map(assemble)))
def test_cleaning_is_idempotent(raw):
    once = clean_text(raw)[0]
    assert clean_text(once)[0] == once


_WS = re.compile(r"\s+")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces, st.booleans())
def test_mention_offsets_slice_text_to_surface(parts, traditional):
    raw = assemble(parts, traditional)
    try:
        article = article_from_raw(raw, "p.txt", "p")
    except Exception as exc:      # only "nothing left after cleaning" may stop it
        assert "boilerplate" in str(exc)
        return
    ex = extract_article(article)
    t2s = OpenCC("t2s")
    spans = [(m.start, m.end, m.text) for m in ex.mentions] + [(i.start, i.end, i.text) for i in ex.indicators]
    for start, end, surface in spans:
        assert article.text[start:end] == surface
        if "pinyin" not in article.flags:     # a removed gloss inside a span is in raw, not in text
            as_read = article.raw_text(start, end)
            assert _WS.sub("", t2s.convert(as_read)) == _WS.sub("", surface)
    for s in ex.sentences:
        assert article.text[s.start:s.end] == s.text
