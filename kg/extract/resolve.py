"""Resolve one article's mentions into entities and indicators.

- Mentions: none from a photo caption (``ArticleContext.in_caption``).
- Overlaps: within one type the longest mention wins; a span claimed by two types goes to
  the stronger evidence (Document > Body > Person > Region > Programme/Measure > Group);
  groups and initiatives inside a document title are not mentions of their own, nor is a
  region inside a person's name (叶丽江 names no 丽江市).
- Figures (``kg.extract.indicators``) become Indicators: what they count is mapped to a group of
  ``groups.tsv`` when one fits (2.4万名农村党员 → 党员), else a new group when the noun is a kind
  of people or organisations, else kept as a short noun; their region is the nearest region
  named before them in the sentence, else the home region; their year from ``find_year``.
- Entities: one per (type, canonical label), with every other surface form, as written, as an
  alias. Regions get code and level, and their ancestors are added so partOf can reach the
  province.

- Actor prefixes (``trim_actor_prefix``): a body, or a partner region, named at the head of an
  initiative is its actor, not part of its name (华中农业大学定点扶贫 → 定点扶贫).
- Byline (``add_byline``): the unit or person of the byline is an entity of the article.

What this module does not do: merge entities across articles (``kg.merge``) or relations.
"""
from __future__ import annotations

from functools import lru_cache

from kg.extract import bodies, documents, groups, initiative_terms, initiatives, persons, regions
from kg.extract.context import home_label, region_label
from kg.extract.groups import field_post, generic_groups, group_terms, label_of, people_heads
from kg.extract.phrases import boundary_words, holds_boundary_word
from kg.extract.counted import needs_verb, words_of
from kg.extract.indicators import find_figures, find_year
from kg.model import INITIATIVE_TYPES, ArticleContext, Entity, EntityType, Indicator, Mention, entity_key
from kg.ingest.gazetteer_cache import gazetteer
from kg.resources import char_class, words_of_kind
from kg.extract.limits import GROUP_MODIFIER_CHARS, MAX_LEAD_IN

PRIORITY = {"Document": 0, "Body": 1, "Person": 2, "Region": 3, "Programme": 4, "Measure": 4, "Group": 5}
FINDERS = (regions.find, bodies.find, documents.find, initiatives.find, groups.find, persons.find)
SCOPE_PREFIXES = initiative_terms.scope_words("group")


def find_mentions(ctx: ArticleContext) -> list[Mention]:
    """Every finder's mentions, none from a photo caption, overlaps settled."""
    found: list[Mention] = []
    for finder in FINDERS:
        found.extend(m for m in finder(ctx) if not ctx.in_caption(m.sentence))
    return settle_overlaps(found)


def settle_overlaps(mentions: list[Mention]) -> list[Mention]:
    """The mentions that survive overlaps, in text order: by type priority, then the longer,
    then the earlier, each kept unless it clashes with one already kept."""
    ordered = sorted(mentions, key=lambda m: (PRIORITY[m.type], -(m.end - m.start), m.start))
    kept: list[Mention] = []
    covering: dict[int, list[Mention]] = {}    # position -> kept mentions over it
    for m in ordered:
        # only a kept mention sharing a position with m can clash with it
        if not any(_clash(k, m) for i in range(m.start, m.end) for k in covering.get(i, ())):
            kept.append(m)
            for i in range(m.start, m.end):
                covering.setdefault(i, []).append(m)
    return sorted(kept, key=lambda m: (m.start, m.end, m.type))


def _clash(k: Mention, m: Mention) -> bool:
    """Whether ``m`` gives way to ``k``, kept before it (the two overlap)."""
    if k.start == m.start and k.end == m.end or PRIORITY[k.type] == PRIORITY[m.type]:
        return True
    if k.type == EntityType.DOCUMENT and m.type in (EntityType.GROUP, EntityType.PROGRAMME, EntityType.MEASURE):
        return True
    if k.type == EntityType.PERSON and m.type == EntityType.REGION:
        return True        # 叶丽江: the region inside a name is no region
    # crossing spans of different types: the stronger wins
    return not (k.start <= m.start and m.end <= k.end) and not (m.start <= k.start and k.end <= m.end)


