"""Institutions and enterprises: proper names ending in a kind suffix (…大学, …有限公司, …合作社).

A name is the run of tokens before a suffix of ``body_grammar.tsv`` (institution_suffix,
enterprise_suffix, association_suffix). Walking leftwards it stops where a name cannot go on:
punctuation, a boundary word of ``phrase_boundaries.tsv``, a pronoun (他, 我们), a preposition
or conjunction (为了, 在, 与), a particle, adverb or number, and a verb (聘请, 来自, 建起) unless it
names the trade (种植, 养殖: kind ``activity``). A name never starts with a verb or an adjective,
so such tokens are trimmed from its left edge. What is left must hold a proper element (a region,
a proper-noun token such as 华中农业大学 or an unknown word such as 禾丰): a bare kind
(行业协会, 商业银行, 核桃壳加工厂) is no Body. An association of a kind of cadre
(大学生村官协会) is named by its members: it is the home region's, labelled with it, and a
bare 秘书处 in the same article is its office.

Also the items of an enumeration closed by 等企业/等公司 (恩施晨龙、双达鞋业等企业).

What this module does not do: region + department names (``bodies``), relations.
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg.model import ArticleContext, EntityType, Mention
from kg.ingest.postag import domain_flags, counted_nouns, pieces, word_tags
from kg.resources import alternation, char_class, load_table
from kg.extract.groups import group_terms
from kg.extract.phrases import boundary_words, is_han, strip_boundary_prefix
from kg.extract.limits import MAX_NAME

NOT_IN_NAMES = char_class("institution_break")   # as whole words: not in an organisation name
STOP_FLAGS = ("r", "p", "c", "u", "d", "m", "q", "y", "e", "o")
PROPER_FLAGS = {"nr", "ns", "nt", "nz", "nrt", "nrfg", "j", "eng"}
ENUMERATION = re.compile(r"((?:[\u4e00-\u9fff]{2,8}、)+[\u4e00-\u9fff]{2,8})等"
                         + f"(?:{alternation('name_edge_words.tsv', 'enumerated_institution')})")


@lru_cache(maxsize=1)
def _kinds() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for row in load_table("body_grammar.tsv"):
        out.setdefault(row["kind"], set()).add(row["part"])
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def _suffix_pattern() -> re.Pattern:
    k = _kinds()
    suffixes = k.get("institution_suffix", set()) | k.get("enterprise_suffix", set()) | \
        k.get("association_suffix", set())
    return re.compile("|".join(map(re.escape, sorted(suffixes, key=len, reverse=True))))


def _flag(word: str) -> str:
    return pieces(word)[-1][1] if is_han(word) else "x"


def _is_stop(word: str) -> bool:
    """A token a name cannot run through leftwards."""
    stops = boundary_words()
    if not is_han(word) or word in NOT_IN_NAMES or word in stops or word[-2:] in stops:
        return True
    if word in _kinds().get("activity", ()):    # a trade (种植) may stand inside a firm's name
        return False
    flag = _flag(word)
    if len(word) == 1 and flag.startswith("v"):   # a one-character piece of an unknown name (店子|坪)
        return False
    if flag in ("i", "l"):                      # an idiom or set phrase (积极参与) is no part of a name
        return True
    if flag.startswith("v") and flag != "vn":
        return word not in _kinds().get("activity", ())
    return flag.startswith(STOP_FLAGS) and not flag.startswith("nr")


def _is_proper(ctx: ArticleContext, word: str, start: int, end: int) -> bool:
    if any(m.start < end and start < m.end for m in ctx.region_matches):
        return True
    if len(word) >= 2 and word_tags().get(word) is None and word not in domain_flags() \
            and word not in counted_nouns() and not _flag(word).startswith(("v", "a", "d")):
        return True                                  # in no dictionary: a coined name (盛园)
    return bool({f for _, f in pieces(word)} & PROPER_FLAGS)


def _has_proper(ctx: ArticleContext, toks: list[tuple[str, int, int]]) -> bool:
    """A proper element among the tokens, or a one-character token that with its neighbour
    spells no dictionary word: the pieces of an unknown name (店子|坪)."""
    if any(_is_proper(ctx, w, s, e) for w, s, e in toks):
        return True
    for (a, _, _), (b, _, _) in zip(toks, toks[1:]):
        if (len(a) == 1 or len(b) == 1) and word_tags().get(a + b) is None and a + b not in domain_flags():
            return True
    return False


def name_tokens(ctx: ArticleContext, pos: int) -> list[tuple[str, int, int]]:
    """The tokens of the proper name that ends at ``pos`` (before its suffix), left edge trimmed."""
    sent = ctx.sentence_at(pos)
    text, out = ctx.article.text, []
    for tok in reversed(ctx.tokens[sent.index]):
        if tok.start >= pos:
            continue
        end = min(tok.end, pos)
        word = text[tok.start:end]
        if (tok.end <= pos and _is_stop(word)) or not is_han(word) or pos - tok.start > MAX_NAME:
            break
        out.insert(0, (word, tok.start, end))
    while out and (_flag(out[0][0]).startswith(("v", "a", "b")) and out[0][0] not in _kinds().get("activity", ())
                   or out[0][0] in boundary_words()):
        out.pop(0)
    return out


def _region_in(ctx: ArticleContext, start: int, end: int):
    """The most specific region named inside a name (国网宜昌供电公司 → 宜昌市), for locatedIn."""
    inside = [ctx.resolved.get((m.start, m.end)) for m in ctx.region_matches if start <= m.start and m.end <= end]
    inside = [d for d in inside if d is not None and d.level != "area"]
    return inside[-1] if inside else None


def _association_label(ctx: ArticleContext, name: str) -> str:
    """大学生村官 + 协会: an association of a kind of cadre is the home region's."""
    if not ctx.home_chain or not any(surface in name for surface, _ in group_terms()):
        return ""
    return ctx.home_chain[0].name + name


