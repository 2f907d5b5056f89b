"""What every mention finder needs to know about one article, computed once.

``ArticleContext`` holds the article, its sentences with their jieba tokens, the gazetteer's
region matches over the whole text, and the article's home region with its ancestors (the
chain that relative names such as 省委 or 全县 refer to), and which sentences are photo
captions (``kg.ingest.captions``), which no finder reads.

The context is built, and its home region found, by ``kg.extract.home.build_context``.

What this module does not do: find bodies, groups or initiatives (the sibling modules do).
"""
from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import re

from kg.model import Article, Sentence, Token
from kg.ingest.gazetteer import Division, RegionMatch
from kg.ingest.gazetteer_cache import gazetteer
from kg.extract.villages import Village
from kg.resources import load_table
from kg.extract.limits import TITLE_PROBE_CHARS

# How specific a level is, to pick the smallest division (higher = smaller; a named area spanning
# provinces the least). Not the gazetteer's LEVEL_RANK, which orders from the top with areas below provinces.
LEVEL_DEPTH = {"province": 1, "prefecture": 2, "county": 3, "township": 4, "village": 5, "area": 0}
META_LINE = re.compile(r"(?:来源|作者|编辑|发布时间|发布日期)\s*[:：]")
VILLAGE_DEICTICS = tuple(r["word"] for r in load_table("deictics.tsv") if r["level"] == "village")


@dataclass
class ArticleContext:
    """One article with its sentences, tokens, token boundaries, region matches, home region
    and villages: what every finder reads (see the module docstring)."""
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
        """Whether both ends of ``[start, end)`` fall on token boundaries."""
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
