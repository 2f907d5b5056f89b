"""Group mentions: generic kinds of actors and targets from ``groups.tsv``.

Every label and alias of the table is matched where it forms whole words (jieba boundaries),
longest first; a synonym is labelled with its group's canonical term (驻村帮扶工作队 →
驻村工作队). A field or campaign word before a post (``post_fields.tsv``: 乡村振兴第一书记)
names a kind of post of its own, labelled as written. Counted nouns of indicators that are kinds of people or organisations become
groups in ``kg.extract.resolve`` (they need the indicator stage first).

What this module does not do: find one specific organisation (bodies.py).
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg.ingest.lexicon_match import Lexicon
from kg.model import ArticleContext, EntityType, Mention
from kg.resources import alternation, load_table, split_list
from kg.extract.phrases import term_hits
from kg.extract.limits import ACTING_VERB_CHARS, LOOSE_GROUP_TERM


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


@lru_cache(maxsize=4)
def generic_kind(kind: str) -> frozenset[str]:
    """Labels of ``generic_groups.tsv`` of one kind: general, place or population."""
    return frozenset(r["label"] for r in load_table("generic_groups.tsv") if r["kind"] == kind)


@lru_cache(maxsize=1)
def core_groups() -> frozenset[str]:
    """Labels of the core groups (``core_groups.tsv``)."""
    return frozenset(r["label"] for r in load_table("core_groups.tsv"))


@lru_cache(maxsize=1)
def acting_verbs() -> tuple[str, ...]:
    """Verbs after which a group is the actor (``group_verbs.tsv``)."""
    return tuple(r["verb"] for r in load_table("group_verbs.tsv"))


@lru_cache(maxsize=1)
def label_of() -> dict[str, str]:
    """Surface form → canonical label of every group term."""
    return {surface: label for surface, label in group_terms()}


@lru_cache(maxsize=1)
def post_fields() -> tuple[tuple[str, str], ...]:
    """(field, post) of ``post_fields.tsv``, longest field first, leaving out any field whose
    compound is an alias of the post itself (驻村第一书记 is just 第一书记)."""
    lab = label_of()
    rows = {(r["field"], r["post"]) for r in load_table("post_fields.tsv")
            if lab.get(r["field"] + r["post"]) != r["post"]}
    return tuple(sorted(rows, key=lambda t: (-len(t[0]), t)))


def field_post(surface: str) -> str | None:
    """The label of ``surface`` when it is a field word plus a post (产业第一书记), else None."""
    return surface if any(surface == f + p for f, p in post_fields()) else None


# 成立驻村帮扶工作办公室, 组建综合科技服务团, 成立若干技术服务小分队: a kind of working unit set up
# in many places (not one body: it has no region or parent of its own).
SET_UP_UNIT = re.compile(f"(?:{alternation('name_edge_words.tsv', 'set_up_verb')})了?" + r"(?:若干|[一二三四五六七八九十两\d]+个)?"
                         + r"([\u4e00-\u9fff]{2,10}?" + f"(?:{alternation('name_edge_words.tsv', 'set_up_unit')}))")


@lru_cache(maxsize=1)
def _lexicon_terms() -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """The (surface, label) terms a group mention can be, and their surfaces: kinds of place
    are never groups, so they do not hide a group inside them (后进村党组织书记 holds
    村党组织书记)."""
    terms = tuple(t for t in group_terms() if t[1] not in generic_kind("place"))
    return terms, tuple(t[0] for t in terms)


def find(ctx: ArticleContext) -> list[Mention]:
    """Group mentions: lexicon terms on token boundaries, and the teams a sentence says were
    set up (成立…工作队)."""
    terms, surfaces = _lexicon_terms()
    text = ctx.article.text
    hits = term_hits(text, surfaces, lambda s, e: (ctx.on_cut(s, e) or _loose_cut(ctx, s, e))
                     and not _site_name(text, e))
    found = [Mention(ctx.article.id, ctx.sentence_at(s).index, s, e, terms[i][0], EntityType.GROUP,
                     label=terms[i][1], rule="group-lexicon") for s, e, i in hits]
    found = [_with_field(ctx, m) for m in found]
    for m in SET_UP_UNIT.finditer(text):
        s, e = m.span(1)
        if any(f.start < e and s < f.end and not (s <= f.start and f.end <= e) for f in found):
            continue               # crosses a known term: the unit's name is not clear
        found = [f for f in found if not (s <= f.start and f.end <= e)]
        found.append(Mention(ctx.article.id, ctx.sentence_at(s).index, s, e, m.group(1), EntityType.GROUP,
                             label=m.group(1), rule="set-up-unit"))
    return found


@lru_cache(maxsize=1)
def people_heads() -> tuple[str, ...]:
    """Head nouns of kinds of people (干部, 书记, 人员 …), from ``counted_nouns.tsv``."""
    return tuple(r["word"] for r in load_table("counted_nouns.tsv")
                 if r.get("kind") in ("person", "household", "population"))


def _with_field(ctx: ArticleContext, m: Mention) -> Mention:
    """The bare post ``m`` widened over a field word written just before it (党建|第一书记),
    which makes it a kind of post of its own."""
    text = ctx.article.text
    for field, post in post_fields():
        s = m.start - len(field)
        if m.text == post and s >= 0 and text[s:m.start] == field and s in ctx.cuts:
            return Mention(m.article_id, m.sentence, s, m.end, field + post, EntityType.GROUP,
                           label=field + post, rule="group-field-post")
    return m


def _loose_cut(ctx: ArticleContext, start: int, end: int) -> bool:
    """A long term is specific enough to take even inside a longer token
    (整顿软弱涣散村党组织 holds 软弱涣散村党组织)."""
    return end - start >= LOOSE_GROUP_TERM


def _site_name(text: str, end: int) -> bool:
    """共产党员网: a kind of people followed by 网 names a website (not 网格, a grid)."""
    return text[end:end + 1] == "网" and text[end + 1:end + 2] != "格"


def _acted_on(text: str, m: Mention) -> bool:
    """The work acts on the group: an acting verb stands before it in its clause (选派…第一书记)."""
    before = re.split(r"[，,；;。：:！？]", text[max(0, m.start - ACTING_VERB_CHARS):m.start])[-1]
    return _acting_verb_lexicon().any_in(before)


@lru_cache(maxsize=1)
def _acting_verb_lexicon() -> Lexicon:
    return Lexicon(acting_verbs())


def keep_supported(mentions, entities, relations, indicators, text):
    """Keep a group when the schema names it as core, a figure counts it, an initiative
    targets it or the work acts on it; a generic kind merely mentioned in passing (人才,
    党组织) is not an entity. Kinds of place or thing (贫困村, 村民小组, 扶贫车间) are never
    groups, and the people of a place (农户) only when an initiative targets them."""
    targeted = {r.object for r in relations if r.predicate == "targets"}
    counted = {i.measures_key for i in indicators}
    population = generic_kind("population")
    support = targeted | {k for k in counted if k and k[1] not in population}
    generic = generic_groups()
    support |= {(m.type, m.label) for m in mentions
                if m.type == EntityType.GROUP and m.label not in generic and _acted_on(text, m)}
    places = generic_kind("place")
    drop = {k for k, e in entities.items() if e.type == EntityType.GROUP and
            (e.label in places or e.label not in core_groups() and k not in support)}
    for k in drop:
        del entities[k]
    mentions = [m for m in mentions if (m.type, m.label) not in drop]
    relations = [r for r in relations if r.subject not in drop and r.object not in drop]
    return mentions, relations