PEOPLE_UNITS = words_of_kind("figure_words.tsv", "people_unit")
NOT_PEOPLE_ENDINGS = char_class("measure_ending")
NEGATIONS = char_class("negation")


def _counted_group(counted: str, unit: str = "") -> tuple[str, bool]:
    """(label, is_group) for the noun a figure counts."""
    lab = label_of()
    if "、" in counted or "和" in counted[1:-1]:
        return counted, False    # 大学生村官和选调生: a combined count is not one of the groups
    if counted in lab:
        return lab[counted], True
    if field_post(counted):
        return counted, True     # 产业第一书记: a kind of post of its own
    for p in SCOPE_PREFIXES:
        if counted.startswith(p) and counted[len(p):] in lab:
            return lab[counted[len(p):]], True
    # 省直单位处级干部 → 处级干部: a descriptive modifier before a known group is not a new kind
    if counted and counted[0] not in NEGATIONS:
        specific = _specific_group_terms()
        for n in range(len(counted), max(1, len(counted) - GROUP_MODIFIER_CHARS), -1):
            label = specific.get(counted[-n:])
            if label and _led_by_people(counted[:-n]):
                return counted, False   # 党员致富能手领办合作社: a kind of its own
            if label:
                return label, True
    if len(counted) >= 3 and counted.endswith(people_heads()):
        return counted, True
    # 4名总队长: what 名/支/户 count is a kind of people, unless the noun phrase holds a verb
    if unit in PEOPLE_UNITS and len(counted) >= 2 and counted[-1] not in NOT_PEOPLE_ENDINGS \
            and not holds_boundary_word(counted):
        return counted, True
    return counted, False


def _led_by_people(prefix: str) -> bool:
    """党员致富能手领办: people and the verb in a compound that makes them the founders."""
    return any(prefix.endswith(w) for w in words_of("modifier")) and \
        any(h in prefix for h in people_heads())


@lru_cache(maxsize=1)
def _specific_group_terms() -> dict[str, str]:
    """surface -> label of every group term of two characters or more that is not generic."""
    generic, out = generic_groups(), {}
    for surface, label in group_terms():
        if len(surface) >= 2 and label not in generic:
            out.setdefault(surface, label)
    return out


@lru_cache(maxsize=1)
def _long_boundary_words() -> tuple[str, ...]:
    return tuple(sorted((w for w in boundary_words() if len(w) >= 2), key=len, reverse=True))


@lru_cache(maxsize=1)
def _long_boundary_set() -> frozenset[str]:
    return frozenset(_long_boundary_words())


@lru_cache(maxsize=1)
def _long_boundary_lengths() -> tuple[int, ...]:
    return tuple(sorted({len(w) for w in _long_boundary_words()}, reverse=True))


def _skip_actor_and_verb(text: str, cs: int, ce: int, actors: list[Mention], people: bool = False) -> int:
    """延安市选派第一书记800名 counts 第一书记, 某大学教授2名 counts 教授: a region or body and
    a verb before the counted noun say who did what, they are not part of what is counted;
    a bare generic noun keeps its verb (整合资金)."""
    for m in actors:     # a village name the noun phrase cut into (岜|独村) is the region too
        crossed = m.start < cs < m.end and (m.type == EntityType.REGION or people and ce - m.end >= 2)
        if (m.start == cs or crossed) and m.end < ce:
            cs = m.end
    words = _long_boundary_set()
    for n in _long_boundary_lengths():       # longest first, as _long_boundary_words lists them
        if text[cs:cs + n] in words and cs + n < ce and not needs_verb(text[cs + n:ce]):
            return cs + n
    return cs


