"""Posts: a person named with a post in a body gives ``memberOf`` with the post as ``role``.

A post is a title of ``post_titles.tsv`` written right before a person's name, with the body
before the title, several posts joined by 、 (中共某县委常委、组织部部长张三):
- the body is a Body mention ending where the title starts (某县委组织部副部长), with a subunit
  suffix allowed after it (某县水利局水质监测站干部 → 某县水利局水质监测站);
- or a region and the grammar of ``body_grammar.tsv`` (中共某省某县委常委 → 某县委);
- or a relative name (市委常委, 县委书记) whose region the article's home chain determines: the
  nearest home division ending in the same character (市委 in an article about 某某市 → 某某市委);
- or nothing, when the title names its own body (组织部长 = 组织部部长): then the body is that
  head under the previous post's body (县委常委、组织部长 → 县委组织部);
- a village branch title (党支部书记, 村支书) needs a named village (a Region mention of level
  village) before it: Y村村支书Z → Z memberOf Y村党支部 (role 书记), the branch locatedIn Y村.
No post: a title with no determinable body (bare 村支书 or 组织部长), 第一书记, work-team
leaders (队长), photo captions, bylines. The author line "(作者系…)" gives the posts of the
article's author when the byline names a person.

What this module does not do: find the names (``persons.py``) or the bodies' own mentions (``bodies.py``).
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg.model import ArticleContext, EntityType, Mention, Relation, entity_key
from kg.resources import load_table
from kg.extract.bodies import LEVEL_CHARS, body_labels, parse_suffix
from kg.extract.persons import name_at
from kg.extract.limits import MAX_CHAIN, POST_TITLE_CHARS, UNIT_REST_CHARS

CHAIN_BREAK = re.compile(r"[，,。；;：:！？!?\n“”\"《》()（）【】\[\]\s]")
AUTHOR_LINE = re.compile(r"^[(（]?\s*作者(?:系|是|为)(?P<posts>[^()（）]+?)[)）]?\s*$", re.M)


@lru_cache(maxsize=1)
def titles() -> dict[str, dict]:
    """Post titles (书记, 县长 …) → their row of ``post_titles.tsv`` (subunit suffixes left out)."""
    return {r["title"]: r for r in load_table("post_titles.tsv") if r.get("needs") != "unit"}


@lru_cache(maxsize=1)
def unit_suffixes() -> tuple[str, ...]:
    """Subunit suffixes (馆, 所 …) that end a body written just before a title."""
    return tuple(r["title"] for r in load_table("post_titles.tsv") if r.get("needs") == "unit")


def _title_before(text: str, end: int, start: int) -> str:
    """The longest title ending at ``end`` and starting at or after ``start``."""
    for n in range(min(POST_TITLE_CHARS, end - start), 0, -1):
        if text[end - n:end] in titles():
            return text[end - n:end]
    return ""


def find(ctx: ArticleContext, mentions: list[Mention]) -> tuple[list[Mention], list[Relation]]:
    """Body mentions named in job titles, and the memberOf relations (with their locatedIn
    for village branches) of the persons named after them."""
    text, new, rels = ctx.article.text, [], []
    for p in (m for m in mentions if m.type == EntityType.PERSON):
        end = p.start - (1 if p.start and text[p.start - 1] == " " else 0)
        if ctx.in_caption(p.sentence):
            continue
        _posts(ctx, mentions, end, entity_key(EntityType.PERSON, p.label), p.sentence, new, rels)
    author = ctx.article.author
    if author and name_at(author, 0) == author:
        for m in AUTHOR_LINE.finditer(text):
            s = ctx.sentence_at(m.start("posts")).index
            _posts(ctx, mentions, m.end("posts"), entity_key(EntityType.PERSON, author), s, new, rels, m.start("posts"))
    return new, rels


def _posts(ctx, mentions, end: int, person, sent: int, new: list, rels: list, floor: int = 0) -> None:
    """The posts written before ``end`` (where the name starts), last first."""
    text = ctx.article.text
    brk = max((i.end() for i in CHAIN_BREAK.finditer(text, max(floor, end - MAX_CHAIN), end)), default=None)
    chain_start = max(floor, brk if brk is not None else end - MAX_CHAIN)
    segments, seg_end = [], end
    while seg_end > chain_start:
        seg_start = max(text.rfind("、", chain_start, seg_end) + 1, chain_start)
        title = _title_before(text, seg_end, seg_start)
        if not title:
            break
        segments.append((seg_start, seg_end - len(title), title))
        seg_end = seg_start - 1
    leader = None
    for seg_start, title_start, title in reversed(segments):
        row = titles()[title]
        if row.get("needs") == "none":
            leader = None
            continue
        body = _village_branch(ctx, mentions, seg_start, title_start, row) if row.get("needs") == "village" \
            else _body(ctx, mentions, seg_start, title_start, row["head"], leader)
        if body is None:
            continue
        label, mention, extra = body
        if mention is not None:
            new.append(mention)
        code = mention.attrs.get("region", "") if mention is not None else _code(mentions, label)
        parents = mention.attrs.get("parents") if mention is not None else []
        leader = (parents[-1], code) if parents else (label, code)    # the leading body of the chain
        rels.append(Relation(person, "memberOf", entity_key(EntityType.BODY, label), ctx.article.id, sent,
                             "title+name", role=row["role"]))
        rels.extend(extra)


def _mention(ctx, start: int, end: int, label: str, code: str, parents: list[str], rule: str) -> Mention:
    s = ctx.sentence_at(start)
    return Mention(ctx.article.id, s.index, start, end, ctx.article.text[start:end], EntityType.BODY, label=label,
                   rule=rule, attrs={"region": code, "parents": parents})


def _body(ctx, mentions, start: int, end: int, head: str, leader: tuple[str, str] | None):
    """(label, Body mention or None, extra relations) of the body written in text[start:end],
    followed by the title's own head (组织部长 → 组织部); None when no body is determined."""
    text = ctx.article.text
    start += 2 if text.startswith("中共", start) else 0
    if head and text.startswith(head, end):          # the title spells its body: 组织部部长
        end, head = end + len(head), ""
    for b in mentions:
        if b.type == EntityType.BODY and start <= b.start and b.end <= end and _rest_ok(text[b.end:end]):
            label = b.label + text[b.end:end] + head
            if label == b.label:
                return label, None, []
            return label, _mention(ctx, b.start, end, label, b.attrs.get("region", ""), [b.label], "post-title"), []
    if start < end:
        labels, code = _grammar(ctx, start, end)
        if labels:
            labels = [labels[0] + head, *labels] if head else labels
            return labels[0], _mention(ctx, start, end, labels[0], code, labels[1:], "post-title"), []
    written = text[start:end] + head
    if leader and written and written[0] not in LEVEL_CHARS and parse_suffix(written, 0) == [written]:
        label = leader[0] + written         # 县委常委、组织部长 → that 县委's 组织部
        at = (start, end) if start < end else (end, end + len(head))
        return label, _mention(ctx, *at, label, leader[1], [leader[0]], "post-title-head"), []
    return None


