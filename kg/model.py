"""The plain data types that flow between the pipeline's stages.

Every stage takes and returns these (or lists of them); none of them knows about RDF, jieba or
files. Offsets: ``Article.text`` is the cleaned, Simplified text the extractor reads;
``Article.raw`` is the text as it was read. ``Article.raw_span(start, end)`` maps a span of
``text`` back to ``raw`` so evidence can be shown as written. Every ``Mention`` and ``Indicator``
satisfies ``article.text[m.start:m.end] == m.text``.

What this module does not do: any processing. Functions here only look things up.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

# Entity types of SCHEMA.md, in the order reports list them.
ENTITY_TYPES = ("Region", "Body", "Group", "Programme", "Measure", "Document", "Person")
INITIATIVE_TYPES = ("Programme", "Measure")
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
    type: str                    # one of ENTITY_TYPES
    label: str = ""              # canonical label (filled by resolution)
    rule: str = ""
    attrs: dict = field(default_factory=dict)   # e.g. {"code": "430000"} for regions


@dataclass
class Entity:
    """One real thing: all the mentions, in all articles, that resolve to it."""

    type: str
    label: str                   # canonical label, Simplified
    aliases: set[str] = field(default_factory=set)   # every other surface form seen
    attrs: dict = field(default_factory=dict)   # region: code, level; body: region label …
    mentions: list[Mention] = field(default_factory=list)

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
class Skipped:
    """An input that was not built, and why."""

    path: str
    reason: str
