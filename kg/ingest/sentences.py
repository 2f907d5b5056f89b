"""Split an article's cleaned text into sentences.

A sentence ends at 。！？；!?; (full- or half-width) outside quotation marks and brackets, and
always at a line break (each line of cleaned text is a paragraph or a heading). Closing quotes
right after a terminator stay with the sentence. A sentence longer than ``MAX_SENTENCE`` (no
prose has one) is cut into pieces no longer, at a clause mark when there is one in the second
half of the piece: every finder's work per sentence stays bounded, so an article's extraction
time grows linearly with its length however it is punctuated. Spans index ``Article.text``; leading and
trailing blanks are trimmed off the span, empty sentences are dropped.

What this module does not do: clean the text (``kg.ingest.read``) or split into words (``kg.ingest.segment``).
"""
from __future__ import annotations

import re

from kg.model import Article, Sentence

TERMINATORS = set("。！？；!?;")
OPENERS = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》", "（": "）", "(": ")"}
CLOSERS = {v: k for k, v in OPENERS.items()}
TRAILING = set("”’」』）)")
MAX_QUOTE = 120  # longer "quotes" are taken as unbalanced
MAX_SENTENCE = 500   # characters; the longest sentence of seeds/ has 204
CLAUSE_MARKS = set("，,、：:—… \t")
_MARKS = re.compile("[" + re.escape("\n" + "".join(OPENERS) + "".join(CLOSERS) + "".join(TERMINATORS)) + "]")


def split_sentences(article: Article) -> list[Sentence]:
    """The article's sentences with their spans and paragraph numbers: split at 。！？；!?; and line
    ends, never inside quotes or brackets."""
    text = article.text
    spans: list[tuple[int, int, int]] = []
    start, paragraph, depth, opened_at = 0, 0, [], 0
    i, n = 0, len(text)
    while i < n:
        m = _MARKS.search(text, i)      # jump over the characters that change nothing
        if m is None:
            break
        i = m.start()
        ch = text[i]
        if ch == "\n":
            spans.append((start, i, paragraph))
            start, depth = i + 1, []
            paragraph += 1
        elif ch in OPENERS:
            if not depth:
                opened_at = i
            depth.append(OPENERS[ch])
        elif ch in CLOSERS:
            if depth and depth[-1] == ch:
                depth.pop()
        elif ch in TERMINATORS and depth and i - opened_at > MAX_QUOTE:
            depth = []  # an unbalanced quote must not swallow the paragraph
            continue
        elif ch in TERMINATORS and not depth:
            end = i + 1
            while end < n and (text[end] in TERMINATORS or text[end] in TRAILING):
                end += 1
            spans.append((start, end, paragraph))
            start = end
            i = end
            continue
        i += 1
    spans.append((start, n, paragraph))

    sentences = []
    spans = [piece for span in spans for piece in _bounded(text, *span)]
    for s, e, para in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            sentences.append(Sentence(article.id, len(sentences), s, e, text[s:e], para))
    return sentences


def _bounded(text: str, start: int, end: int, paragraph: int) -> list[tuple[int, int, int]]:
    """A span cut into pieces of at most MAX_SENTENCE characters, each ending after a clause
    mark when the second half of the piece has one."""
    out = []
    while end - start > MAX_SENTENCE:
        cut = start + MAX_SENTENCE
        for i in range(cut, start + MAX_SENTENCE // 2, -1):
            if text[i - 1] in CLAUSE_MARKS:
                cut = i
                break
        out.append((start, cut, paragraph))
        start = cut
    out.append((start, end, paragraph))
    return out
