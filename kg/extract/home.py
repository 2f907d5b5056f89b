"""Building an article's context (``build_context``) and finding its home region.

The home region is the most specific region the title names (a same-named one resolved by the
body: 朝阳 → 朝阳市 or 朝阳区). Failing that, it is the region the body is about: the one it names most
often as a place in its own right (not as a qualifier in a chain such as 湖南省怀化市通道县,
only half as the seat of a body such as 某省发展改革委, never in a caption, a 来源 line or a
dateline). A region the byline or source names (a city's newspaper or WeChat account) is the
home only when the body is not about a region inside it. A village the title names is the home
village; so is the one village a county story names in its lead and keeps to (某县: a village
story): figures and initiatives default to it, while 全县 still refers to the division chain.

This sits above the finders it uses (persons, for names that hold a region's name; bodies, for
the seat of a body), which themselves build on ``kg.extract.context``.

What this module does not do: find mentions (the finder modules do).
"""
from __future__ import annotations

import re
from collections import Counter

from kg.ingest.captions import caption_lines
from kg.model import Article, ArticleContext, Division, RegionMatch, Village
from kg.ingest.gazetteer_cache import gazetteer
from kg.ingest.segment import boundaries, tokenize
from kg.ingest.sentences import split_sentences
from kg.extract.bodies import parse_suffix
from kg.extract.context import LEVEL_DEPTH, META_LINE, lead_village, resolve_matches, title_span
from kg.extract.persons import find as find_persons
from kg.extract.villages import assign_parents, find_spans, inner_matches

DATELINE = re.compile(r"\d{1,2}月\d{1,2}日(?:电|讯)|(?:在线|网|台)?[^\s,，。]{0,4}(?:频道)?消息")


def build_context(article: Article) -> ArticleContext:
    """The context of ``article``: sentences, tokens, region matches, home region, villages."""
    sentences = split_sentences(article)
    tokens = {s.index: tokenize(s.text, s.start) for s in sentences}
    cuts: set[int] = set()
    for toks in tokens.values():
        cuts |= boundaries(toks)
    gaz = gazetteer()
    matches = gaz.find(article.text)
    villages = find_spans(article.text, matches, cuts)
    inner = inner_matches(villages, matches)     # 大同 in 某某大同村 names no city
    matches = [m for m in matches if (m.start, m.end) not in inner and not _quoted_word(article.text, m)]
    ctx = ArticleContext(article, sentences, tokens, cuts, matches)
    lines = caption_lines(article.text)
    ctx.captions = frozenset(s.index for s in sentences if s.paragraph in lines)
    ctx.title_span = title_span(article)
    ctx.home = home_region(ctx, villages)
    ctx.home_chain = [ctx.home, *gaz.ancestors(ctx.home)] if ctx.home else []
    ctx.resolved = resolve_matches(matches, ctx.home_chain)
    ctx.villages = assign_parents(villages, ctx.resolved, lambda pos: ctx.sentence_at(pos).start,
                                  ctx.home_chain)
    start, end = ctx.title_span
    in_title = [v for v in ctx.villages if start <= v.start and v.end <= end]
    ctx.home_village = in_title[-1] if in_title else lead_village(ctx)   # 某县某村第一书记…
    return ctx


def _quoted_word(text: str, m: RegionMatch) -> bool:
    """“大同”梦: a short form alone in quotation marks is a word under discussion, not a place."""
    return m.kind == "short" and text[m.start - 1:m.start] in ("“", "‘", "「", "『") \
        and text[m.end:m.end + 1] in ("”", "’", "」", "』")


def home_region(ctx: ArticleContext, villages: list[Village]) -> Division | None:
    """The article's home region (see the module docstring)."""
    gaz = gazetteer()
    article, matches = ctx.article, ctx.region_matches
    topic, named = _body_topic(ctx, villages)
    if article.title:
        start, end = ctx.title_span
        found = [m for m in matches if start <= m.start and m.end <= end]
        ds = [m.candidates[0] if len(m.candidates) == 1 else gaz.resolve(list(m.candidates), named)
              for m in found]
        d = _most_specific([d for d in ds if d is not None])
        if d:
            return d
    for meta in (article.author, article.source):
        if meta:
            d = _most_specific([m.candidates[0] for m in gaz.find(meta) if len(m.candidates) == 1])
            if d:
                # a city's paper or account reporting one county: the county is the topic
                return topic if topic is not None and gaz.is_within(topic, d) and topic != d else d
    return topic


def _most_specific(ds: list[Division]) -> Division | None:
    ds = [d for d in ds if d.level != "area"]
    return max(ds, key=lambda d: LEVEL_DEPTH[d.level]) if ds else None


def _body_topic(ctx: ArticleContext, villages: list[Village]) -> tuple[Division | None, list[Division]]:
    """The region the body is about, and every unique division the body names.

    Each unique match counts 1 where it names a place in its own right; 0 as a qualifier
    followed by another region or a village (湖南省|怀化市|通道县, 某县|某某村), in a caption,
    a 来源 line, a dateline or a person's name; ½ as the seat of a body (某省|发展改革委). Ties go to the more
    region that holds the most of the others (a province whose cities are listed), then to the
    more specific one."""
    text = ctx.article.text
    names = [(p.start, p.end) for p in find_persons(ctx)]     # 叶丽江 names no 丽江市
    starts = {m.start for m in ctx.region_matches} | {v.start for v in villages}
    score: Counter = Counter()
    unique: dict[str, Division] = {}
    for m in ctx.region_matches:
        if len(m.candidates) != 1 or m.candidates[0].level in ("township", "area"):
            continue
        d = m.candidates[0]
        unique[d.code or d.name] = d
        s = ctx.sentence_at(m.start)
        if m.end in starts or ctx.in_caption(s.index) or META_LINE.search(s.text) \
                or DATELINE.match(text, m.end) or any(a <= m.start < b for a, b in names):
            continue
        score[d.code or d.name] += 0.5 if parse_suffix(text, m.end) else 1
    named = list(unique.values())
    if not score:
        return None, named
    gaz = gazetteer()

    def holds(k: str) -> int:
        return sum(1 for o in score if o != k and gaz.is_within(unique[o], unique[k]))
    best = max(score, key=lambda k: (score[k], holds(k), LEVEL_DEPTH[unique[k].level], k))
    return unique[best], named
