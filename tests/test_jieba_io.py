"""``Words.cut`` (its best route from jieba_fast_dat's compiled ``_get_DAG_and_calc``) gives
jieba's own words, word for word: on sentences with numbers, dates, Latin letters, characters
neither dictionary nor HMM knows, runs of single characters its HMM joins (names) or that are a
word of the dictionary (jieba leaves those single), and a dictionary where two routes score exactly the same (jieba keeps
the longer first word; a compiled cut that keeps the first best does not)."""
from __future__ import annotations

import pytest

from kg.ingest.jieba_io import Words, default_frequencies
from kg.ingest.segment import tokenizer

TRICKY = [
    "湖南省委组织部驻村工作队进驻十八洞村，帮扶贫困户。",
    "全省村党组织书记平均年龄46.3岁，50.6%的村集体经济超过4万元。",
    "发布时间：2019-06-14 11:22 作者：千阳县委组织部 刘晓娟 程 婕",
    "对2014-2015年度的T恤、B超和CEO进行考核；版本v2.0.1_beta#3&4。",
    "不担当膯挝缓蛡€人依纪依规严肃追责问责。",
    "第一书记艾尔肯·吐尔逊和张建国、李秀英走访了王家坪村。",
    "𠀀𠀁龥鿕鿖\u3400\u4dbf，全角１２３ＡＢＣ和\r\n换行\t制表。",
    "驻村驻村驻村工作队队队员员",
    "",
]


@pytest.mark.parametrize("text", TRICKY)
def test_cut_is_jiebas_cut(text):
    words = tokenizer()
    assert words.cut(text) == list(words._tk.cut(text, HMM=True))


def test_a_tie_keeps_the_longer_first_word_as_jieba_does():
    _, total = default_frequencies()
    words = Words({"甲": 5, "丙": 5, "甲乙": 9, "乙丙": 9}, total)
    assert list(words._tk.cut("甲乙丙", HMM=True)) == ["甲乙", "丙"]      # the two routes sum alike
    assert words.cut("甲乙丙") == ["甲乙", "丙"]
    overlay = Words({"甲": 5, "丙": 5, "甲乙": 9, "乙丙": 9}, total, overlay=True)
    assert overlay.cut("她说甲乙丙，甲乙丙。") == list(words._tk.cut("她说甲乙丙，甲乙丙。", HMM=True))


def test_a_dictionary_the_compiled_trie_cannot_hold_is_refused():
    _, total = default_frequencies()
    with pytest.raises(ValueError):
        Words({"甲乙": 3_000_000}, total).cut("甲乙")


def test_single_characters_that_make_a_word_are_not_given_to_the_hmm():
    _, total = default_frequencies()
    words = Words({"王": 10**6, "小": 10**6, "明": 10**6, "王小明": 1}, total)   # the route keeps 王 小 明 apart
    assert words.cut("记者王小明报道") == list(words._tk.cut("记者王小明报道", HMM=True)) == ["记者", "王", "小", "明", "报道"]
