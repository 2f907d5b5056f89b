"""Relations of one article, each from a pattern over a sentence (or the gazetteer).

Patterns (the name of each is recorded on the relation):
- partOf: ``gazetteer-parent`` (a region and its direct parent); ``located-in-area``
  (建始县位于…武陵山连片特困地区内: the region before the verb; a province spans areas, it is
  not part of one).
- locatedIn: ``body-region`` (the region in the body's name or filled in from context).
- subOrganizationOf: ``body-parent`` (湖南省委组织部 → 湖南省委, when the parent is named).
- issued: ``body+issue-verb+document`` (X印发《Y》), ``lead-body+issue-verb+document``.
- implements: ``body+initiative`` (湖北省委“616”工程), ``body+verb+initiative`` (X实施Y),
  ``lead-body`` (a sentence with no subject in an article led by one body; not when another
  actor opens a clause before the initiative: a region, a group, 各县, 全市组织部门).
  A body followed by a meeting word (市委三届十次全会) names a meeting, not an actor.
- appliesIn: ``home-region``, ``region-in-name``, ``region-in-sentence`` (not a region glued
  to another item of an enumeration, a partner before a pairing term, or the actor of
  another clause) and ``level-qualifier`` (省级X计划 → the home chain's province).
- targets: ``group-in-name`` (村级后备干部培养计划 → 村级后备干部), ``initiative+verb+group``.
- pairedWith: see ``kg.extract.pairings``.
The lead body (``lead_body``) is the subject of one of the article's first sentences, after
at most a time phrase (近年来，建始县委…), inside the home region.
The cue words are in ``kg/data/relation_cues.tsv``.

What this module does not do: find the mentions, or merge across articles.
"""
from __future__ import annotations

import re
from itertools import islice

from kg.extract.context import home_label, region_label
from kg.extract.groups import generic_groups
from kg.model import INITIATIVE_TYPES, ArticleContext, Entity, EntityType, Mention, Relation, entity_key
from kg.extract.pairings import abbreviation_pairs, cues, drop_nested, inside_body, mention_key as _key, pairings
from kg.ingest.read import credit_line
from kg.ingest.gazetteer_cache import gazetteer
from kg.resources import alternation, load_table
from kg.extract.limits import DRAW_ON_CHARS, LEAD_SENTENCES, MEETING_CHARS, SINCE_PHRASE_CHARS

TIME_LEAD = re.compile(r"^(?:.{0,%d}以来|" % SINCE_PHRASE_CHARS + alternation("figure_words.tsv", "lead_time") + ")?$")
CLAUSE = re.compile(r"[，,；;：:]")


def extract_relations(ctx: ArticleContext, mentions: list[Mention], entities: dict,
                      lead: tuple[str, str] | None) -> list:
    """The relations of one article, given its mentions, entities and lead body."""
    aid = ctx.article.id
    rels: list[Relation] = []

    def add(s, p, o, sent, pattern):
        if s != o and s in entities and o in entities:
            rels.append(Relation(s, p, o, aid, sent, pattern))

    _structural(entities, add)
    home = entity_key(EntityType.REGION, home_label(ctx)) if home_label(ctx) else None
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    for sent in ctx.sentences:
        ms = sorted(by_sentence.get(sent.index, []), key=lambda m: m.start)
        _sentence_relations(ctx, sent, ms, lead, home, add)
        pairings(ctx.article.text, sent, ms, home, add)
    rels += abbreviation_pairs(ctx, entities)
    return _unique(drop_nested(rels, entities))


def _structural(entities: dict, add) -> None:
    """partOf from the gazetteer, locatedIn and subOrganizationOf from the bodies' names."""
    gaz = gazetteer()
    for e in list(entities.values()):
        if e.type == EntityType.REGION and e.attrs.get("code"):
            d = gaz.by_code(e.attrs["code"])
            parent = gaz.parent(d) if d else None
            if parent:
                add(e.key, "partOf", entity_key(EntityType.REGION, region_label(parent)), _first_sentence(e), "gazetteer-parent")
        elif e.type == EntityType.REGION and e.attrs.get("parent"):      # a village: the place named before it
            d = gaz.by_code(e.attrs["parent"])
            if d:
                add(e.key, "partOf", entity_key(EntityType.REGION, region_label(d)), _first_sentence(e), "village-parent")
        if e.type == EntityType.BODY:
            if e.attrs.get("region"):
                d = gaz.by_code(e.attrs["region"])
                if d:
                    add(e.key, "locatedIn", entity_key(EntityType.REGION, region_label(d)), _first_sentence(e), "body-region")
            for parent in e.attrs.get("parents", []):
                if entity_key(EntityType.BODY, parent) in entities:
                    add(e.key, "subOrganizationOf", entity_key(EntityType.BODY, parent), _first_sentence(e), "body-parent")
                    break