def _rest_ok(rest: str) -> bool:
    return not rest or 2 <= len(rest) <= UNIT_REST_CHARS and rest.endswith(unit_suffixes())


def _grammar(ctx, start: int, end: int) -> tuple[list[str], str]:
    """Labels (nearest first), region code and start of a region + grammar name filling
    text[start:end]; a relative one (市委, 县委组织部) takes its region from the home chain."""
    text = ctx.article.text
    for m in sorted(ctx.region_matches, key=lambda m: -m.start):
        d = ctx.resolved.get((m.start, m.end))
        if d and start <= m.start and m.end <= end and d.level != "area":
            parts = parse_suffix(text, m.end)
            if parts and m.end + sum(map(len, parts)) == end:
                return body_labels(d.name, parts), d.code
    if text[start] in LEVEL_CHARS:
        d = _relative_region(ctx, text[start])
        parts = parse_suffix(text, start)
        if d and parts and start + sum(map(len, parts)) == end:
            return body_labels(d.name, parts), d.code
    return [], ""


def _relative_region(ctx, level_char: str):
    """The region a relative 市委/县委 names: the nearest home division ending in that
    character, else the only such division the article names."""
    d = next((x for x in ctx.home_chain if x.name.endswith(level_char) and x.level != "area"), None)
    if d is None:
        named = {x.code: x for x in ctx.resolved.values() if x.name.endswith(level_char) and x.level != "area"}
        d = next(iter(named.values())) if len(named) == 1 else None
    return d


def _code(mentions, label: str) -> str:
    return next((m.attrs.get("region", "") for m in mentions if m.type == EntityType.BODY and m.label == label), "")


def _village_branch(ctx, mentions, start: int, end: int, row: dict):
    """Y村党支部书记 / Y村村支书: the branch of the named village Y村 standing before the title.
    Its mention runs over the village and the branch as written (Y村党支部), or the whole
    title when the branch is not written out (Y村村支书)."""
    village = next((m for m in mentions if m.type == EntityType.REGION and m.attrs.get("level") == "village"
                    and m.end == end and m.start >= start), None)
    if village is None:
        return None
    text, head = ctx.article.text, row["head"]
    label = village.attrs.get("name", village.label) + head     # the label is the plain name
    title_end = end + len(next(t for t in titles() if text.startswith(t, end) and titles()[t] is row))
    body = _mention(ctx, village.start, end + len(head) if text.startswith(head, end) else title_end,
                    label, "", [], "post-village-branch")
    body.attrs.pop("region")
    located = Relation(entity_key(EntityType.BODY, label), "locatedIn", entity_key(EntityType.REGION, village.label),
                       ctx.article.id, body.sentence, "village-branch")
    return label, body, [located]