def find_indicators(ctx: ArticleContext, mentions: list[Mention]) -> tuple[list[Indicator], list[Mention]]:
    """Indicators of the article, and the group mentions their counted nouns add."""
    text, out, extra = ctx.article.text, [], []
    # Per sentence, in mention order: a figure looks only at its own sentence's mentions, so
    # the work per figure does not grow with the article.
    region_mentions: dict[int, list[Mention]] = {}
    actors: dict[int, list[Mention]] = {}
    for m in mentions:
        first = ctx.sentence_at(m.start).index
        if m.type == EntityType.REGION:
            region_mentions.setdefault(first, []).append(m)
        if m.type in (EntityType.REGION, EntityType.BODY):
            last = ctx.sentence_at(max(m.start, m.end - 1)).index
            for i in range(min(first, last), max(first, last) + 1):
                actors.setdefault(i, []).append(m)
    person_starts = {m.start for m in mentions if m.type == EntityType.PERSON}
    seen: set = set()
    para_start = searched = 0
    for sent in ctx.sentences:
        if ctx.in_caption(sent.index):
            continue           # a caption's figures are not reported ones
        # the last line break before the sentence, looked for only since the last sentence
        para_start = text.rfind("\n", searched, sent.start) + 1 or para_start
        searched = sent.start
        # the paragraph before the sentence, for its opening year: no prose paragraph is this
        # long; "\0" stands for the cut so that no year is taken to open the paragraph there
        lead_in = text[para_start:sent.start] if sent.start - para_start <= MAX_LEAD_IN else \
            "\0" + text[sent.start - MAX_LEAD_IN:sent.start]
        # read only when the sentence has a figure candidate (postag.Tagged is lazy)
        spans = ((t.start - sent.start, t.end - sent.start) for t in ctx.tokens[sent.index])
        for f in find_figures(sent.text, spans):
            year = find_year(sent.text[:f.end], lead_in, ctx.article.year)
            start, end = sent.start + f.start, sent.start + f.end
            counted, key = f.counted, None
            cs, ce = sent.start + f.counted_start, sent.start + f.counted_end
            if f.unit == "岁" and f.counted_start >= 0 and cs in person_starts:
                continue       # 46岁的某某: an individual's own age is not a reported figure
            if counted and text[cs:ce] == counted:
                cs = _skip_actor_and_verb(text, cs, ce, actors.get(sent.index, []), f.unit in PEOPLE_UNITS)
                counted = text[cs:ce]
            if counted:
                label, is_group = _counted_group(counted, f.unit)
                # 致富带富能人占比63.4%: the noun before 占 is the share's subset, not a group counted
                share = f.unit == "%" and "占" in text[ce:sent.start + f.number_start]
                if is_group and not share:
                    key = entity_key(EntityType.GROUP, label)
                if key and ce > cs:     # a noun inherited from the figure before is not written here
                    extra.append(Mention(ctx.article.id, sent.index, cs, ce, text[cs:ce], EntityType.GROUP,
                                         label=label, rule="counted-noun"))
                if not share:
                    counted = label
            if (f.value, f.unit, counted) in seen:
                continue       # a figure repeated verbatim is one figure
            seen.add((f.value, f.unit, counted))
            number_start = sent.start + f.number_start
            before = [m for m in region_mentions.get(sent.index, []) if sent.start <= m.start and m.end <= number_start]
            region = before[-1].label if before else home_label(ctx)
            out.append(Indicator(ctx.article.id, sent.index, start, end, text[start:end], f.value,
                                 f.unit, counted, key,
                                 entity_key(EntityType.REGION, region) if region else None, year))
    return out, extra


