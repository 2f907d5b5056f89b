"""What every mention finder needs to know about one article, computed once: the helpers of
``kg.model.ArticleContext`` that need the gazetteer.

The context (``kg.model.ArticleContext``) holds the article, its sentences with their jieba
tokens, the gazetteer's region matches over the whole text, and the article's home region with
its ancestors (the chain that relative names such as 省委 or 全县 refer to), and which sentences
are photo captions (``kg.ingest.captions``), which no finder reads. Here: a region's canonical
label (``region_label``), the home region's (``home_label``), the title's span, a village
story's village, and one division per region match.

The context is built, and its home region found, by ``kg.extract.home.build_context``.

What this module does not do: find bodies, groups or initiatives (the sibling modules do).
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

import re

from kg.model import Article, ArticleContext, Division, RegionMatch, Village
from kg.ingest.gazetteer_cache import gazetteer
from kg.resources import load_table
from kg.extract.limits import TITLE_PROBE_CHARS

# How specific a level is, to pick the smallest division (higher = smaller; a named area spanning
# provinces the least). Not the gazetteer's LEVEL_RANK, which orders from the top with areas below provinces.
LEVEL_DEPTH = {"province": 1, "prefecture": 2, "county": 3, "township": 4, "village": 5, "area": 0}
META_LINE = re.compile(r"(?:来源|作者|编辑|发布时间|发布日期)\s*[:：]")
VILLAGE_DEICTICS = tuple(r["word"] for r in load_table("deictics.tsv") if r["level"] == "village")


def home_label(ctx: ArticleContext) -> str | None:
    """The identity label of the article's home region: the home village's, else the division's."""
    if ctx.home_village is not None:
        return ctx.home_village.ident
    return region_label(ctx.home) if ctx.home else None


@lru_cache(maxsize=None)
def region_label(d: Division) -> str:
    """A region's canonical label: its full name, qualified by its parent's when several
    divisions of China bear the same full name (开封市鼓楼区 vs 福州市鼓楼区), so that two
    different places never become one node."""
    gaz = gazetteer()
    namesakes = [x for x in gaz.lookup(d.name) if x.name == d.name]
    if len(namesakes) > 1:
        parent = gaz.parent(d)
        if parent is not None:
            return parent.name + d.name
    return d.name


def title_span(article: Article) -> tuple[int, int]:
    """Where the title stands in the text: its first line (from the title's start when a
    dateline opens the line, 新华社某地电 题:…), with a subtitle line (——…) joined to it."""
    text = article.text
    if not article.title:
        return (0, 0)
    first = text.find("\n")
    first = len(text) if first < 0 else first
    start = text.find(article.title[:TITLE_PROBE_CHARS], 0, first)
    end = first
    if end < len(text) and text.startswith("——", end + 1) and text[end + 1:].split("\n")[0] in article.title:
        end = text.find("\n", end + 1) if "\n" in text[end + 1:] else len(text)
    return (max(start, 0), end)


def lead_village(ctx: ArticleContext) -> Village | None:
    """The village of a village story under a county headline (某县:…): the lead sentence of
    the body names one village inside the county, the article names no other, and refers to
    it again (by name or 全村/本村/该村/村里)."""
    home = ctx.home
    if home is None or home.level not in ("county", "township") or not ctx.villages:
        return None
    text = ctx.article.text
    lead = next((s for s in ctx.sentences if s.start >= ctx.title_span[1] and not ctx.in_caption(s.index)
                 and not META_LINE.search(s.text)), None)
    if lead is None or len({v.ident for v in ctx.villages}) != 1:
        return None
    v = ctx.villages[0]
    if not lead.start <= v.start < lead.end or v.parent is None:
        return None
    if v.parent != home and home not in gazetteer().ancestors(v.parent):
        return None
    again = len(ctx.villages) - 1 + sum(text.count(w, lead.end) for w in VILLAGE_DEICTICS)
    return v if again >= 1 else None


def resolve_matches(matches: list[RegionMatch], home_chain: list[Division]) -> dict:
    """Pick one division per match: unique ones first, then ambiguous ones in their light."""
    gaz = gazetteer()
    out: dict[tuple[int, int], Division] = {}
    seen = Counter(home_chain)     # counted, not listed: resolving stays linear in the matches
    for m in matches:
        if len(m.candidates) == 1:
            out[(m.start, m.end)] = m.candidates[0]
            seen[m.candidates[0]] += 1
    answers: dict[tuple, Division | None] = {}      # the context is fixed now: one answer per name
    for m in matches:
        if len(m.candidates) > 1:
            if m.candidates not in answers:
                answers[m.candidates] = gaz.resolve(list(m.candidates), seen)
            d = answers[m.candidates]
            if d is not None:
                out[(m.start, m.end)] = d
    return out
