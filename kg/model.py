"""The plain data types that flow between the pipeline's stages.

Every stage takes and returns these (or lists of them); none of them knows about RDF, jieba or
files. Offsets: ``Article.text`` is the cleaned, Simplified text the extractor reads;
``Article.raw`` is the text as it was read. ``Article.raw_span(start, end)`` maps a span of
``text`` back to ``raw`` so evidence can be shown as written. Every ``Mention`` and ``Indicator``
satisfies ``article.text[m.start:m.end] == m.text``.

Besides the extraction's own types, the types that cross modules live here too: the gazetteer's
``Division`` and ``RegionMatch`` (made by ingest, read by extract), the extractor's ``Village``
and ``ArticleContext`` (what every mention finder reads), and the build's ``Unit`` and
``BuildResult``. Methods here are pure behaviour on their own data; what needs a stage's
machinery (the gazetteer, jieba, SPARQL) is a function of that stage taking the type.

What this module does not do: any processing. Functions here only look things up.
"""
from __future__ import annotations

import hashlib
from bisect import bisect_right
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import NamedTuple, TypedDict


class EntityType(StrEnum):
    """The entity types of SCHEMA.md, in the order reports list them. A ``str``: it equals, hashes,
    prints and serialises (JSON, Turtle, IRIs) as its name, so ``EntityType.BODY == "Body"``."""

    REGION = "Region"
    BODY = "Body"
    GROUP = "Group"
    PROGRAMME = "Programme"
    MEASURE = "Measure"
    DOCUMENT = "Document"
    PERSON = "Person"


# The same names as plain strings, for code that reads them back from the graph and hands them to
# libraries that check a value's exact type (networkx's GraphML writer refuses a str subclass).
ENTITY_TYPES = tuple(t.value for t in EntityType)
INITIATIVE_TYPES = (EntityType.PROGRAMME.value, EntityType.MEASURE.value)
# Relations between entities (SCHEMA.md), in the order the Turtle and reports list them.
RELATION_TYPES = ("partOf", "locatedIn", "subOrganizationOf", "issued", "implements",
                  "appliesIn", "targets", "pairedWith", "memberOf")
# memberOf (Person → Body) is a person's post in a body; its ``Relation.role`` names the post
# (书记, 常委, 部长, 干部 …) and the graph also holds it as a W3C ORG ``org:Post``.
POST_RELATIONS = ("memberOf",)


@dataclass
class Article:
    """One input document, read and cleaned."""

    id: str                      # stable id: the file name's stem (or the id a corpus gives)
    path: str                    # where it was read from, as given
    raw: str                     # decoded text as read (original script, boilerplate and all)
    text: str                    # cleaned analysis text: boilerplate dropped, Simplified, no pinyin
    offsets: list[int]           # offsets[i] is the index in ``raw`` of ``text[i]``
    title: str | None = None
    date: str | None = None      # ISO yyyy-mm-dd (or yyyy-mm / yyyy) when the text gives it
    source: str | None = None    # publisher, from 来源
    author: str | None = None    # byline person or unit
    url: str | None = None
    encoding: str = "utf-8"
    dropped_lines: int = 0       # boilerplate lines removed
    flags: list[str] = field(default_factory=list)   # e.g. "traditional", "pinyin", "mojibake"

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of ``raw`` that ``text[start:end]`` was made from."""
        if end <= start:
            pos = self.offsets[start] if start < len(self.offsets) else len(self.raw)
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1

    def raw_text(self, start: int, end: int) -> str:
        """The part of ``raw`` that ``text[start:end]`` was made from."""
        s, e = self.raw_span(start, end)
        return self.raw[s:e]

    @property
    def year(self) -> int | None:
        """The publication year from ``date`` (YYYY-…), None when there is no date."""
        return int(self.date[:4]) if self.date and self.date[:4].isdigit() else None


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article: a span of ``Article.text``."""

    article_id: str
    index: int                   # 0-based position in the article
    start: int
    end: int
    text: str
    paragraph: int = 0           # 0-based paragraph (line) the sentence is in


class Token(NamedTuple):
    """A jieba token with its span in ``Article.text`` (a tuple: an article makes thousands)."""

    text: str
    start: int
    end: int
    pos: str = ""


