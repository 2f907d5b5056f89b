"""Sentence splitting: terminators, quotes and brackets, line breaks, spans into Article.text."""
from __future__ import annotations

import pytest

from helpers import make_article
from kg.ingest.sentences import split_sentences


def texts(s: str) -> list[str]:
    return [x.text for x in split_sentences(make_article(s))]


@pytest.mark.parametrize("text, expected", [
    ("甘肃省委高度重视。全省上下齐动员！成效如何？",
     ["甘肃省委高度重视。", "全省上下齐动员！", "成效如何？"]),
    ("选派第一书记；组建工作队;落实责任", ["选派第一书记；", "组建工作队;", "落实责任"]),
    ("真的脱贫了吗？！是的。", ["真的脱贫了吗？！", "是的。"]),
    # a terminator inside quotes or a title does not end the sentence
    ("群众说：“干部来了。日子好了。”大家很高兴。", ["群众说：“干部来了。日子好了。”大家很高兴。"]),
    ("印发《关于加强驻村工作的通知。附件》。随后落实。", ["印发《关于加强驻村工作的通知。附件》。", "随后落实。"]),
    ("（详见附件。）之后实施。", ["（详见附件。）之后实施。"]),
    # a closing quote right after the terminator stays with the sentence
    ("他说：“一定要脱贫。”", ["他说：“一定要脱贫。”"]),
    ("“要让群众富起来！”他说。", ["“要让群众富起来！”他说。"]),
    # a line break always ends a sentence, even without a terminator
    ("宁夏：党建引领脱贫\n闽宁协作深入推进。", ["宁夏：党建引领脱贫", "闽宁协作深入推进。"]),
    ("末尾没有标点", ["末尾没有标点"]),
    ("", []),
    ("   \n  \n", []),
])
def test_split(text, expected):
    assert texts(text) == expected


def test_spans_index_text_and_trim_blanks():
    text = "陕西：抓党建促脱贫\n\n  延安市选派干部。  榆林市组建工作队。\n"
    art = make_article(text)
    sents = split_sentences(art)
    assert [s.text for s in sents] == ["陕西：抓党建促脱贫", "延安市选派干部。", "榆林市组建工作队。"]
    for i, s in enumerate(sents):
        assert s.index == i
        assert s.article_id == art.id
        assert text[s.start:s.end] == s.text
    # paragraph = line of the text (blank lines count), as resolve.find_indicators reads it
    assert [s.paragraph for s in sents] == [0, 2, 2]


def test_unbalanced_quote_does_not_swallow_the_paragraph():
    text = "开头“没有闭合的引号" + "群众的日子越过越好" * 15 + "。下一句。再一句。"
    out = texts(text)
    assert out[-2:] == ["下一句。", "再一句。"]


def test_sentences_cover_the_text_in_order():
    text = "四川省委组织部印发通知。凉山州选派干部；昭觉县落实。\n第二段“引文。”结束！"
    sents = split_sentences(make_article(text))
    assert all(a.end <= b.start for a, b in zip(sents, sents[1:]))
    joined = "".join(s.text for s in sents)
    assert joined == text.replace("\n", "")
