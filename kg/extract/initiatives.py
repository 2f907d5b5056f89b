"""Programme and Measure mentions: quoted names, head-word phrases and a national lexicon.

- Quoted names: “领头之雁”工程, 不合格“召回”制度, “十大支持”“十大放开”政策,
  “党支部+党员+贫困户”“…”等模式 → one mention per name; the head word after the quotes
  (``initiative_heads.tsv``) decides Programme or Measure; formulas with + become “X模式”.
- Head-word phrases without quotes: 深入实施芙蓉人才行动计划 → 芙蓉人才行动计划, cut on the
  left by ``kg.extract.phrases``. Weak heads (建设, 管理, 活动 …) need an action verb before.
- National names from ``initiatives.tsv`` (雨露计划, 东西部扶贫协作 …) wherever they occur.
Labels drop quotation marks and a leading scope word (农村, 党支部 …), which stays as alias.
Phrases listed in ``not_initiatives.tsv`` (policy fields, slogans) are never initiatives.

Its words and label rules: ``kg.extract.initiative_terms``.

What this module does not do: titled documents (documents.py) or relations.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from kg.model import INITIATIVE_TYPES, ArticleContext, EntityType, Mention
from kg.resources import load_table, split_list
from kg.extract.groups import label_of, people_heads
from kg.extract.phrases import action_verbs, extend_left, holds_boundary_word, is_han, term_hits
from kg.extract.initiative_terms import (LEVEL_SCOPE_WORDS, MODIFIED_VEHICLE, NUMBER_SET, NUMBERED_MODIFIER,
                                         SCOPE_WORDS, SET_NAME, SUPERLATIVE, TYPE_CODES, VEHICLES, abstract_nouns,
                                         clean_label, fields, head_at, head_pattern, head_use, heads,
                                         not_initiatives, set_followers, split_scope)
from kg.extract.limits import (ENUMERATION_LEFT_CHARS, GLUED_PREFIX_CHARS, HEADED_NAME_CHARS, ITEM_HEAD_TAIL_CHARS,
                               NUMBERED_MODIFIER_CHARS, SCOPE_PREFIX_CHARS, SELF_HEADED_MIN)

QUOTE = re.compile(r"“([^“”\n]{1,40})”")


def _names_a_goal(text: str, pos: int) -> bool:
    """“十百千亿”发展蓝图: a goal noun within a few characters after the quote."""
    tail = re.match(r"[\u4e00-\u9fff]{0,4}", text[pos:]).group()
    return any(g in tail for g in set_followers("goal"))


def _epithet_of_field(text: str, quote_start: int) -> bool:
    """走好乡村振兴“新X路”: a quoted name in apposition to a policy field is a metaphor for it."""
    return text[:quote_start].endswith(fields())


def _cut_head(text: str, pos: int) -> str | None:
    """“三清一改”行⏎ at the end of the text: the head 行动 is cut off; its type still holds."""
    rest = text[pos:].strip()
    if not rest or len(rest) > 2 or not is_han(rest):
        return None
    return next((t for h, t in sorted(heads().items()) if h.startswith(rest) and h != rest
                 and t in INITIATIVE_TYPES), None)


ENUMERATION = re.compile(r"((?:[\u4e00-\u9fff]{2,8}、){1,6}[\u4e00-\u9fff]{2,8})等")
# 等三个方面的规范化建设: a count of the items before the umbrella name that sums them up
ITEM_COUNT = re.compile(r"[一二三四五六七八九十两\d]+(?:个方面|项|个)的?")


def _umbrella(ctx: ArticleContext, m: re.Match) -> list[Mention]:
    """健全例会制度、台账管理、考评办法等三个方面的规范化建设: the umbrella name and each
    item with a head word of its own are Measures or Programmes; items without one are not."""
    text, hd = ctx.article.text, heads()
    count = ITEM_COUNT.match(text, m.end())
    found = head_at(text, count.end(), max_tail=ITEM_HEAD_TAIL_CHARS) if count else None
    if not found or found[0] and not is_han(found[0]):
        return []
    out = [_mention(ctx, count.end(), found[2], hd[found[1]], found[0] + found[1], "enumeration+umbrella")]
    pos = m.start(1)
    for item in m.group(1).split("、"):
        own = max((h for h in hd if item.endswith(h) and len(item) - len(h) >= 2
                   and hd[h] in INITIATIVE_TYPES), key=len, default=None)
        if own:
            out.append(_mention(ctx, pos, pos + len(item), hd[own], item, "enumeration-item"))
        pos += len(item) + 1
    return out


def _enumerations(ctx: ArticleContext) -> list[Mention]:
    """谈心谈话、健康体检、休假等制度: each item of a list closed by 等 + head is one."""
    text, out, hd = ctx.article.text, [], heads()
    for m in ENUMERATION.finditer(text):
        if ITEM_COUNT.match(text, m.end()):
            out += _umbrella(ctx, m)
            continue
        found = head_at(text, m.end(), max_tail=0)
        if not found or head_use()[found[1]] == "quoted":
            continue
        items = m.group(1).split("、")
        pos = m.start(1)
        first_end = pos + len(items[0])
        start = extend_left(ctx, first_end, max_chars=ENUMERATION_LEFT_CHARS)
        for i, item in enumerate(items):
            s = start if i == 0 else pos
            if first_end - start >= 2 or i > 0:
                out.append(_mention(ctx, s, pos + len(item), hd[found[1]], text[s:pos + len(item)],
                                    "enumeration+等+head"))
            pos += len(item) + 1
    return out


@lru_cache(maxsize=1)
def set_units() -> str:
    """The characters of ``set_units.tsv`` (units an enumerated set is counted in) as one string."""
    return "".join(r["unit"] for r in load_table("set_units.tsv"))


def _one_per_unit(ctx: ArticleContext) -> list[Mention]:
    """贫困户一户一档， — an unquoted 一X一Y rule over a unit noun X is a Measure (dev NOTES 12)."""
    text = ctx.article.text
    rule = re.compile(f"一[{set_units()}]一[\u4e00-\u9fff](?![\u4e00-\u9fff])")
    return [_mention(ctx, m.start(), m.end(), EntityType.MEASURE, m.group(), "one-per-unit")
            for m in rule.finditer(text) if text[m.start() - 1:m.start()] != "“"]


def find(ctx: ArticleContext) -> list[Mention]:
    """Initiative mentions: quoted names, enumerations, one-per-unit schemes, head-word phrases
    and lexicon names, without overlaps and without the phrases listed as not initiatives."""
    quoted = _quoted(ctx) + _enumerations(ctx) + _one_per_unit(ctx)
    taken = [(m.start, m.end) for m in quoted]
    lexicon = _lexicon(ctx)
    # a national name followed by one more head word is that name at work (雨露计划培训)
    phrases = [m for m in _head_phrases(ctx) if not any(m.start < e and s < m.end for s, e in taken)
               and not any(m.start <= x.start and heads().get(ctx.article.text[x.end:m.end]) for x in lexicon)]
    out = quoted + [_canonical(m) for m in phrases]
    spans = [(m.start, m.end) for m in out]
    out += [m for m in lexicon if not any(s <= m.start and m.end <= e for s, e in spans)]
    return [m for m in out if m.label not in not_initiatives() and len(m.label) >= 2]


def _canonical(m: Mention) -> Mention:
    """A phrase written as a listed alias of initiatives.tsv (软弱涣散村党组织整顿) takes the
    lexicon's label and type (软弱涣散党组织整顿, Measure): one node, whatever the wording."""
    hit = _lexicon_entries().get(m.label)
    if hit is None or hit == (m.label, m.type):
        return m
    return replace(m, label=hit[0], type=hit[1], rule=m.rule + "+lexicon")