def _first_sentence(e: Entity) -> int:
    return min((m.sentence for m in e.mentions), default=e.attrs.get("sentence", -1))


def names_meeting(text: str, body: Mention) -> bool:
    """省委十届六次全会, 市委常委会: the body is the first word of a meeting's name."""
    after = re.sub(r"^[一二三四五六七八九十\d]+", "", text[body.end:body.end + MEETING_CHARS])
    return after.startswith(cues("meeting"))


def lead_body(ctx: ArticleContext, mentions: list[Mention]) -> tuple[str, str] | None:
    """The body the article is about: the subject of one of its first sentences.

    A body counts when only a time phrase stands before it in its clause (党的十八大以来，
    湖南省委…; 近年来，建始县委、县政府…) and a meeting word does not follow it. Not a lead:
    a byline or source line (作者：某县委组织部), a photo caption, and a body above the home
    region or outside it (a provincial department named at the start of an article about a
    city reports the province's work, not the city's).
    """
    first = list(islice((s for s in ctx.sentences if s.paragraph >= 1 and not credit_line(s.text)
                         and not ctx.in_caption(s.index)), LEAD_SENTENCES))
    text = ctx.article.text
    for s in first:
        for m in sorted((m for m in mentions if m.type == EntityType.BODY and m.sentence == s.index), key=lambda m: m.start):
            clause_start = max(text.rfind(p, s.start, m.start) for p in "，,；;：:") + 1
            clause_start = max(clause_start, s.start)
            lead_in = text[clause_start:m.start]
            after = text[m.end:m.end + 3]
            if TIME_LEAD.match(lead_in) and not re.match(r"^(?:的)", after) and not names_meeting(text, m) \
                    and _within_home(ctx, m):
                return entity_key(EntityType.BODY, m.label)
    return None


def _within_home(ctx: ArticleContext, body: Mention) -> bool:
    """The body's region is the home region or lies inside it (a body with no region counts)."""
    code = body.attrs.get("region")
    if not code or not ctx.home:
        return True
    d = gazetteer().by_code(code)
    return d is not None and (d.code == ctx.home.code or ctx.home.code in {a.code for a in gazetteer().ancestors(d)})


def _sentence_relations(ctx, sent, ms, lead, home, add) -> None:
    text = ctx.article.text
    bodies = [m for m in ms if m.type == EntityType.BODY and not names_meeting(text, m)]
    regions = [m for m in ms if m.type == EntityType.REGION]
    initiatives = [m for m in ms if m.type in INITIATIVE_TYPES]
    for doc in (m for m in ms if m.type == EntityType.DOCUMENT):
        before = text[sent.start:doc.start]
        if any(v in before for v in cues("issue")):
            subject = [b for b in bodies if b.end <= doc.start]
            if subject:
                add(_key(subject[-1]), "issued", _key(doc), sent.index, "body+issue-verb+document")
            elif lead and not _other_actor(text, sent, doc, ms):
                add(lead, "issued", _key(doc), sent.index, "lead-body+issue-verb+document")
    for ini in initiatives:
        _implements(text, sent, ini, bodies, ms, lead, add)
        _applies_in(ctx, sent, ini, bodies, regions, initiatives, home, add)
        _targets(text, sent, ini, [m for m in ms if m.type == EntityType.GROUP], initiatives, add)
    _area_part_of(sent, regions, add)


def _implements(text, sent, ini, bodies, ms, lead, add) -> None:
    glued = [b for b in bodies if 0 <= ini.start - b.end <= 1]
    subject = [b for b in bodies if b.end <= ini.start]
    if glued:
        add(_key(glued[-1]), "implements", _key(ini), sent.index, "body+initiative")
    elif subject and any(v in text[subject[-1].end:ini.start] for v in cues("implement")):
        add(_key(subject[-1]), "implements", _key(ini), sent.index, "body+verb+initiative")
    elif lead and not bodies and not any(v in text[sent.start:ini.start][-DRAW_ON_CHARS:] for v in cues("draw_on")) \
            and not _other_actor(text, sent, ini, ms):
        add(lead, "implements", _key(ini), sent.index, "lead-body")


def _other_actor(text: str, sent, item: Mention, ms: list[Mention]) -> bool:
    """Another actor opens a clause before ``item``: a region (某市, 全市组织部门) or a
    collective word (各县, 各级党组织): the sentence is not the lead body's. (A group opening a
    clause is often only a topic, 贫困村所需要的项目…, so it does not count.)"""
    deictic = tuple(r["word"] for r in load_table("deictics.tsv"))
    starts = [sent.start] + [sent.start + i + 1 for i, ch in enumerate(text[sent.start:item.start])
                             if CLAUSE.match(ch)]
    for p in starts:
        while p < item.start and text[p] in " \u3000":
            p += 1
        if text.startswith(deictic + cues("collective"), p) and p < item.start:
            return True
        if any(m.start == p and m.type == EntityType.REGION and m.end <= item.start for m in ms):
            return True
    return False