class Attrs(TypedDict, total=False):
    """What a mention or entity knows beyond its type and label (a plain dict; which keys a type
    has is below). The cache (``kg.serial``) stores any JSON-able values under any keys."""

    code: str          # Region: its division code ("" for a village)
    level: str         # Region: province | prefecture | county | township | village | area
    name: str          # Region, village: its plain name (青石村), the label being its ident
    ident: str         # Region, village: its identity, the name scoped by its county (青石村@420527)
    parent: str        # Region, village: the code of the division it lies in
    sentence: int      # Region added as an ancestor: the sentence that named its descendant
    region: str        # Body: the code of the region it is located in
    parents: list[str]  # Body: labels of the bodies it is part of, nearest first
    alias: str         # Programme, Measure: a further surface form to list as an alias


@dataclass
class Mention:
    """A span of text that names an entity, before or after resolution.

    ``label`` is the canonical label once resolved (``省委组织部`` → ``湖南省委组织部``);
    ``rule`` names the rule or resource that found it, for debugging and reports.
    """

    article_id: str
    sentence: int
    start: int
    end: int
    text: str
    type: EntityType
    label: str = ""              # canonical label (filled by resolution)
    rule: str = ""
    attrs: Attrs = field(default_factory=dict)   # e.g. {"code": "430000"} for regions

    def __post_init__(self):
        self.type = EntityType(self.type)      # a table's or the cache's "Body" → EntityType.BODY


@dataclass
class Entity:
    """One real thing: all the mentions, in all articles, that resolve to it."""

    type: EntityType
    label: str                   # canonical label, Simplified
    aliases: set[str] = field(default_factory=set)   # every other surface form seen
    attrs: Attrs = field(default_factory=dict)   # region: code, level; body: region code …
    mentions: list[Mention] = field(default_factory=list)

    def __post_init__(self):
        self.type = EntityType(self.type)

    @property
    def key(self) -> tuple[str, str]:
        """``(type, ident)`` — its ``ident`` attribute if it has one (a village), else its label."""
        return entity_key(self.type, self.attrs.get("ident") or self.label)


def entity_key(type_: str, label: str) -> tuple[str, str]:
    """Identity of an entity across articles: Programme and Measure share one key space
    with their own type, so the same name typed differently stays two nodes."""
    return (type_, label)


@dataclass(frozen=True)
class Relation:
    """A relation between two entities, stated by one sentence of one article."""

    subject: tuple[str, str]     # entity key
    predicate: str               # one of RELATION_TYPES
    object: tuple[str, str]      # entity key
    article_id: str
    sentence: int                # index of the evidence sentence; -1 when derived (gazetteer)
    pattern: str                 # the rule that fired, e.g. "issue-verb+《》", "gazetteer-parent"
    role: str = ""               # memberOf only: the post held, as written (部长, 常委, 书记, 干部)


@dataclass
class Indicator:
    """One reported figure: value, unit, what it counts, where and when."""

    article_id: str
    sentence: int
    start: int
    end: int
    text: str                    # the span in Article.text, e.g. "8761支工作队"
    value: float | int
    unit: str
    measures: str = ""           # label of what it counts (an entity label or a short noun)
    measures_key: tuple[str, str] | None = None   # entity key when ``measures`` is an entity
    region: tuple[str, str] | None = None         # entity key of the region
    year: int | None = None


@dataclass
class Extraction:
    """Everything extracted from one article: what the RDF stage and the reports consume."""

    article: Article
    sentences: list[Sentence]
    mentions: list[Mention]
    relations: list[Relation]
    indicators: list[Indicator]
    entities: dict[tuple[str, str], Entity] = field(default_factory=dict)  # this article's, by key
    home_region: tuple[str, str] | None = None
    lead_body: tuple[str, str] | None = None


@dataclass
class ArticleRecord:
    """What a build wrote for one article, kept with the build (``kg.graph.state``) so that the
    next build reuses it instead of reading the extraction again, as long as ``fingerprint``
    (the article's key, its path and what the merged entities it refers to look like) and the
    relation lines it is the first to state (``owned``) are unchanged."""

    id: str
    key: str                                  # ``Unit.key``: the article's bytes, name, extractor
    path: str                                 # the file as given
    fingerprint: str                          # ``kg.graph.state.fingerprint``
    entities: dict[tuple[str, str], Entity]   # the article's own, without mentions (the merge's input)
    refs: list[tuple[str, str]]               # every entity key its triples and rows look up
    stated: list[bytes]                       # digests of its lines whose subject is an entity
    owned: list[bytes]                        # those no article before it (by id) states
    report: dict                              # its part of report.md (``kg.outputs.report.report_part``)
    coverage: dict                            # its row of the analysis' coverage
    figures: list[tuple]                      # its rows of the analysis' figures
    posts: list[list]                         # [post node, body, role, person, [evidence…]]