def _mention(ctx, start, end, type_, label, rule, alias=None) -> Mention:
    s = ctx.sentence_at(start)
    attrs = {"alias": alias} if alias else {}
    return Mention(ctx.article.id, s.index, start, end, ctx.article.text[start:end], type_,
                   label=label, rule=rule, attrs=attrs)


def _quote_chains(text: str) -> list[list[re.Match]]:
    chains: list[list[re.Match]] = []
    for m in QUOTE.finditer(text):
        if chains and text[chains[-1][-1].end():m.start()] in ("", "、", "，", ",", " "):
            chains[-1].append(m)
        else:
            chains.append([m])
    return chains


def _quoted(ctx: ArticleContext) -> list[Mention]:
    text, out = ctx.article.text, []
    hd = heads()
    for chain in _quote_chains(text):
        after = chain[-1].end()
        etc = text.startswith("等", after)
        pos = after + (1 if etc else 0)
        found = head_at(text, pos)
        vehicle = next((v for v in VEHICLES if text.startswith(v, pos)), None)
        if vehicle and found and found[0] == "" and found[1] == vehicle:
            found = None           # the vehicle noun classifies the names; it is not a head
        if etc and not vehicle:
            # “积分超市”等激励方式: a vehicle behind a short modifier classifies the names too
            m = MODIFIED_VEHICLE.match(text, pos)
            if m and not holds_boundary_word(m.group(1)) \
                    and (not found or found[2] <= m.end()):
                vehicle, found = m.group(2), None
        if found and found[0] and etc:
            # “一帮一”“一帮多”等创富带富帮扶机制: the mechanism is the named thing
            tail, head, end = found
            out.append(_mention(ctx, pos, end, hd[head], clean_label(tail + head), "quotes+等+phrase"))
            if any("+" in q.group(1) for q in chain):
                out += _formula_models(ctx, chain)
            continue
        if found and len(chain) == 1 and "+" in chain[0].group(1) and found[1].endswith("模式"):
            out += _formula_models(ctx, chain, end=found[2])   # “A+B+C”的产业发展模式 → A+B+C模式
            continue
        if found and len(chain) == 1 and tail_is_generic(found, chain[0].group(1)):
            continue               # “领头雁”队伍建设: generic verb-object work, the quote stresses a word
        if found and len(chain) == 1:
            tail, head, end = found
            q = chain[0]
            start = _glued_prefix_start(ctx, q.start())
            # a scope word is dropped only outside the quotes: “农村电商”工程 keeps 农村
            prefix = text[start:q.start()]
            scoped = prefix in SCOPE_WORDS
            name = text[q.start():q.end()] + text[q.end():end].removeprefix("的")   # “三对一”的模式
            label = clean_label(("" if scoped else prefix) + name)
            alias = clean_label(text[start:end]) if scoped else None
            national = _lexicon_labels().get(clean_label(q.group(1)))
            if national and not tail and not prefix:
                label, alias = national, label      # “五个一批”工程 is the national 五个一批
            out.append(_mention(ctx, start, end, hd[head], label, "quote+head", alias))
            continue
        if found or vehicle:
            type_ = hd[found[1]] if found else VEHICLES[vehicle]
            for q in chain:
                if "+" in q.group(1):
                    out += _formula_models(ctx, [q])
                else:
                    out.append(_mention(ctx, q.start(1), q.end(1), type_, clean_label(q.group(1)),
                                        "quotes+head"))
            continue
        cut = _cut_head(text, after) if len(chain) == 1 else None
        for q in chain:          # no head after the quotes: the quote must name itself
            inner = q.group(1)
            own = head_pattern().search(inner)
            if cut:
                out.append(_mention(ctx, q.start(1), q.end(1), cut, clean_label(inner), "quote+cut-head"))
            elif "+" in inner and text.startswith("模式", after):
                out += _formula_models(ctx, [q])
            elif own and own.end() == len(inner) and len(inner) >= SELF_HEADED_MIN:
                if not _epithet_of_field(text, q.start()):
                    label, alias = split_scope(clean_label(inner))
                    out.append(_mention(ctx, q.start(1), q.end(1), hd[own.group()], label,
                                        "quote-self-headed", alias))
            elif _named_set(text, q):
                # “三资”成为…, 山区“两免一补”使…, 原“三联”帮扶小组: a named set is a Measure, a
                # set of -化 changes a Programme (“三个组织化”, like 五化建设)
                prefix = text[extend_left(ctx, q.start(), max_chars=SCOPE_PREFIX_CHARS):q.start()]
                alias = prefix + inner if prefix in SCOPE_WORDS else None
                label, type_ = _lexicon_entries().get(inner, (inner, EntityType.PROGRAMME if "化" in inner else EntityType.MEASURE))
                out.append(_mention(ctx, q.start(1), q.end(1), type_, label, "quote-number-set", alias))
    return out


