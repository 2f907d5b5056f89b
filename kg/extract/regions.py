"""Region mentions: gazetteer matches resolved in the article's context, and deictic words.

A gazetteer match becomes a mention labelled with the division's full official name and
carrying its code and level. Deictic words (全省, 我市, 全县 …, from ``deictics.tsv``) become
mentions of the home chain's division at that level: 全省 in a Hunan article is 湖南省; such a
word (``is_deictic``: deictics.tsv, or a determiner and a level word of ``deictic_forms.tsv``) is
never an alias of the entity. 全区
refers to an autonomous region when the home chain has no county-level district. Named
villages (``villages.py``) are mentions labelled with their identity (name@county code) and
carrying their plain name and parent; 全村/本村/该村 are mentions of the village meant.

What this module does not do: decide whether a region is acting as a body (bodies.py).
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg.model import ArticleContext, EntityType, Mention
from kg.ingest.gazetteer_cache import gazetteer
from kg.resources import load_table
from kg.extract.context import region_label


DATELINE = re.compile(r"\d{1,2}月\d{1,2}日(?:电|讯)")


def find(ctx: ArticleContext) -> list[Mention]:
    """Region mentions: resolved gazetteer matches (not a dateline's city), villages, deictics
    (全县, 我省 …) and provinces abbreviated before a border word (冀晋交界)."""
    out = []
    for m in ctx.region_matches:
        d = ctx.resolved.get((m.start, m.end))
        if d is None or DATELINE.match(ctx.article.text, m.end):
            continue               # 人民网贵阳6月26日电: the dateline's city is not a subject
        s = ctx.sentence_at(m.start)
        out.append(Mention(ctx.article.id, s.index, m.start, m.end, m.surface, EntityType.REGION,
                           label=region_label(d), rule=f"gazetteer-{m.kind}",
                           attrs={"code": d.code, "level": d.level}))
    out.extend(village_mention(ctx, v, v.start, v.end, "village") for v in ctx.villages)
    out.extend(find_deictics(ctx))
    out.extend(border_abbreviations(ctx))
    return out


@lru_cache(maxsize=1)
def _border_re() -> re.Pattern:
    words = sorted((r["word"] for r in load_table("border_words.tsv")), key=len, reverse=True)
    return re.compile(r"([\u4e00-\u9fff]{2,4})(?=" + "|".join(map(re.escape, words)) + ")")


def border_abbreviations(ctx: ArticleContext) -> list[Mention]:
    """冀晋交界: each abbreviation of the run is a mention of its province (the longest run of
    abbreviations that ends at the border word; a run of one character names nothing)."""
    gaz, text, out = gazetteer(), ctx.article.text, []
    for m in _border_re().finditer(text):
        run = m.group(1)
        while run and not all(gaz.province_abbreviation(c) for c in run):
            run = run[1:]
        provinces = [gaz.province_abbreviation(c) for c in run]
        if len(run) < 2 or len(set(provinces)) < len(provinces):
            continue
        start = m.end() - len(run)
        s = ctx.sentence_at(start)
        for i, d in enumerate(provinces):
            out.append(Mention(ctx.article.id, s.index, start + i, start + i + 1, run[i], EntityType.REGION,
                               label=region_label(d), rule="abbreviation-compound",
                               attrs={"code": d.code, "level": d.level}))
    return out


def village_mention(ctx: ArticleContext, v, start: int, end: int, rule: str) -> Mention:
    """A mention of village ``v`` at ``start:end`` (its name, or a deictic word)."""
    s = ctx.sentence_at(start)
    return Mention(ctx.article.id, s.index, start, end, ctx.article.text[start:end], EntityType.REGION,
                   label=v.ident, rule=rule,
                   attrs={"code": "", "level": "village", "name": v.name, "ident": v.ident,
                          "parent": v.parent.code if v.parent else ""})


def find_deictics(ctx: ArticleContext) -> list[Mention]:
    """Mentions of deictic words (全县, 本市, 全村 …) resolved to the home region or village of
    their level; none where the article has no home at that level."""
    text, out = ctx.article.text, []
    in_village = {i for v in ctx.villages for i in range(v.start, v.end)}
    for row in load_table("deictics.tsv"):
        word = row["word"]
        if row["level"] == "village":
            out.extend(_village_deictics(ctx, word, in_village))
            continue
        d = ctx.home_at(row["level"])
        if d is None and word in ("全区", "我区"):
            d = ctx.home_at("province") if ctx.home_chain and "自治区" in ctx.home_chain[-1].name else None
        if d is None:
            continue
        start = text.find(word)
        while start >= 0:
            end = start + len(word)
            if ctx.on_cut(start, end) or text[end:end + 1] in ("", "共", "各", "范"):
                s = ctx.sentence_at(start)
                out.append(Mention(ctx.article.id, s.index, start, end, word, EntityType.REGION,
                                   label=region_label(d), rule="deictic",
                                   attrs={"code": d.code, "level": d.level}))
            start = text.find(word, end)
    return out


@lru_cache(maxsize=4096)
def is_deictic(form: str) -> bool:
    """A word that points at a division instead of naming it: one of ``deictics.tsv`` (村里 …) or a
    determiner and a level word of ``deictic_forms.tsv`` (全省, 本县, 该村, 我市).

    >>> is_deictic("全省"), is_deictic("该县"), is_deictic("村里"), is_deictic("全市村干部"), is_deictic("湖南")
    (True, True, True, False, False)
    """
    words, determiners, levels = _deictic_parts()
    return form in words or (form[:1] in determiners and form[1:] in levels)


@lru_cache(maxsize=1)
def _deictic_parts() -> tuple[frozenset, frozenset, frozenset]:
    forms = load_table("deictic_forms.tsv")
    return (frozenset(r["word"] for r in load_table("deictics.tsv")),
            frozenset(r["word"] for r in forms if r["part"] == "determiner"),
            frozenset(r["word"] for r in forms if r["part"] == "level"))


def _village_deictics(ctx: ArticleContext, word: str, in_village: set[int]) -> list[Mention]:
    text, out = ctx.article.text, []
    start = text.find(word)
    while start >= 0:
        v = ctx.village_before(start)
        if v is not None and start in ctx.cuts and start not in in_village and start + len(word) - 1 not in in_village:
            out.append(village_mention(ctx, v, start, start + len(word), "deictic"))
        start = text.find(word, start + len(word))
    return out
