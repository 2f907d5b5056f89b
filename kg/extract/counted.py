"""What a figure counts: the noun phrase after or before the number, in one tagged sentence.

``noun_after`` reads the phrase after a figure (2.4万名农村党员; skipping a descriptive clause
ending in 的; 大学生村官和选调生 coordinated whole; a qualifier in brackets, 县(区), kept).
``noun_before`` reads the phrase that closes on the figure (公务员152名): coordinated nouns
(教师、医生12.5万名) whole, a category threshold kept with its noun (年产值50万元以上的合作社18家),
a per-unit average with its verb (户均增收3600元, 人均增收), and the verb of a bare, generic
noun (筹集资金86万元 → 筹集资金, since 资金 alone says nothing). ``after_figure`` refines a
count by what follows it: a post the people take up (45名机关干部赴村挂任第一书记 → 第一书记) and
a status of places (9个重点村顺利退出 → 退出的重点村). ``bare_count`` names what a count with no
noun at all measures (全村120户 → 农户, 2600人实现脱贫 → 贫困人口; ``bare_counts.tsv``).

What this module does not do: find numbers and units, drop non-figures (``kg.extract.indicators``),
or map counted nouns to Group labels (``kg.extract.resolve``).
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg.ingest.postag import Tagged, counted_nouns
from kg.resources import load_table, split_list, words_of_kind
from kg.extract.limits import (DESCRIPTIVE_CLAUSE_CHARS, NOUN_GAP_TOKENS, PER_UNIT_VERBS,
                               POST_VERB_TOKENS, STATUS_CHARS, VERB_PROBE_CHARS)

NOUNISH = {"mod", "i", "n", "nr", "ns", "nt", "nz", "nrt", "nrfg", "j", "vn", "b", "a", "an", "ng", "zg", "l"}
_JOINERS = words_of_kind("figure_words.tsv", "joiner")
_THRESHOLD = re.compile(r"\d[\d.]*(?:千万|万|亿|千)?\D{0,3}?(?:及以上|及以下|以上|以下)$")
_POSTS = words_of_kind("figure_words.tsv", "post_verb")
_PLACE_ENDS = words_of_kind("figure_words.tsv", "place_end")
_STATUS_LEADS = words_of_kind("figure_words.tsv", "status_lead")
_ALL = words_of_kind("figure_words.tsv", "all")
_TOTALS = words_of_kind("figure_words.tsv", "total")
_NEGATIONS = words_of_kind("figure_words.tsv", "negation")


@lru_cache(maxsize=None)
def words_of(kind: str) -> tuple[str, ...]:
    """The counted nouns of ``counted_nouns.tsv`` whose kind is ``kind``, in table order."""
    return tuple(w for w, r in counted_nouns().items() if r["kind"] == kind)


@lru_cache(maxsize=1)
def _group_words() -> frozenset[str]:
    out = set()
    for row in load_table("groups.tsv"):
        out.add(row["label"])
        out.update(split_list(row.get("aliases", "")))
    return frozenset(out)


def fill_unit(counted: str) -> str:
    """The classifier of a kind of people or households that ``counted`` ends with, else ''."""
    for w, r in counted_nouns().items():
        if r["kind"] in ("person", "household", "population") and counted.endswith(w):
            return r["unit"]
    return ""


def needs_verb(word: str) -> bool:
    """A bare, generic noun (资金, 土地, 方案) that says what is counted only with its verb."""
    return 2 <= len(word) <= 3 and not fill_unit(word) and word not in counted_nouns() \
        and word not in _group_words()


def _verbs_before(toks, i: int) -> int:
    """Index of the first of up to two plain verbs right before ``toks[i]`` (统筹安排资金)."""
    skip = set(words_of("opener")) | set(words_of("action")) | {"是", "有", "为"}
    k = i
    while k > 0 and i - k < 2 and toks[k - 1][1] in ("v", "vn") and toks[k - 1][0] not in skip \
            and not toks[k - 1][0].endswith("有"):     # 辖有9个村民小组: having is not an action
        k -= 1
    return k


def noun_after(tagged: Tagged, i: int, clause_end: int) -> tuple[str, int, int]:
    """The noun phrase a figure ending at ``i`` counts when the noun follows it."""
    text = tagged.text
    s = text[i:clause_end]
    if s.startswith("的"):
        i, s = i + 1, s[1:]
    else:
        k = s.find("的")
        if 0 < k <= DESCRIPTIVE_CLAUSE_CHARS:
            toks = tagged.span(i, i + k)
            # a descriptive clause (表现优秀、实绩突出的…), not a noun phrase with its own verb
            if ("、" in s[:k] or (toks and toks[0][1] not in NOUNISH)) and not any(
                    counted_nouns().get(t[0], {}).get("kind") == "action" for t in toks):
                i, s = i + k + 1, s[k + 1:]
    toks = tagged.span(i, clause_end)
    if len(toks) > 2 and toks[0][0] in ("在", "从") and toks[1][1] in ("ns", "s", "j"):
        toks = toks[2:]   # 41名在湘金融单位干部: a place before the noun
    got: list[tuple[str, str, int, int]] = []
    for n, (w, flag, a, b) in enumerate(toks):
        nxt = toks[n + 1] if n + 1 < len(toks) else None
        if w == "“" and len("".join(t[0] for t in got)) <= 2:
            close = text.find("”", b, clause_end)
            if close > b:
                return text[b:close], b, close
        if got and w in _JOINERS and nxt and nxt[1] in NOUNISH - {"mod", "vn", "a", "b"}:
            got.append((w, "c", a, b))   # 大学生村官和选调生: one combined count
            continue
        if got and w.startswith("一") and nxt and nxt[0].startswith("一"):
            break    # 贫困户一户一策: a slogan begins
        if flag not in NOUNISH or got and flag in ("vn", "mod", "v") and fill_unit(got[-1][0]):
            break  # 贫困户发展庭院经济: a person noun followed by a verb ends the phrase
        got.append((w, flag, a, b))
    while got and got[-1][1] in ("a", "b", "mod", "i", "c"):
        got.pop()
    rest = [t for t in toks if got and t[2] == got[-1][3]]
    if rest and rest[0][1] == "m" and any(t[1] == "c" for t in got):
        got = got[:next(n for n, t in enumerate(got) if t[1] == "c")]   # 村组织5种类型、社区组织5种类型
    if not got:
        return "", -1, -1
    a, b = got[0][2], got[-1][3]
    m = re.match(r"[(（][\u4e00-\u9fff]{1,3}[)）]", text[b:clause_end])
    if m:
        b += m.end()   # 县(区): a qualifier of the noun
    return text[a:b], a, b


def _phrase_start(toks, k: int) -> int:
    """Index of the first token of the noun phrase ending at ``toks[k]``."""
    openers = words_of("opener")
    while k >= 0 and toks[k][1] in NOUNISH and toks[k][0] not in openers:
        # a verbal noun opens the phrase unless it sits inside a compound (农业经营主体)
        if toks[k][1] == "vn" and (k == 0 or toks[k - 1][1] not in NOUNISH - {"vn", "mod"}):
            break
        k -= 1
    if k >= 0 and toks[k][1] == "per":    # 人均可支配收入; 贫困户人均纯收入
        k -= 1
        if k >= 0 and fill_unit(toks[k][0]):
            k -= 1
    return k + 1


def _per_unit(toks, end: int) -> tuple[int, int] | None:
    """人均增收2700元, 户均增收: a per-unit word and its verb measure the figure."""
    actions = set(words_of("action"))
    k = end
    while k >= 0 and toks[k][0] in actions:
        k -= 1
    last, verbs = k, 0
    while k >= 0 and toks[k][1] in ("v", "d") and verbs < PER_UNIT_VERBS:
        k, verbs = k - 1, verbs + 1
    if not verbs or k < 0 or toks[k][1] != "per":
        return None
    if k > 0 and (toks[k - 1][0] == "年" or fill_unit(toks[k - 1][0])):
        k -= 1
    return k, last


def noun_before(tagged: Tagged, clause_start: int, j: int, percent: bool) -> tuple[str, int, int]:
    """The noun phrase that a figure starting at ``j`` closes (公务员152名)."""
    text = tagged.text
    toks = tagged.span(clause_start, j)
    per = _per_unit(toks, len(toks) - 1)
    if per:
        return text[toks[per[0]][2]:toks[per[1]][3]], toks[per[0]][2], toks[per[1]][3]
    k = len(toks) - 1
    skipped = 0
    while k >= 0 and skipped < NOUN_GAP_TOKENS and toks[k][1] not in NOUNISH:
        if toks[k][0] == "的" and percent:
            a = clause_start
            for scope in words_of("scope"):
                if text.startswith(scope, a):
                    a += len(scope)
            b = toks[k][2]
            cut = text.find("由", a, b)   # 贫困发生率由2014年的30.3%: the baseline year is not counted
            return text[a:cut if cut > a else b], a, cut if cut > a else b
        if toks[k][1] in ("x", "m", "q", "uj", "scope") and toks[k][0] not in _TOTALS \
                or toks[k][0] in words_of("opener"):
            return "", -1, -1   # 先后派出三批: an opener with no noun after it counts nothing here
        k -= 1
        skipped += 1
    end_k = k
    got = toks[_phrase_start(toks, k):end_k + 1]
    while got and got[-1][1] in ("mod", "a", "b", "i"):
        got = got[:-1]
    while len(got) > 1 and got[0][0].startswith("不") and got[0][1] in ("l", "i", "a", "v"):
        got = got[1:]   # 不称职村干部: unfit ones are still of the kind
    if not got:
        return "", -1, -1
    first = toks.index(got[0])
    a, b = got[0][2], got[-1][3]
    while first >= 2 and toks[first - 1][0] in _JOINERS and toks[first - 2][1] in NOUNISH - {"mod", "vn"}:
        k2 = _phrase_start(toks, first - 2)
        if k2 > first - 2:
            break
        first, a = k2, toks[k2][2]     # 教师、医生12.5万名: the combined count
    if first >= 1 and toks[first - 1][0] == "的":
        m = _THRESHOLD.search(text, clause_start, toks[first - 1][2])
        if m:
            inner, ia, _ = noun_before(tagged, clause_start, m.start(), False)
            if inner:
                a = ia         # 年产值50万元以上的合作社: the threshold defines the kind
    elif len(got) == 1 and got[0][1] == "n" and needs_verb(got[0][0]):
        a = toks[_verbs_before(toks, first)][2]
    return text[a:b], a, b


def verb_before_number(tagged: Tagged, clause_start: int, num_start: int, noun: str) -> str:
    """争取到550万元资金 → 争取到的资金: a bare generic noun after the figure takes its verb."""
    if not needs_verb(noun):
        return noun
    toks = tagged.span(clause_start, num_start)
    end = len(toks) - 1 if len(toks) > 1 and toks[-1][0] == "到" else len(toks)   # 争取到
    k = _verbs_before(toks, end)
    if k == end:
        return noun
    return tagged.text[toks[k][2]:toks[-1][3]] + "的" + noun


def after_figure(tagged: Tagged, counted: str, cb: int, clause_end: int) -> tuple[str, int, int] | None:
    """What the rest of the clause after a counted noun makes of it, or None:
    - 45名机关干部赴村挂任第一书记 → 第一书记 (the post the people are counted in);
    - 9个重点村顺利退出 → 退出的重点村, 4个村尚未退出 → 未退出的村, 3个县脱贫摘帽 → 脱贫摘帽县."""
    text = tagged.text
    rest = text[cb:clause_end]
    cut = rest.find("、")
    if cut > 0:
        rest = rest[:cut]
    if fill_unit(counted):
        toks = tagged.span(cb, clause_end)
        if toks and toks[0][0] in ("到", "赴", "在", *_POSTS):
            for t in toks[:POST_VERB_TOKENS]:
                if t[0] in _POSTS:
                    role = noun_after(tagged, t[3], clause_end)
                    return role if role[0] else None
        return None
    if not counted.endswith(_PLACE_ENDS) or not rest or len(rest) > STATUS_CHARS:
        return None
    threshold = re.search(r"(以上|以下)$", rest)
    if re.search(r"\d", rest) and not threshold:
        return None
    if rest.startswith(_ALL):
        return None    # 191个贫困村全部退出: the status is said of all of them, it does not select
    for lead in _STATUS_LEADS:
        if rest.startswith(lead) and len(rest) > len(lead):
            rest = rest[len(lead):]
    neg = next((w for w in _NEGATIONS if rest.startswith(w)), "")
    rest = rest[len(neg):]
    at = text.find(rest, cb)
    if not rest or not (rest.startswith("脱贫") or _starts_with_verb(tagged, at)):
        return None
    if not threshold and not rest.startswith("脱贫") and any(t[1] not in ("v", "d", "mod", "vn") for t in tagged.span(at, at + len(rest))):
        return None   # 村开展评选: an activity with its object says what they do, not what they are
    if rest.startswith("脱贫") and not neg:
        return rest + counted, -1, -1
    return ("未" if neg else "") + rest + "的" + counted, -1, -1


def _starts_with_verb(tagged: Tagged, pos: int) -> bool:
    toks = tagged.span(pos, min(pos + VERB_PROBE_CHARS, len(tagged.text)))
    return bool(toks) and toks[0][1] in ("v", "vn")


@lru_cache(maxsize=1)
def _bare_rows() -> tuple[dict, ...]:
    return load_table("bare_counts.tsv")


def is_bare_default(counted: str) -> bool:
    """A noun no text wrote, named by a row that always applies (农户, 人口)."""
    return any(row["counted"] == counted and not row["followed_by"] for row in _bare_rows())


def bare_count(unit: str, after: str) -> str:
    """What a count with no noun measures (全村120户 → 农户), from ``bare_counts.tsv``; ''."""
    for row in _bare_rows():
        if row["unit"] == unit and after.startswith(row["followed_by"]):
            return row["counted"]
    return ""