def find(ctx: ArticleContext) -> list[Mention]:
    """Institution, enterprise and association mentions of the article."""
    text, out = ctx.article.text, []
    associations = _kinds().get("association_suffix", frozenset())
    for hit in _suffix_pattern().finditer(text):
        end = hit.end()
        if len(hit.group()) < 2 or (end < len(text) and end not in ctx.cuts):
            continue
        toks = name_tokens(ctx, hit.start())
        if not toks or hit.start() - toks[0][1] < 2:
            continue
        start = toks[0][1]
        # a firm's name opens with the region it is registered in (企业名称 = 行政区划 + 字号 + 行业 +
        # 组织形式); a school's need not be where it stands
        region = _region_in(ctx, start, end) if hit.group() in _kinds().get("enterprise_suffix", ()) else None
        label = text[start:end]
        quoted = text[start - 1:start] == "“" and text[end:end + 1] == "”"
        if not _has_proper(ctx, toks) and (hit.group() in associations or not quoted):
            label = _association_label(ctx, label) if hit.group() in associations else ""
            region = ctx.home_chain[0] if label else None
        if not label:
            continue
        s = ctx.sentence_at(start)
        attrs = {"parents": []}
        if region is not None:
            attrs["region"] = region.code
        out.append(Mention(ctx.article.id, s.index, start, end, text[start:end], EntityType.BODY,
                           label=label, rule="institution-suffix", attrs=attrs))
    out += _offices(ctx, out)
    return out + _enumerated(ctx)


def _offices(ctx: ArticleContext, found: list[Mention]) -> list[Mention]:
    """A bare 秘书处 in an article that names one association is that association's office."""
    suffixes = tuple(_kinds().get("association_suffix", ()))
    return bare_subunits(ctx, found, [m for m in found if m.label.endswith(suffixes)], "秘书处",
                         "association-office")


def bare_subunits(ctx: ArticleContext, found: list[Mention], owners: list[Mention], word: str,
                  rule: str, unit: str = "") -> list[Mention]:
    """``word`` written bare (秘书处, 委党组) in an article whose ``owners`` name one body only is
    that body's unit: label owner + ``unit`` (default ``word``), the owner as parent, its region. Nothing when the
    article names none or several (the owner would be a guess)."""
    by_label = {m.label: m for m in owners}
    if len(by_label) != 1:
        return []
    (label, owner), = by_label.items()
    region = {"region": owner.attrs["region"]} if owner.attrs.get("region") else {}
    text, out = ctx.article.text, []
    for hit in re.finditer(re.escape(word), text):
        if any(m.start < hit.end() and hit.start() < m.end for m in found):
            continue
        s = ctx.sentence_at(hit.start())
        out.append(Mention(ctx.article.id, s.index, hit.start(), hit.end(), hit.group(), EntityType.BODY,
                           label=label + (unit or word), rule=rule,
                           attrs={"parents": [label], **region}))
    return out


def _enumerated(ctx: ArticleContext) -> list[Mention]:
    text, out = ctx.article.text, []
    for hit in ENUMERATION.finditer(text):
        pos = hit.start(1)
        items = hit.group(1).split("、")
        first = strip_boundary_prefix(items[0])      # 引进宁夏伊品: the verb before the list
        pos += len(items[0]) - len(first)
        items[0] = first
        for item in items:
            s = ctx.sentence_at(pos)
            out.append(Mention(ctx.article.id, s.index, pos, pos + len(item), item, EntityType.BODY,
                               label=item, rule="enumeration+等企业", attrs={"parents": []}))
            pos += len(item) + 1
    return out
