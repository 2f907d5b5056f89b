"""Document mentions: titles in 《》 and untitled regulations with a document head.

《关于…的通知》 → Document 关于…的通知 (inner “” kept). A regulation named without 《》 is
taken when an issuing or applying verb stands before a phrase that ends in a document head
(…管理办法, …实施细则, …专项方案) or in "N条" (加强…建设36条), cut on the left like any noun phrase.

What this module does not do: decide who issued the document (relations.py).
"""
from __future__ import annotations

import re

from kg.model import ArticleContext, EntityType, Mention
from kg.extract.phrases import extend_left, is_han
from kg.resources import alternation, char_class
from kg.extract.limits import MAX_TITLE, REGULATION_LEFT_CHARS, REGULATION_MIN_CHARS

TITLE = re.compile(r"《([^《》\n]{2,80})》")
REGULATION_HEAD = re.compile(f"(?:{alternation('name_edge_words.tsv', 'regulation_head')})"
                             + r"|(?<=[\u4e00-\u9fff])[1-9]\d条(?=[、，。；,;])")
COUNTED_BEFORE = char_class("tiao_counted")   # "帮扶措施15条" counts measures; it is not a title
# Verbs after which an untitled regulation's name begins (titles themselves often start with
# a verb: 出台加强…建设36条, so a verb inside the name must not cut it).
INTRODUCERS = re.compile(f"(?:{alternation('name_edge_words.tsv', 'document_verb')})")


def _title_start(ctx: ArticleContext, head_start: int) -> int:
    text = ctx.article.text
    sent = ctx.sentence_at(head_start)
    window_start = max(sent.start, head_start - MAX_TITLE)
    cut = max(text.rfind(p, window_start, head_start) for p in "，,；;：:、（(“")
    start = cut + 1 if cut >= 0 else window_start
    verbs = [v for v in INTRODUCERS.finditer(text, start, head_start)]
    if verbs:
        return verbs[-1].end()
    if cut >= 0 and text[cut] == "、":
        return cut + 1             # the next item of an enumeration of regulations
    return extend_left(ctx, head_start, max_chars=REGULATION_LEFT_CHARS)


def find(ctx: ArticleContext) -> list[Mention]:
    """Document mentions: titles in 《》 and unquoted names of rules (…实施方案, …管理办法, 20条)."""
    text, out = ctx.article.text, []
    titled = []
    for m in TITLE.finditer(text):
        s = ctx.sentence_at(m.start(1))
        out.append(Mention(ctx.article.id, s.index, m.start(1), m.end(1), m.group(1), EntityType.DOCUMENT,
                           label=m.group(1).strip(), rule="《》"))
        titled.append((m.start(), m.end()))
    for m in REGULATION_HEAD.finditer(text):
        if any(s <= m.start() < e for s, e in titled):
            continue
        if m.group()[-1] == "条" and text[m.start() - 1] in COUNTED_BEFORE:
            continue
        start = _title_start(ctx, m.start())
        phrase = text[start:m.end()]
        if len(phrase) - len(m.group()) < REGULATION_MIN_CHARS or not is_han(text[start:m.start()]):
            continue
        s = ctx.sentence_at(start)
        out.append(Mention(ctx.article.id, s.index, start, m.end(), phrase, EntityType.DOCUMENT,
                           label=phrase, rule="regulation-head"))
    return out