def _applies_in(ctx, sent, ini, bodies, regions, initiatives, home, add) -> None:
    text = ctx.article.text
    if home:
        add(_key(ini), "appliesIn", home, sent.index, "home-region")
    for r in regions:
        if ini.start <= r.start and r.end <= ini.end:
            add(_key(ini), "appliesIn", _key(r), sent.index, "region-in-name")
        elif r.label != (home[1] if home else None) and not inside_body(r, bodies) \
                and not _owned_elsewhere(text, sent, ini, r, initiatives):
            add(_key(ini), "appliesIn", _key(r), sent.index, "region-in-sentence")
    d = _level_division(ctx, ini.text[:2]) or _level_division(ctx, text[max(sent.start, ini.start - 2):ini.start])
    if d:
        add(_key(ini), "appliesIn", entity_key(EntityType.REGION, region_label(d)), sent.index, "level-qualifier")


def _level_division(ctx, word: str):
    """省级 → the home chain's province (市级 → its prefecture …), if the word is a level word."""
    for level in ("province", "prefecture", "county"):
        if word in cues("level-" + level):
            return ctx.home_at(level)
    return None


def _owned_elsewhere(text, sent, ini, r, initiatives) -> bool:
    """The region belongs to something else: it is glued to another item of the sentence
    (湖北省委“616”工程、咸宁市对口支援), it is the partner before a pairing term, or it opens
    a clause of its own (the actor of another clause)."""
    glued = [j for j in initiatives if 0 <= j.start - r.end <= 1]
    if any(j is not ini for j in glued):
        return True
    if glued and (text.startswith(cues("pairing"), r.end) or ini.label.endswith(cues("pairing"))):
        return True
    lo, hi = sorted((r.start, ini.start))
    other_clause = bool(CLAUSE.search(text[lo:hi]))
    opens = r.start == sent.start or CLAUSE.match(text[r.start - 1])
    return bool(other_clause and opens)


def _targets(text, sent, ini, groups, initiatives, add) -> None:
    generic = generic_groups()
    for g in groups:
        if ini.start <= g.start and g.end <= ini.end:
            if _named_target(ini, g, generic):
                add(_key(ini), "targets", _key(g), sent.index, "group-in-name")
        elif g.start >= ini.end:
            between = text[ini.end:g.start]
            # the group's clause may follow the initiative's: 实施X工程，为贫困村培养Y
            clauses = CLAUSE.split(between)
            verbs = cues("target")
            if len(clauses) <= 2 and clauses[-1].startswith(verbs) or \
                    len(clauses) == 1 and any(v in between for v in verbs):
                if not _leads_next(text, g, ini, initiatives):
                    add(_key(ini), "targets", _key(g), sent.index, "initiative+verb+group")


def _named_target(ini: Mention, g: Mention, generic) -> bool:
    """A group named in an initiative's name is its target (村干部报酬增长机制 → 村干部), unless
    the kind is too general to say whom it serves (人才选育计划), or the name is an X+Y+Z model,
    whose parts are its partners and only the poor it serves are targets (党支部+党员+贫困户模式)."""
    if g.label in generic:
        return False
    return "+" not in ini.label or g.label.startswith(cues("beneficiary"))


def _leads_next(text, g, ini, initiatives) -> bool:
    """对软弱涣散党组织，采取“三对一”模式: a group in a clause that a later initiative's clause
    follows belongs to that initiative, not to the one before it."""
    later = [j for j in initiatives if j.start >= g.end and j is not ini]
    return any(len(CLAUSE.findall(text[g.end:j.start])) <= 1 and not re.search("[。！？]", text[g.end:j.start])
               for j in later[:1])


def _area_part_of(sent, regions, add) -> None:
    """建始县位于…武陵山连片特困地区内: the region just before the verb is part of the area;
    a province spans areas and is never part of one (gold/NOTES.md 19)."""
    areas = [r for r in regions if r.attrs.get("level") == "area"]
    verb = re.search("|".join(cues("located")), sent.text)
    if not areas or not verb:
        return
    at = sent.start + verb.start()
    before = [r for r in regions if r.end <= at and r.attrs.get("level") not in ("area", None)]
    area = next((a for a in areas if a.start >= at), None)
    if before and area and before[-1].attrs.get("level") != "province":
        add(_key(before[-1]), "partOf", _key(area), sent.index, "located-in-area")


def _unique(rels: list[Relation]) -> list[Relation]:
    seen, out = set(), []
    for r in rels:
        k = (r.subject, r.predicate, r.object, r.sentence)
        if k not in seen:
            seen.add(k)
            out.append(r)
    return out
