"""The words programme and measure names are made of, and the rules for their labels: head words
(``initiative_heads.tsv``: 工程, 行动, 制度 … and whether each makes a Programme or a Measure), scope
words set apart from a name (``scope_words.tsv``), the nouns that classify quoted names
(vehicles: 载体, 平台 → Programme; 措施, 政策 → Measure), phrases that are never initiatives, and the
label of a quoted name.

What this module does not do: find mentions in an article (``kg.extract.initiatives``).
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg.model import INITIATIVE_TYPES
from kg.resources import char_class, load_table
from kg.extract.phrases import holds_boundary_word, is_han
from kg.extract.limits import HEAD_TAIL_CHARS, HEAD_WORD_CHARS, SCOPED_NAME_MIN

SINGLE_CHAR_BREAKS = char_class("initiative_break")


def scope_words(use: str) -> tuple[str, ...]:
    """The words of ``scope_words.tsv`` marked for ``use`` (initiative, level, group), in table order:
    words that set the scope of a name without being part of it (党支部五化建设 → 五化建设)."""
    return tuple(r["word"] for r in load_table("scope_words.tsv") if r[use])


# Before a quoted name any scope word is set apart; before an unquoted one only the level.
SCOPE_WORDS = scope_words("initiative")
LEVEL_SCOPE_WORDS = scope_words("level")
# Nouns that classify the quoted names before them (“十大支持”“十大放开”政策 are two measures).
VEHICLES = {r["word"]: r["value"] for r in load_table("name_edge_words.tsv") if r["kind"] == "vehicle"}
MODIFIED_VEHICLE = re.compile(r"([\u4e00-\u9fff]{1,4}?)(" + "|".join(VEHICLES) + ")")
NUMBER_SET = re.compile(r"^[一二三四五六七八九十两百千]+[个大项条][\u4e00-\u9fff]{1,8}$")
# A named set in quotes: “三资”, “两免一补”, “三清一改”, “一户一策”, “两学一做” — a numeral with one or
# two characters, repeated (gold NOTES 15, dev NOTES 12).
SET_NAME = re.compile(r"^(?:[一二三四五六七八九十两]+[个大项条位]?[\u4e00-\u9fff]{1,2}?){1,3}$")
# A phrase built on a numbered modifier (四级网格体系, 三级联动机制) names a set without a verb.
NUMBERED_MODIFIER = re.compile(r"[一二三四五六七八九十两]+[级大项][\u4e00-\u9fff]{0,4}$")
# 视为最紧迫的民生课题: a superlative of degree evaluates; it names nothing.
SUPERLATIVE = re.compile(r"最(?:大|重要|好|根本|紧迫|突出|关键|基本)")
TYPE_CODES = {"P": "Programme", "M": "Measure", "Programme": "Programme", "Measure": "Measure",
              "D": "Document", "Document": "Document"}


@lru_cache(maxsize=1)
def heads() -> dict[str, str]:
    """Head word → initiative type (Programme, Measure, …) from ``initiative_heads.tsv``."""
    return {r["head"]: TYPE_CODES.get(r["type"], r["type"]) for r in load_table("initiative_heads.tsv")}


@lru_cache(maxsize=1)
def head_use() -> dict[str, str]:
    """strong | weak | quoted: where a head word may end a name (see initiative_heads.tsv)."""
    return {r["head"]: r.get("use") or "strong" for r in load_table("initiative_heads.tsv")}


@lru_cache(maxsize=2)
def head_pattern(unquoted: bool = False) -> re.Pattern:
    """A regex of the Programme and Measure head words, longest first; ``unquoted`` leaves out
    the heads that make a name only inside quotes."""
    names = sorted((h for h, t in heads().items() if t in INITIATIVE_TYPES
                    and not (unquoted and head_use()[h] == "quoted")), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


@lru_cache(maxsize=1)
def not_initiatives() -> frozenset[str]:
    """Phrases that look like initiatives but are not (``not_initiatives.tsv``)."""
    return frozenset(r["phrase"] for r in load_table("not_initiatives.tsv"))


@lru_cache(maxsize=1)
def fields() -> tuple[str, ...]:
    """Overall policy fields (脱贫攻坚 …): a quoted name right after one is its epithet."""
    return tuple(r["phrase"] for r in load_table("not_initiatives.tsv") if r["why"] == "field")


@lru_cache(maxsize=1)
def set_followers(kind: str) -> tuple[str, ...]:
    """Words after a quoted set that show it is no initiative (``set_followers.tsv``)."""
    return tuple(r["word"] for r in load_table("set_followers.tsv") if r["kind"] == kind)


@lru_cache(maxsize=1)
def abstract_nouns() -> tuple[str, ...]:
    """Nouns a numeral phrase names a slogan or an aspect with (两个方面, 四个意识)."""
    return tuple(r["word"] for r in load_table("counted_nouns.tsv") if r.get("kind") == "abstract")


def clean_label(text: str) -> str:
    """``text`` without quotes, 《》 and whitespace: the label of a quoted name.

    >>> clean_label("“一村一品” 工程")
    '一村一品工程'
    """
    return re.sub(r"[“”\"'‘’《》\s]", "", text)


def split_scope(label: str, words: tuple[str, ...] = SCOPE_WORDS) -> tuple[str, str | None]:
    """A label opening with a scope word (党支部, 全县 …) → (the label without it, the whole
    label); other labels → (label, None).

    >>> split_scope("党支部五化建设")
    ('五化建设', '党支部五化建设')
    >>> split_scope("全县道路硬化工程")
    ('道路硬化工程', '全县道路硬化工程')
    >>> split_scope("全县示范")            # fewer than four characters would be left
    ('全县示范', None)
    """
    for w in words:
        if label.startswith(w) and len(label) - len(w) >= SCOPED_NAME_MIN:
            return label[len(w):], label
    return label, None


def head_at(text: str, pos: int, max_tail: int = HEAD_TAIL_CHARS) -> tuple[str, str, int] | None:
    """The furthest head word within ``max_tail`` Han characters of ``pos``: (tail, head, end).

    A leading 的 is allowed and dropped (“三对一”的模式 → tail '' + 模式)."""
    if text.startswith("的", pos):
        pos += 1
        found = head_at(text, pos, max_tail)
        return ("", found[1], found[2]) if found else None
    best = None
    for m in head_pattern().finditer(text, pos, min(len(text), pos + max_tail + HEAD_WORD_CHARS)):
        tail = text[pos:m.start()]
        if len(tail) > max_tail or (tail and not is_han(tail)):
            break
        if holds_boundary_word(tail) or set(tail) & SINGLE_CHAR_BREAKS:
            break
        best = (tail, m.group(), m.end())
    return best
