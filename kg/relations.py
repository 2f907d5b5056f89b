"""Relations of one article, each from a pattern over a sentence (or the gazetteer).

Patterns (the name of each is recorded on the relation):
- partOf: ``gazetteer-parent`` (a region and its direct parent); ``located-in-area``
  (建始县位于…武陵山连片特困地区内).
- locatedIn: ``body-region`` (the region in the body's name or filled in from context).
- subOrganizationOf: ``body-parent`` (湖南省委组织部 → 湖南省委, when the parent is named).
- issued: ``body+issue-verb+document`` (X印发《Y》), ``lead-body+issue-verb+document``.
- implements: ``body+initiative`` (湖北省委“616”工程), ``body+verb+initiative`` (X实施Y),
  ``lead-body`` (a sentence with no subject in an article led by one body).
- appliesIn: ``home-region`` and ``region-in-sentence`` / ``region-in-name``.
- targets: ``group-in-name`` (村级后备干部培养计划 → 村级后备干部), ``initiative+verb+group``.
- pairedWith: ``abbreviation-pair`` (沪滇合作), ``partner+pairing-term`` (咸宁市对口支援),
  ``X向Y选派``, ``X与Y结对``.

What this module does not do: find the mentions, or merge across articles.
"""
from __future__ import annotations

import re

from .extract.context import ArticleContext, region_label
from .model import Entity, Mention, Relation, entity_key
from .regions import gazetteer

ISSUE_VERBS = ("印发", "下发", "出台", "制定", "发布", "颁布", "制发", "修订")
IMPLEMENT_VERBS = ("实施", "开展", "推行", "推进", "建立", "实行", "探索", "落实", "组织", "启动", "制定",
                   "出台", "健全", "完善", "打造", "创新", "部署")
DRAW_ON = ("借助", "运用", "抢抓", "依托", "争取", "利用", "对接")
TARGET_VERBS = ("为", "对", "向", "面向", "针对", "帮助", "组织", "引导", "选派", "培养", "让")
PAIRING_TERMS = ("定点扶贫", "对口支援", "对口帮扶", "东西部扶贫协作", "扶贫协作", "结对帮扶", "挂钩帮扶", "对口协作")
SEND_VERBS = ("选派", "派出", "输送", "选调", "交流")
CLAUSE = re.compile(r"[，,；;：:]")
LOCATED = re.compile(r"位于|地处|属于|地属|所在")


def extract_relations(ctx: ArticleContext, mentions: list[Mention], entities: dict,
                      lead: tuple[str, str] | None) -> list:
    aid = ctx.article.id
    rels: list[Relation] = []

    def add(s, p, o, sent, pattern):
        if s != o and s in entities and o in entities:
            rels.append(Relation(s, p, o, aid, sent, pattern))

    gaz = gazetteer()
    home = entity_key("Region", ctx.home_label()) if ctx.home_label() else None
    for e in entities.values():
        if e.type == "Region" and e.attrs.get("code"):
            d = gaz.by_code(e.attrs["code"])
            parent = gaz.parent(d) if d else None
            if parent:
                add(e.key, "partOf", entity_key("Region", region_label(parent)), _first_sentence(e), "gazetteer-parent")
        elif e.type == "Region" and e.attrs.get("parent"):      # a village: the place named before it
            d = gaz.by_code(e.attrs["parent"])
            if d:
                add(e.key, "partOf", entity_key("Region", region_label(d)), _first_sentence(e), "village-parent")
        if e.type == "Body":
            if e.attrs.get("region"):
                d = gaz.by_code(e.attrs["region"])
                if d:
                    add(e.key, "locatedIn", entity_key("Region", region_label(d)), _first_sentence(e), "body-region")
            for parent in e.attrs.get("parents", []):
                if entity_key("Body", parent) in entities:
                    add(e.key, "subOrganizationOf", entity_key("Body", parent), _first_sentence(e), "body-parent")
                    break

    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    for sent in ctx.sentences:
        ms = sorted(by_sentence.get(sent.index, []), key=lambda m: m.start)
        _sentence_relations(ctx, sent, ms, lead, home, add)
    for rel in _abbreviation_pairs(ctx, entities):
        rels.append(rel)
    return _unique(rels)


def _first_sentence(e: Entity) -> int:
    return min((m.sentence for m in e.mentions), default=e.attrs.get("sentence", -1))


def _key(m: Mention) -> tuple[str, str]:
    return entity_key(m.type, m.label)