def _named_set(text: str, q: re.Match) -> bool:
    """A quoted numbered set that names a rule or a model, not a goal (“十百千亿”发展蓝图), an
    abstract count (“四个方面”), a meeting or a time (市县“两会”中), a group of people
    (“四大家”领导), a quality (“三位一体”的格局), a post (“一把手”) or a field (“三农”)."""
    inner, after = q.group(1), text[q.end():q.end() + 3]
    if not (NUMBER_SET.match(inner) or SET_NAME.match(inner)) or inner in label_of():
        return False
    if inner.endswith(abstract_nouns()) or after.startswith(set_followers("after") + people_heads()):
        return False
    return not _names_a_goal(text, q.end())


def tail_is_generic(found: tuple[str, str, int], inner: str) -> bool:
    """The words after the quote form a generic phrase with a weak head (队伍建设, 组织建设) and
    the quote is no named set: the quoted word is that work's object, not a name (a strong head
    keeps it: “日记录、周研判”管理制度)."""
    tail, head, _end = found
    return bool(tail) and head_use()[head] == "weak" and tail + head in not_initiatives() \
        and not SET_NAME.match(inner)


def _formula_models(ctx: ArticleContext, chain: list[re.Match], end: int | None = None) -> list[Mention]:
    """“A+B+C” → Measure A+B+C模式; ``end`` extends a lone formula's span over its head."""
    out = []
    for q in chain:
        inner = clean_label(q.group(1))
        if "+" in inner:
            out.append(_mention(ctx, q.start(1), end or q.end(1), EntityType.MEASURE, inner + "模式", "formula-model", inner))
    return out