def build_entities(ctx: ArticleContext, mentions: list[Mention]) -> dict[tuple[str, str], Entity]:
    """One entity per key, with aliases as written; region ancestors added."""
    art = ctx.article
    entities: dict[tuple[str, str], Entity] = {}
    raw, offsets = art.raw, art.offsets
    for m in mentions:
        key = entity_key(m.type, m.label)
        e = entities.get(key)           # made only for a new key (setdefault's default is made every time)
        if e is None:
            # a village's identity is scoped by its county; its label is its plain name
            e = entities[key] = Entity(m.type, m.attrs.get("name") or m.label) if m.type == EntityType.REGION \
                else Entity(m.type, m.label)
        e.mentions.append(m)
        written = "".join([raw[offsets[i]] for i in range(m.start, m.end)])
        for form in (written, m.text, m.attrs.get("alias")):
            # 全省, 我市: the mention keeps the word (nif:anchorOf); it is no name of the region
            if form and form != e.label and not regions.is_deictic(form):
                e.aliases.add(form)
        if m.type == EntityType.REGION:
            e.attrs.update(code=m.attrs.get("code", ""), level=m.attrs.get("level", ""))
            e.attrs.update({k: m.attrs[k] for k in ("ident", "parent") if m.attrs.get(k)})
        if m.type == EntityType.BODY:
            if m.attrs.get("region"):
                e.attrs["region"] = m.attrs["region"]
            e.attrs.setdefault("parents", m.attrs.get("parents", []))
    gaz = gazetteer()
    for e in list(entities.values()):
        code = e.attrs.get("code") or e.attrs.get("region") or e.attrs.get("parent")
        if e.type in (EntityType.REGION, EntityType.BODY) and code:
            d = gaz.by_code(code)
            chain = ([d] if e.type == EntityType.BODY or not e.attrs.get("code") else []) + gaz.ancestors(d) if d else []
            first = min((m.sentence for m in e.mentions), default=-1)
            for a in chain:   # an ancestor the text never names is evidenced where its descendant is
                key = entity_key(EntityType.REGION, region_label(a))
                if key not in entities:
                    entities[key] = Entity(EntityType.REGION, region_label(a),
                                           attrs={"code": a.code, "level": a.level, "sentence": first})
    return entities


PARTNER_HEADS = words_of_kind("name_edge_words.tsv", "partner_head")


def trim_actor_prefix(mentions: list[Mention], text: str) -> list[Mention]:
    """华中农业大学定点扶贫 → 定点扶贫: an actor named at the head of an initiative is its
    implementer or partner, not part of its name (a region stays in a policy's name:
    武陵山片区…扶持政策)."""
    actors = [m for m in mentions if m.type in (EntityType.BODY, EntityType.REGION)]
    out = []
    for m in mentions:
        if m.type in INITIATIVE_TYPES:
            for a in actors:
                if m.start <= a.start <= m.start + 2 and a.end < m.end - 1 and \
                        (a.type == EntityType.BODY or m.label.endswith(PARTNER_HEADS)):
                    label = initiative_terms.clean_label(text[a.end:m.end])
                    m = Mention(m.article_id, m.sentence, a.end, m.end, text[a.end:m.end], m.type,
                                label=label, rule=m.rule + "+actor-trimmed", attrs=m.attrs)
                    break
        out.append(m)
    return out


def add_byline(ctx: ArticleContext, entities: dict) -> None:
    """The byline names a person or a unit; either is an entity of the article (added to
    ``entities`` unless already there)."""
    author = ctx.article.author
    if not author:
        return
    if author.endswith(persons.UNIT_ENDINGS):
        for m in gazetteer().find(author):
            d = ctx.resolved.get((m.start, m.end)) or gazetteer().resolve(list(m.candidates), ctx.home_chain)
            parts = bodies.parse_suffix(author, m.end) if d else []
            if parts and m.start == 0:
                labels = bodies.body_labels(d.name, parts)
                entities.setdefault(entity_key(EntityType.BODY, labels[0]), Entity(
                    EntityType.BODY, labels[0], attrs={"region": d.code, "parents": labels[1:]}))
                return
    elif persons.name_at(author, 0) == author:
        entities.setdefault(entity_key(EntityType.PERSON, author), Entity(EntityType.PERSON, author))
