"""Group mentions: generic kinds of actors and targets from ``groups.tsv``.

Every label and alias of the table is matched where it forms whole words (jieba boundaries),
longest first; a synonym is labelled with its group's canonical term (驻村帮扶工作队 →
驻村工作队). Counted nouns of indicators that are kinds of people or organisations become
groups in ``kg.resolve`` (they need the indicator stage first).

What this module does not do: find one specific organisation (bodies.py).
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..model import Mention
from ..resources import load_table, split_list
from .context import ArticleContext
from .phrases import term_hits


@lru_cache(maxsize=1)
def group_terms() -> tuple[tuple[str, str], ...]:
    """(surface, label) for every label and alias, longest surface first."""
    terms = []
    for row in load_table("groups.tsv"):
        terms.append((row["label"], row["label"]))
        terms += [(a, row["label"]) for a in split_list(row.get("aliases", ""))]
    return tuple(sorted(set(terms), key=lambda t: (-len(t[0]), t[0])))


@lru_cache(maxsize=1)
def generic_groups() -> frozenset[str]:
    """Kinds too general to be groups unless counted or targeted (``generic_groups.tsv``)."""
    return frozenset(r["label"] for r in load_table("generic_groups.tsv"))


@lru_cache(maxsize=1)
def label_of() -> dict[str, str]:
    return {surface: label for surface, label in group_terms()}


# 成立驻村帮扶工作办公室, 组建综合科技服务团, 成立若干技术服务小分队: a kind of working unit set up
# in many places (not one body: it has no region or parent of its own).
SET_UP_UNIT = re.compile(r"(?:成立|组建|设立)了?(?:若干|[一二三四五六七八九十两\d]+个)?"
                         r"([\u4e00-\u9fff]{2,10}?(?:办公室|服务团|服务队|小分队|工作专班|领导小组|工作组))")


def find(ctx: ArticleContext) -> list[Mention]:
    terms = group_terms()
    text = ctx.article.text
    hits = term_hits(text, [t[0] for t in terms], lambda s, e: ctx.on_cut(s, e) or _loose_cut(ctx, s, e))
    found = [Mention(ctx.article.id, ctx.sentence_at(s).index, s, e, terms[i][0], "Group",
                     label=terms[i][1], rule="group-lexicon") for s, e, i in hits]
    for m in SET_UP_UNIT.finditer(text):
        s, e = m.span(1)
        if any(f.start < e and s < f.end and not (s <= f.start and f.end <= e) for f in found):
            continue               # crosses a known term: the unit's name is not clear
        found = [f for f in found if not (s <= f.start and f.end <= e)]
        found.append(Mention(ctx.article.id, ctx.sentence_at(s).index, s, e, m.group(1), "Group",
                             label=m.group(1), rule="set-up-unit"))
    return found


@lru_cache(maxsize=1)
def people_heads() -> tuple[str, ...]:
    """Head nouns of kinds of people (干部, 书记, 人员 …), from ``counted_nouns.tsv``."""
    return tuple(r["word"] for r in load_table("counted_nouns.tsv")
                 if r.get("kind") in ("person", "household", "population"))


def _loose_cut(ctx: ArticleContext, start: int, end: int) -> bool:
    """A long term is specific enough to take even inside a longer token
    (整顿软弱涣散村党组织 holds 软弱涣散村党组织)."""
    return end - start >= 5