def _glued_prefix_start(ctx: ArticleContext, quote_start: int) -> int:
    """不合格“召回”制度: Han characters glued before the quote belong to the name."""
    text = ctx.article.text
    start = extend_left(ctx, quote_start, max_chars=GLUED_PREFIX_CHARS)
    if _sums_up_list(text, start, quote_start):
        return quote_start     # A、B、C、工作队蹲点帮扶“三位一体”服务体系: the set sums up the list
    if any(start <= s and e < quote_start for s, e in ctx.resolved):
        # 凉山州委“彝乡头雁”工程: a place and more (its body) is the actor, not part of the name;
        # a place alone stays in it (固原市“两个带头人”工程)
        return quote_start
    return start if is_han(text[start:quote_start]) else quote_start


def _sums_up_list(text: str, start: int, quote_start: int) -> bool:
    """A quoted set whose numeral equals the number of items listed before it in its clause
    names that list; the glued words are the last item, not part of the name."""
    clause = re.split(r"[，,；;。：:！？\n]", text[:start])[-1]
    inner = QUOTE.match(text, quote_start)
    if not inner or not SET_NAME.match(inner.group(1)) or "、" not in clause:
        return False
    first = inner.group(1)[0]
    return ("一二三四五六七八九十".find(first) + 1 or (2 if first == "两" else 0)) == clause.count("、") + 1


def _head_phrases(ctx: ArticleContext) -> list[Mention]:
    text, out = ctx.article.text, []
    hd = heads()
    for m in head_pattern(unquoted=True).finditer(text):
        head, end = m.group(), m.end()
        if end < len(text) and end not in ctx.cuts and is_han(text[end]):
            continue             # the head is the start of a longer word (管理 in 管理员)
        if end < len(text) and head_pattern().match(text, end):
            continue             # 行动计划: the phrase ends at the later head
        start = extend_left(ctx, m.start(), max_chars=HEADED_NAME_CHARS)
        numbered = NUMBERED_MODIFIER.search(text, max(0, m.start() - NUMBERED_MODIFIER_CHARS), m.start())
        if numbered and numbered.start() < start:
            start = numbered.start()         # 健全四级网格体系: 网格 is a noun inside the set's name
        if m.start() - start < 2 or not is_han(text[start:end]):
            continue
        if head_use()[head] == "weak" and not _verb_before(ctx, start, action_verbs()) \
                and not _province_pair(text[start:m.start()]) and not numbered:
            continue
        if SUPERLATIVE.match(text, start):
            continue
        label, alias = split_scope(text[start:end], LEVEL_SCOPE_WORDS)
        out.append(_mention(ctx, start, end, hd[head], label, "head-phrase", alias))
    return out


def _province_pair(modifier: str) -> bool:
    """沪滇 (合作), 闽宁 (协作): two province abbreviations name a pairing programme."""
    from kg.ingest.gazetteer_cache import gazetteer
    gaz = gazetteer()
    return len(modifier) == 2 and all(gaz.province_abbreviation(c) for c in modifier)


def _verb_before(ctx: ArticleContext, start: int, verbs: frozenset[str]) -> bool:
    sent = ctx.sentence_at(start)
    prev = [t for t in ctx.tokens[sent.index] if t.end <= start]
    return bool(prev) and len(prev[-1].text) >= 2 and (prev[-1].text in verbs or prev[-1].text[-2:] in verbs)


@lru_cache(maxsize=1)
def _lexicon_terms() -> tuple[tuple[str, str, str], ...]:
    terms = []
    for row in load_table("initiatives.tsv"):
        type_ = TYPE_CODES.get(row["type"], row["type"])
        for surface in [row["label"], *split_list(row.get("aliases", ""))]:
            terms.append((surface, row["label"], type_))
    return tuple(sorted(terms, key=lambda t: len(t[0]), reverse=True))


@lru_cache(maxsize=1)
def _lexicon_entries() -> dict[str, tuple[str, str]]:
    """surface -> (label, type) of every label and alias of initiatives.tsv."""
    out: dict[str, tuple[str, str]] = {}
    for surface, label, type_ in _lexicon_terms():
        out.setdefault(surface, (label, type_))
    return out


@lru_cache(maxsize=1)
def _lexicon_labels() -> dict[str, str]:
    return {surface: label for surface, (label, _type) in _lexicon_entries().items()}


def _lexicon(ctx: ArticleContext) -> list[Mention]:
    terms = _lexicon_terms()
    hits = term_hits(ctx.article.text, [t[0] for t in terms], ctx.on_cut)
    return [_mention(ctx, s, e, terms[i][2], terms[i][1], "lexicon") for s, e, i in hits]