def _sentence_relations(ctx, sent, ms, lead, home, add) -> None:
    text = ctx.article.text
    bodies = [m for m in ms if m.type == "Body"]
    regions = [m for m in ms if m.type == "Region"]
    initiatives = [m for m in ms if m.type in ("Programme", "Measure")]
    groups = [m for m in ms if m.type == "Group"]
    for doc in (m for m in ms if m.type == "Document"):
        before = text[sent.start:doc.start]
        if any(v in before for v in ISSUE_VERBS):
            subject = [b for b in bodies if b.end <= doc.start]
            if subject:
                add(_key(subject[-1]), "issued", _key(doc), sent.index, "body+issue-verb+document")
            elif lead:
                add(lead, "issued", _key(doc), sent.index, "lead-body+issue-verb+document")
    for ini in initiatives:
        before = text[sent.start:ini.start]
        glued = [b for b in bodies if 0 <= ini.start - b.end <= 1]
        subject = [b for b in bodies if b.end <= ini.start]
        if glued:
            add(_key(glued[-1]), "implements", _key(ini), sent.index, "body+initiative")
        elif subject and any(v in text[subject[-1].end:ini.start] for v in IMPLEMENT_VERBS):
            add(_key(subject[-1]), "implements", _key(ini), sent.index, "body+verb+initiative")
        elif lead and not bodies and not any(v in before[-8:] for v in DRAW_ON):
            add(lead, "implements", _key(ini), sent.index, "lead-body")
        if home:
            add(_key(ini), "appliesIn", home, sent.index, "home-region")
        for r in regions:
            inside = ini.start <= r.start and r.end <= ini.end
            if inside or (r.label != (home[1] if home else None) and not _in_body(r, bodies)):
                add(_key(ini), "appliesIn", _key(r), sent.index, "region-in-name" if inside else "region-in-sentence")
        for g in groups:
            if ini.start <= g.start and g.end <= ini.end:
                add(_key(ini), "targets", _key(g), sent.index, "group-in-name")
            elif g.start >= ini.end:
                between = text[ini.end:g.start]
                # the group's clause may follow the initiative's: 实施X工程，为贫困村培养Y
                clauses = CLAUSE.split(between)
                if len(clauses) <= 2 and clauses[-1].startswith(TARGET_VERBS) or \
                        len(clauses) == 1 and any(v in between for v in TARGET_VERBS):
                    add(_key(ini), "targets", _key(g), sent.index, "initiative+verb+group")
    areas = [r for r in regions if r.attrs.get("level") == "area"]
    if areas and LOCATED.search(sent.text):
        for r in regions:          # 建始县位于…武陵山连片特困地区内
            if r.attrs.get("level") not in ("area", None) and r.start < areas[0].start:
                add(_key(r), "partOf", _key(areas[0]), sent.index, "located-in-area")
    partners = [m for m in ms if m.type in ("Region", "Body") and not _in_body(m, bodies)]
    for p in partners:
        after = text[p.end:p.end + 8]
        if home and any(after.startswith(t) or after[1:].startswith(t) for t in PAIRING_TERMS):
            add(_key(p), "pairedWith", home, sent.index, "partner+pairing-term")
    for a in partners:
        for b in partners:
            if a.end <= b.start and _key(a) != _key(b):
                between = text[a.end:b.start]
                if between.strip("累计年来共") .startswith("向") or "向" in between[:6]:
                    tail = text[b.end:b.end + 12]
                    if any(v in tail for v in SEND_VERBS) and not CLAUSE.search(between):
                        add(_key(a), "pairedWith", _key(b), sent.index, "X向Y选派")
                if re.match(r"^(与|和|同)$", between) and text.startswith("结对", b.end):
                    add(_key(a), "pairedWith", _key(b), sent.index, "X与Y结对")


def _in_body(m: Mention, bodies: list[Mention]) -> bool:
    return m.type == "Region" and any(b.start <= m.start and m.end <= b.end for b in bodies)


def _abbreviation_pairs(ctx: ArticleContext, entities: dict) -> list[Relation]:
    """沪滇合作, 闽宁协作: two province abbreviations before 合作/协作 pair the provinces."""
    gaz, text, out = gazetteer(), ctx.article.text, []
    for m in re.finditer(r"([\u4e00-\u9fff])([\u4e00-\u9fff])(?:扶贫)?(?:合作|协作)", text):
        a, b = gaz.province_abbreviation(m.group(1)), gaz.province_abbreviation(m.group(2))
        if a and b and a != b:
            ka, kb = entity_key("Region", a.name), entity_key("Region", b.name)
            for d, k in ((a, ka), (b, kb)):
                entities.setdefault(k, Entity("Region", d.name, attrs={"code": d.code, "level": d.level}))
            out.append(Relation(ka, "pairedWith", kb, ctx.article.id, ctx.sentence_at(m.start()).index,
                                "abbreviation-pair"))
    return out


def _unique(rels: list[Relation]) -> list[Relation]:
    seen, out = set(), []
    for r in rels:
        k = (r.subject, r.predicate, r.object, r.sentence)
        if k not in seen:
            seen.add(k)
            out.append(r)
    return out
