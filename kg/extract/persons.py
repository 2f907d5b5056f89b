"""Person mentions: names after a role cue, in enumerations of names, bylines, and a lexicon.

A name is a common surname (``surnames.txt``) and one or two given-name characters, found
- after a cue of ``person_cues.tsv`` (第一书记杨波, 老支书黄大发, 记者 王某) or a closing quote
  that ends an epithet (“当代女愚公”邓迎香);
- in an enumeration closed by 等 (周甫胜、刘勇等一批), or opened by a byline cue (记者王某、李某);
- in a byline: the article's ``Article.author`` when that is a name, and the names standing
  alone between spaces on a line that credits an author (作者:某县委组织部 张三 李 四; a name
  broken by a stray space is labelled without it, the spaced form kept as written);
- again, without a cue, where a name found so (of three characters or more) recurs as a word;
- by form: a transliterated name joined by a middle dot (阿依帕尔·艾斯卡尔), and the national
  leaders and exemplary figures of ``national_leaders.tsv`` (习近平) wherever they stand.
The given name stops where the next word begins: before 、，等的在是 …, and at a jieba token
boundary when the longer reading runs into the next word (王军正在 → 王军).
Photo captions (``ArticleContext.in_caption``) are skipped: their names are not annotated.

What this module does not do: tell people apart who share a name, or read posts (``posts.py``).
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg.model import ArticleContext, EntityType, Mention
from kg.ingest.lexicon_match import lexicon
from kg.ingest.postag import word_tags
from kg.resources import char_class, load_lines, load_table, words_of_kind
from kg.ingest.segment import tokenizer
from kg.extract.limits import COMMON_WORD_FREQ, CREDIT_WINDOW, EDITOR_CUE_CHARS, NEXT_WORD_FREQ, SURNAME_COUNT

STOP_AFTER = char_class("name_stop")
UNIT_ENDINGS = words_of_kind("name_edge_words.tsv", "unit_ending")
HAN = re.compile(r"[\u4e00-\u9fff]")
DOTS = "·•・‧"
FUNCTION_SURNAMES = char_class("not_surname")   # 和, 从, 任 …: see char_classes.tsv


@lru_cache(maxsize=1)
def surnames() -> tuple[str, ...]:
    """The ``SURNAME_COUNT`` (300) most common surnames, longest first."""
    return tuple(sorted(load_lines("surnames.txt")[:SURNAME_COUNT], key=len, reverse=True))


def _cue_table(kinds: tuple[str, ...], positions: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted({r["cue"] for r in load_table("person_cues.tsv")
                         if r.get("kind", "role") in kinds and r.get("position", "before") in positions},
                        key=len, reverse=True))


@lru_cache(maxsize=1)
def cues() -> tuple[str, ...]:
    """Cues a name follows (a cue of position ``both`` stands before a name as well)."""
    return _cue_table(("role", "honour", "byline"), ("before", "both"))


@lru_cache(maxsize=1)
def byline_cues() -> tuple[str, ...]:
    """Cue words that introduce a name in a byline (记者, 通讯员 …)."""
    return _cue_table(("byline",), ("before", "both", "after"))


@lru_cache(maxsize=1)
def _cue_re() -> re.Pattern:
    """A cue before a name (``cues``), and a space after it."""
    return re.compile("(?:" + "|".join(map(re.escape, cues())) + r")\s?" if cues() else r"(?!)")


@lru_cache(maxsize=1)
def _byline_cue_re() -> re.Pattern:
    """A byline cue (``byline_cues``)."""
    return re.compile("|".join(map(re.escape, byline_cues())) or r"(?!)")


@lru_cache(maxsize=1)
def leaders() -> tuple[str, ...]:
    """Names of national leaders (``national_leaders.tsv``), longest first."""
    return tuple(sorted((r["name"] for r in load_table("national_leaders.tsv")), key=len, reverse=True))


@lru_cache(maxsize=1)
def _transliteration_chars() -> frozenset[str]:
    return frozenset("".join(load_lines("transliteration_chars.txt")))


@lru_cache(maxsize=1)
def _surnames_by_length() -> tuple[tuple[int, frozenset[str]], ...]:
    lengths = sorted({len(s) for s in surnames()}, reverse=True)
    return tuple((n, frozenset(s for s in surnames() if len(s) == n)) for n in lengths)


def surname_at(text: str, pos: int) -> str:
    """The surname starting at ``pos``, or ''."""
    return next((text[pos:pos + n] for n, names in _surnames_by_length() if text[pos:pos + n] in names), "")


def name_at(text: str, pos: int) -> str:
    """The name starting at ``pos``, or ''."""
    sur = surname_at(text, pos)
    if not sur:
        return ""
    given = ""
    p = pos + len(sur)
    while p < len(text) and len(given) < 2 and "\u4e00" <= text[p] <= "\u9fff" and text[p] not in STOP_AFTER:
        given += text[p]
        p += 1
    return sur + given if given else ""


def find(ctx: ArticleContext) -> list[Mention]:
    """Person mentions: names after a title cue, after an epithet in quotes, in enumerations
    (张三、李四等), in bylines, and the article's author. Found once per context (the home
    region's scoring and the mention finders both ask; they read only the text, its tokens
    and captions, which are set before)."""
    if ctx.persons is None:
        ctx.persons = _find(ctx)
    return list(ctx.persons)


def _find(ctx: ArticleContext) -> list[Mention]:
    text, found = ctx.article.text, {}
    _by_form(ctx, found)             # first: 第一书记艾尔肯·吐尔逊 is the dotted name, not 艾尔肯
    for m in _cue_re().finditer(text):
        if m.end() in ctx.cuts or text[m.end() - 1].isspace():   # 平利县长安镇: no cue 县长
            _add(ctx, found, m.end(), "cue+name")
    for m in re.finditer(r"”", text):
        _add(ctx, found, m.end(), "epithet+name")
    for m in re.finditer(r"((?:[\u4e00-\u9fff]{2,3}、)+[\u4e00-\u9fff]{2,3})等", text):
        _add_list(ctx, found, m.group(1), m.start(1), "enumeration")
    _bylines(ctx, found)
    author = ctx.article.author
    if author and not author.endswith(UNIT_ENDINGS) and name_at(author, 0) == author:
        start = text.find(author)
        if start >= 0:
            _add(ctx, found, start, "byline")
    _repeats(ctx, found)
    return sorted((m for m in found.values() if not ctx.in_caption(m.sentence)), key=lambda m: m.start)


def _repeats(ctx: ArticleContext, found: dict) -> None:
    """A name found with evidence (a cue, a byline, a list) is that person wherever else it
    stands as a word, cue or not: 第一书记叶某江…叶某江说 (so the 某江 inside is no region)."""
    text = ctx.article.text
    names = {m.label for m in found.values() if m.text == m.label and len(m.label) >= 3}
    for name in sorted(names):
        for occ in re.finditer(re.escape(name), text):
            pos, end = occ.start(), occ.end()
            if pos in found or not (pos in ctx.cuts or not HAN.match(text[pos - 1:pos] or " ")):
                continue
            if _ends_word(ctx, pos, end):
                _put(ctx, found, pos, end, name, "repeated-name")


def _add_list(ctx: ArticleContext, found: dict, listed: str, pos: int, rule: str) -> None:
    """Names separated by 、, each whole (not a phrase that starts with a surname)."""
    items = listed.split("、")
    at = [pos + sum(len(x) + 1 for x in items[:i]) for i in range(len(items))]
    if all(name_at(ctx.article.text, p) == it for p, it in zip(at, items)):
        for p in at:
            _add(ctx, found, p, rule)


BYLINE_LIST = re.compile(r"[\u4e00-\u9fff]{2,3}(?:、[\u4e00-\u9fff]{2,3})+")
SPACED = re.compile(r"(?<=\s)([\u4e00-\u9fff]{2,3}|[\u4e00-\u9fff] [\u4e00-\u9fff]{1,2})(?=\s|$)")


def _bylines(ctx: ArticleContext, found: dict) -> None:
    """记者王某、李某; 作者:某县委组织部 张三 李 四; 乡村振兴网 李某 记者王某报道: names
    listed after a byline cue, or standing alone between spaces on a short credit line."""
    text, pos = ctx.article.text, 0
    cue_re = _byline_cue_re()
    for line in text.split("\n"):
        for m in cue_re.finditer(line):
            lst = BYLINE_LIST.match(line, m.end() + (line[m.end():m.end() + 1].isspace()))
            if lst:
                _add_list(ctx, found, lst.group(), pos + lst.start(), "byline-list")
        credit = cue_re.search(line)
        if credit:
            window = line[:credit.end() + CREDIT_WINDOW]
            for m in SPACED.finditer(window):
                name = m.group(1).replace(" ", "")
                if name_at(name, 0) == name and not _editor_before(line, m.start()):
                    _add(ctx, found, pos + m.start(1), "byline-spaced", span=len(m.group(1)))
        pos += len(line) + 1


def _editor_before(line: str, at: int) -> bool:
    before = line[max(0, at - EDITOR_CUE_CHARS):at]
    return any(e in before for e in _cue_table(("editor",), ("before", "both")))


def _by_form(ctx: ArticleContext, found: dict) -> None:
    """Leaders of the lexicon, and transliterated names joined by a middle dot."""
    text, names = ctx.article.text, leaders()
    hits: dict[int, list[int]] = {}        # name -> where it starts, overlaps included
    for row, start, _ in lexicon(names).occurrences(text):
        hits.setdefault(row, []).append(start)
    for row in sorted(hits):               # longest first, each name's occurrences as re.finditer gave them
        name, after = names[row], 0
        for start in sorted(hits[row]):
            if start < after:
                continue
            end = after = start + len(name)
            if not (end < len(text) and HAN.match(text[end]) and len(name) == 2 and end not in ctx.cuts):
                _put(ctx, found, start, end, name, "leader-lexicon")
    chars = _transliteration_chars()
    for m in re.finditer(f"[{DOTS}]", text):
        s = m.start()
        while s > 0 and text[s - 1] in chars:
            s -= 1
        e = m.end()
        while e < len(text) and (text[e] in chars or text[e] in DOTS and e + 1 < len(text) and text[e + 1] in chars):
            e += 1
        if m.start() - s >= 2 and e - m.end() >= 2:
            _put(ctx, found, s, e, text[s:e].translate({ord(d): "·" for d in DOTS}), "dotted-name")


def _add(ctx: ArticleContext, found: dict, pos: int, rule: str, span: int = 0) -> None:
    text = ctx.article.text
    if span:                           # a name broken by a stray space: the span is fixed
        name, end = text[pos:pos + span].replace(" ", ""), pos + span
    else:
        name = _fit(ctx, pos, name_at(text, pos))
        end = pos + len(name)
    if len(name) < 2 or name[0] in FUNCTION_SURNAMES:
        return
    if not _ends_word(ctx, pos, end):
        if span or len(name) != 3 or len(surname_at(name, 0)) != 1 or not _ends_word(ctx, pos, end - 1):
            return                 # the name must end where a new word begins (顾澜出席 → 顾澜)
        name, end = name[:2], end - 1
    if not rule.startswith("byline") and _is_word(name):
        return                     # 建设, 任务, 包户 … start with a surname but are words
    _put(ctx, found, pos, end, name, rule)


def _ends_word(ctx: ArticleContext, pos: int, end: int) -> bool:
    text = ctx.article.text
    return not (end < len(text) and "\u4e00" <= text[end] <= "\u9fff" and text[end] not in STOP_AFTER) \
        or pos in ctx.cuts and end in ctx.cuts


def _is_word(name: str) -> bool:
    """A common word, or a dictionary word that jieba does not tag as a name."""
    tag = word_tags().get(name)
    return tokenizer().frequency(name) >= COMMON_WORD_FREQ or bool(tag) and not tag.startswith("nr")


def _fit(ctx: ArticleContext, pos: int, name: str) -> str:
    """王军正在 → 王军: a two-character given name whose second character starts a dictionary
    word, a common one (正在), is cut back to one; a stretch jieba's HMM glued (王立|群到) or a
    rare word (赵德|明说) is not taken for the next word."""
    if len(name) == 3 and len(surname_at(name, 0)) == 1 and pos + 3 not in ctx.cuts:
        nxt = next((t.text for t in ctx.tokens[ctx.sentence_at(pos).index] if t.start == pos + 2), "")
        if len(nxt) >= 2 and tokenizer().frequency(nxt) >= NEXT_WORD_FREQ:
            return name[:2]
    return name


def _put(ctx: ArticleContext, found: dict, start: int, end: int, label: str, rule: str) -> None:
    s = ctx.sentence_at(start)
    found.setdefault(start, Mention(ctx.article.id, s.index, start, end, ctx.article.text[start:end],
                                    EntityType.PERSON, label=label, rule=rule))
