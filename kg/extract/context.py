"""What every mention finder needs to know about one article, computed once.

``ArticleContext`` holds the article, its sentences with their jieba tokens, the gazetteer's
region matches over the whole text, and the article's home region with its ancestors (the
chain that relative names such as 省委 or 全县 refer to), and which sentences are photo
captions (``kg.captions``), which no finder reads.

The home region is the most specific region the title names (a same-named one resolved by the
body: 朝阳 → 朝阳市 or 朝阳区). Failing that, it is the region the body is about: the one it names most
often as a place in its own right (not as a qualifier in a chain such as 湖南省怀化市通道县,
only half as the seat of a body such as 某省发展改革委, never in a caption, a 来源 line or a
dateline). A region the byline or source names (a city's newspaper or WeChat account) is the
home only when the body is not about a region inside it. A village the title names is the home
village; so is the one village a county story names in its lead and keeps to (某县: a village
story): figures and initiatives default to it, while 全县 still refers to the division chain.

What this module does not do: find bodies, groups or initiatives (the sibling modules do).
"""
from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import re

from ..captions import caption_lines
from ..model import Article, Sentence, Token
from ..regions import Division, RegionMatch
from ..regions_data import gazetteer
from ..segment import boundaries, tokenize
from ..sentences import split_sentences
from .villages import Village, assign_parents, find_spans, inner_matches

LEVEL_RANK = {"province": 1, "prefecture": 2, "county": 3, "township": 4, "village": 5, "area": 0}
DATELINE = re.compile(r"\d{1,2}月\d{1,2}日(?:电|讯)|(?:在线|网|台)?[^\s,，。]{0,4}(?:频道)?消息")
META_LINE = re.compile(r"(?:来源|作者|编辑|发布时间|发布日期)\s*[:：]")
VILLAGE_DEICTICS = ("全村", "本村", "该村", "村里")


@dataclass
class ArticleContext:
    article: Article
    sentences: list[Sentence]
    tokens: dict[int, list[Token]]                 # sentence index -> tokens
    cuts: set[int]                                 # every token boundary in the article
    region_matches: list[RegionMatch]
    home: Division | None = None
    home_chain: list[Division] = field(default_factory=list)   # home first, then ancestors
    resolved: dict[tuple[int, int], Division] = field(default_factory=dict)  # span -> region
    villages: list[Village] = field(default_factory=list)      # named villages, left to right
    home_village: Village | None = None        # the village a village story is about
    captions: frozenset[int] = frozenset()     # indices of sentences in photo captions
    title_span: tuple[int, int] = (0, 0)       # where the title stands in the text

    def in_caption(self, sentence: int) -> bool:
        """Whether sentence ``sentence`` (an index) belongs to a photo caption."""
        return sentence in self.captions

    def sentence_at(self, pos: int) -> Sentence:
        """The sentence holding ``pos`` (else the last): sentences are sorted and disjoint."""
        i = bisect_right(self._starts, pos) - 1
        if i >= 0 and pos < self.sentences[i].end:
            return self.sentences[i]
        return self.sentences[-1]

    @cached_property
    def _starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def home_at(self, level: str) -> Division | None:
        """The home chain's division of ``level`` (省 → province …), if any."""
        for d in self.home_chain:
            if d.level == level:
                return d
        return None

    def on_cut(self, start: int, end: int) -> bool:
        return start in self.cuts and end in self.cuts

    def home_label(self) -> str | None:
        """The identity label of the home region: the home village's, else the division's."""
        if self.home_village is not None:
            return self.home_village.ident
        return region_label(self.home) if self.home else None

    def village_before(self, pos: int) -> Village | None:
        """The village a deictic at ``pos`` (本村, 全村) refers to: the nearest one named
        before it, else the home village."""
        before = [v for v in self.villages if v.end <= pos]
        return before[-1] if before else self.home_village


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


def build_context(article: Article) -> ArticleContext:
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


def title_span(article: Article) -> tuple[int, int]:
    """Where the title stands in the text: its first line (from the title's start when a
    dateline opens the line, 新华社某地电 题:…), with a subtitle line (——…) joined to it."""
    text = article.text
    if not article.title:
        return (0, 0)
    first = text.find("\n")
    first = len(text) if first < 0 else first
    start = text.find(article.title[:8], 0, first)
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
    return max(ds, key=lambda d: LEVEL_RANK[d.level]) if ds else None


def _body_topic(ctx: ArticleContext, villages: list[Village]) -> tuple[Division | None, list[Division]]:
    """The region the body is about, and every unique division the body names.

    Each unique match counts 1 where it names a place in its own right; 0 as a qualifier
    followed by another region or a village (湖南省|怀化市|通道县, 某县|某某村), in a caption,
    a 来源 line, a dateline or a person's name; ½ as the seat of a body (某省|发展改革委). Ties go to the more
    region that holds the most of the others (a province whose cities are listed), then to the
    more specific one."""
    from .bodies import parse_suffix     # bodies and persons build on this module
    from .persons import find as find_persons
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
    best = max(score, key=lambda k: (score[k], holds(k), LEVEL_RANK[unique[k].level], k))
    return unique[best], named