@dataclass
class Skipped:
    """An input that was not built, and why."""

    path: str
    reason: str


# ---------------------------------------------------------------- regions

@dataclass(frozen=True)
class Division:
    """One administrative division (or named area) of the gazetteer (``kg.ingest.gazetteer``)."""
    code: str             # 6 digits (430000, 433100, 422822), 9 for townships, "" for named areas
    name: str             # full official name; for named areas the canonical label
    level: str            # province | prefecture | county | township | area
    parent: str | None    # code of the direct parent; None for provinces and areas
    province: str | None  # code of the province (its own for a province); None for areas


@dataclass(frozen=True)
class RegionMatch:
    """A place name found in a text, with every division it may name."""
    start: int
    end: int
    surface: str                       # == text[start:end]
    candidates: tuple[Division, ...]   # every division with this surface; see Gazetteer.resolve
    kind: str                          # full | short | alias


@dataclass(frozen=True)
class Village:
    """A named village in the text (``kg.extract.villages``), with the division it lies in and
    the code its identity is scoped by."""
    start: int                 # start of the name
    end: int                   # end of the suffix (of 村委 when written so)
    name: str                  # 青石村
    parent: Division | None = None
    scope: str = ""            # code of the county (or nearest coded ancestor) naming it

    @property
    def ident(self) -> str:
        """The village's identity: its name, scoped by the code of its county."""
        return f"{self.name}@{self.scope}" if self.scope else self.name


# ---------------------------------------------------------------- what the finders read

@dataclass
class ArticleContext:
    """One article with its sentences, their jieba tokens, token boundaries, the gazetteer's
    region matches, the home region with its ancestors (what 省委 or 全县 refer to), villages and
    photo captions: what every mention finder reads. Built by ``kg.extract.home.build_context``;
    ``kg.extract.context.home_label`` names its home region."""
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
    persons: list | None = None                # person mentions, found once (kg.extract.persons.find)

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

    def village_before(self, pos: int) -> Village | None:
        """The village a deictic at ``pos`` (本村, 全村) refers to: the nearest one named
        before it, else the home village."""
        before = [v for v in self.villages if v.end <= pos]
        return before[-1] if before else self.home_village


# ---------------------------------------------------------------- the build

@dataclass(frozen=True)
class Unit:
    """One article to build (``kg.ingest.inputs``): a file's bytes, or one line of a ``.jsonl`` file."""

    path: str          # the file, as given
    line: int          # 1-based line of a .jsonl file; 0 for a whole file
    kind: str          # "txt" | "html" | "jsonl"
    data: bytes        # the bytes, once read (``kg.ingest.inputs.load_unit``); b"" until then
    id: str            # article id, unique in the build
    offset: int = -1   # where its bytes start in the file while they are not read; -1: in ``data``
    size: int = -1     # how many bytes from ``offset`` (-1: to the end of the file)

    @property
    def where(self) -> str:
        """``path:line`` for a line of a .jsonl file, else the path: how messages name the unit."""
        return f"{self.path}:{self.line}" if self.line else self.path

    def key(self, version: str) -> str:
        """Cache key: the extractor version, the article id, its file name and its bytes."""
        h = hashlib.sha256()
        for part in (version, self.kind, self.id, Path(self.path).name):
            h.update(part.encode("utf-8") + b"\x1f")
        h.update(self.data)
        return h.hexdigest()


@dataclass
class BuildResult:
    """What ``kg.build.build()`` returns: the extractions, merged entities, skipped inputs,
    timings, cache counts, the files written and the build's id."""
    extractions: list[Extraction]
    entities: dict[tuple[str, str], Entity]
    skipped: list[Skipped]
    seconds: float = 0.0
    outputs: dict[str, Path] = field(default_factory=dict)
    cache: dict[str, int] = field(default_factory=dict)    # hits, misses, writes (empty: no cache)
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage of build()
    build_id: str = ""                                       # build() that wrote its outputs
    counts: dict[str, int] = field(default_factory=dict)    # relations, indicators (build() sets them)
    store_triples: int = 0                                  # in the store of build(store=…), ontology too
    reused: int = 0                                         # articles taken as the previous build wrote them
    notes: list[str] = field(default_factory=list)          # what a user should know about how it was built
    entity_table: object = None                             # the merge (kg.graph.spool.EntityTable), kept in the state
