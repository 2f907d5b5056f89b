"""pairedWith: assistance partners of one article, each from a pattern over a sentence.

Patterns (the name of each is recorded on the relation):
- ``abbreviation-pair``: two province abbreviations before 合作/协作 (沪滇合作, 闽宁协作).
- ``partner+pairing-term``: a partner glued before a pairing term pairs with the home region
  (咸宁市对口支援, 杭州东西部扶贫协作).
- ``X向Y选派``: X sends cadres to Y (上海市闵行区向保山选派挂职干部).
- ``X与Y结对``: X and Y pair up.
- ``X+pairing-term+Y``: a verbal pairing (某局定点帮扶某村).
- ``X+send+Y``: a named unit sends its work team or first secretary to a named place
  (某厅派驻某村第一书记; 某委派出…第一书记到某县) (gold/NOTES.md 20).

No pair is made between a region and a region above or below it (a region sending a team
within its own area), and a region qualifying the next one (上海市闵行区) is not a partner.
The words of each pattern are in ``kg/data/relation_cues.tsv``.

What this module does not do: the other relations (``kg.extract.relations``).
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg.model import Entity, EntityType, Mention, Relation, entity_key
from kg.ingest.gazetteer_cache import gazetteer
from kg.resources import load_table
from kg.extract.limits import PAIRING_TERM_CHARS, PARTNERS_GAP_CHARS, SEND_VERB_CHARS, TOWARDS_CHARS

CLAUSE = re.compile(r"[，,；;：:。！？]")


@lru_cache(maxsize=None)
def cues(kind: str) -> tuple[str, ...]:
    """The cue words of one kind in ``relation_cues.tsv`` (issue, implement, pairing, send …)."""
    return tuple(r["cue"] for r in load_table("relation_cues.tsv") if r["kind"] == kind)


def mention_key(m: Mention) -> tuple[str, str]:
    """The key of the entity a mention stands for: ``(type, label)``."""
    return entity_key(m.type, m.label)


def inside_body(m: Mention, bodies: list[Mention]) -> bool:
    """A region written inside a body's name (固原市 in 固原市委组织部)."""
    return m.type == EntityType.REGION and any(b.start <= m.start and m.end <= b.end for b in bodies)


def pairings(text: str, sent, ms: list[Mention], home, add) -> None:
    """The pairedWith relations of one sentence (``ms``: its mentions, by start)."""
    bodies = [m for m in ms if m.type == EntityType.BODY]
    partners = [m for m in ms if m.type in (EntityType.REGION, EntityType.BODY) and not inside_body(m, bodies)]
    # 上海市闵行区: the first region only qualifies the second
    partners = [p for p in partners if not any(q.type == EntityType.REGION and q.start == p.end for q in partners)]
    terms = cues("pairing")
    for p in partners:
        after = text[p.end:p.end + PAIRING_TERM_CHARS]
        if home and (after.startswith(terms) or after[1:].startswith(terms)):
            add(mention_key(p), "pairedWith", home, sent.index, "partner+pairing-term")
    for a in partners:
        for b in partners:
            if a.end <= b.start and mention_key(a) != mention_key(b):
                _pair(text, a, b, sent, add)


def _pair(text: str, a: Mention, b: Mention, sent, add) -> None:
    between = text[a.end:b.start]
    tail = text[b.end:b.end + SEND_VERB_CHARS]
    one_clause = not CLAUSE.search(between)
    ka, kb = mention_key(a), mention_key(b)
    if between.strip("累计年来共").startswith("向") or "向" in between[:TOWARDS_CHARS]:
        if any(v in tail for v in cues("send")) and one_clause:
            add(ka, "pairedWith", kb, sent.index, "X向Y选派")
    if re.match(r"^(与|和|同)$", between) and text.startswith("结对", b.end):
        add(ka, "pairedWith", kb, sent.index, "X与Y结对")
    if not one_clause or len(between) > PARTNERS_GAP_CHARS:
        return
    # 某厅自去年起结对帮扶某村: the pairing term is the verb between the two partners
    if any(between.endswith(t) for t in cues("pairing")) and b.type == EntityType.REGION:
        add(ka, "pairedWith", kb, sent.index, "X+pairing-term+Y")
    elif a.type == EntityType.BODY and _sends_team(between, tail):
        add(ka, "pairedWith", kb, sent.index, "X+send+Y")


def _sends_team(between: str, tail: str) -> bool:
    """某厅派驻某村第一书记 / 某委派出…第一书记到某县: a verb of sending stands between the unit
    and the place, and a work team or first secretary is what is sent (before the place, or
    right after it)."""
    send = [between.find(v) for v in cues("send") if v in between]
    if not send:
        return False
    sent_part = between[min(send):]
    teams = cues("team")
    direct = sent_part.endswith(tuple(v for v in cues("send"))) and tail.startswith(teams)
    to_place = sent_part.endswith(cues("dest")) and any(t in sent_part for t in teams)
    return direct or to_place


def drop_nested(rels: list[Relation], entities: dict) -> list[Relation]:
    """No pair between a region and one above or below it, and no pair that a more specific
    pair of the article already states (闵行区↔保山市 makes 保山市↔上海市 redundant)."""
    gaz = gazetteer()

    def chain(key) -> list[str]:
        e = entities.get(key)
        code = e.attrs.get("code") if e and e.type == EntityType.REGION else None
        d = gaz.by_code(code) if code else None
        return [d.code, *(a.code for a in gaz.ancestors(d))] if d else []

    pairs = [r for r in rels if r.predicate == "pairedWith"]
    out = []
    for r in rels:
        if r.predicate == "pairedWith" and r.pattern != "abbreviation-pair":
            cs, co = chain(r.subject), chain(r.object)
            if cs and co and (cs[0] in co or co[0] in cs):
                continue
            if any(_finer(q, r, chain) for q in pairs if q is not r):
                continue
        out.append(r)
    return out


def _finer(q: Relation, r: Relation, chain) -> bool:
    """q pairs the same two sides as r, one of them at a lower level."""
    for a, b in ((q.subject, q.object), (q.object, q.subject)):
        ends = {r.subject, r.object}
        if a in ends:
            other = (ends - {a}).pop() if len(ends) == 2 else None
            cb = chain(b)
            if other and other != b and cb and chain(other) and chain(other)[0] in cb[1:]:
                return True
    return False


def abbreviation_pairs(ctx, entities: dict) -> list[Relation]:
    """沪滇合作, 闽宁协作: two province abbreviations before 合作/协作 pair the provinces."""
    gaz, text, out = gazetteer(), ctx.article.text, []
    for m in re.finditer(r"([\u4e00-\u9fff])([\u4e00-\u9fff])(?:扶贫)?(?:合作|协作)", text):
        a, b = gaz.province_abbreviation(m.group(1)), gaz.province_abbreviation(m.group(2))
        if a and b and a != b:
            ka, kb = entity_key(EntityType.REGION, a.name), entity_key(EntityType.REGION, b.name)
            for d, k in ((a, ka), (b, kb)):
                entities.setdefault(k, Entity(EntityType.REGION, d.name, attrs={"code": d.code, "level": d.level}))
            out.append(Relation(ka, "pairedWith", kb, ctx.article.id, ctx.sentence_at(m.start()).index,
                                "abbreviation-pair"))
    return out
