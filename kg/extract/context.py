"""What every mention finder needs to know about one article, computed once.

``ArticleContext`` holds the article, its sentences with their jieba tokens, the gazetteer's
region matches over the whole text, and the article's home region with its ancestors (the
chain that relative names such as 省委 or 全县 refer to). The home region is the most specific
region the title names; failing that, the one the byline or source names; failing that, the
region the body names most often. A village the title names is the home village: figures
and initiatives default to it, while 全县 still refers to the division chain.

What this module does not do: find bodies, groups or initiatives (the sibling modules do).
"""
from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from ..model import Article, Sentence, Token
from ..regions import Division, RegionMatch, gazetteer
from ..segment import boundaries, tokenize
from ..sentences import split_sentences
from .villages import Village, assign_parents, find_spans, inner_matches

LEVEL_RANK = {"province": 1, "prefecture": 2, "county": 3, "township": 4, "village": 5, "area": 0}


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
    matches = [m for m in matches if (m.start, m.end) not in inner]
    ctx = ArticleContext(article, sentences, tokens, cuts, matches)
    ctx.home = home_region(article, matches)
    ctx.home_chain = [ctx.home, *gaz.ancestors(ctx.home)] if ctx.home else []
    ctx.resolved = resolve_matches(matches, ctx.home_chain)
    ctx.villages = assign_parents(villages, ctx.resolved, lambda pos: ctx.sentence_at(pos).start,
                                  ctx.home_chain)
    title_end = article.text.find("\n")
    in_title = [v for v in ctx.villages if article.title and v.end <= title_end]
    ctx.home_village = in_title[-1] if in_title else None   # 某县某村第一书记…: a village story
    return ctx


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


def home_region(article: Article, matches: list[RegionMatch]) -> Division | None:
    gaz = gazetteer()
    title_end = article.text.find("\n")
    title_end = len(article.text) if title_end < 0 else title_end
    body_counts: Counter = Counter()
    unique_body: dict[str, Division] = {}
    for m in matches:
        if len(m.candidates) == 1 and m.candidates[0].level != "township":
            d = m.candidates[0]
            body_counts[d.code or d.name] += 1
            unique_body[d.code or d.name] = d

    def one(m: RegionMatch) -> Division | None:
        """A match's division: its only candidate, or the one the body names unambiguously
        (资阳 in a title, 资阳市 in the body)."""
        named = [c for c in m.candidates if (c.code or c.name) in unique_body]
        return m.candidates[0] if len(m.candidates) == 1 else (named[0] if len(named) == 1 else None)

    def most_specific(found: list[RegionMatch]) -> Division | None:
        ds = [d for d in map(one, found) if d is not None and d.level != "area"]
        return max(ds, key=lambda d: LEVEL_RANK[d.level]) if ds else None

    if article.title:
        in_title = [m for m in matches if m.end <= title_end]
        d = most_specific(in_title)
        if d:
            return d
    for meta in (article.author, article.source):
        if meta:
            d = most_specific(gaz.find(meta))
            if d:
                return _lead_refines(article.text, matches, d)
    ranked = [(n, -LEVEL_RANK[unique_body[k].level], k) for k, n in body_counts.items()
              if unique_body[k].level != "area"]
    if not ranked:
        return None
    ranked.sort(reverse=True)
    return unique_body[ranked[0][2]]


def _lead_refines(text: str, matches: list[RegionMatch], d: Division) -> Division:
    """An outlet's region (党建白城 → 白城市) yields to a place inside it that the first line
    naming a region names (吉林省白城市通榆县:…): the story's own place."""
    gaz = gazetteer()
    first = next((m for m in matches if len(m.candidates) == 1), None)
    if first is None:
        return d
    line_start = text.rfind("\n", 0, first.start) + 1
    line_end = text.find("\n", first.start)
    line_end = len(text) if line_end < 0 else line_end
    inside = [m.candidates[0] for m in matches if line_start <= m.start < line_end and len(m.candidates) == 1]
    inside = [c for c in inside if c.level not in ("area", "township") and d in gaz.ancestors(c)]
    return max(inside, key=lambda c: LEVEL_RANK[c.level]) if inside else d
