"""Person mentions: names after a role cue, in enumerations of names, and bylines.

A name is a common surname (``surnames.txt``) and one or two given-name characters, found
- after a cue of ``person_cues.tsv`` (第一书记杨波, 老支书黄大发) or a closing quote that
  ends an epithet (“当代女愚公”邓迎香);
- in an enumeration closed by 等 (周甫胜、刘勇等一批);
- as the article's byline (``Article.author``) when that is a name and not a unit.
The given name stops before characters that start the next word (、，等的在是 …).

What this module does not do: tell people apart who share a name.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..model import Mention
from ..resources import load_lines, load_table
from ..segment import tokenizer
from .context import ArticleContext

COMMON_WORD_FREQ = 50

STOP_AFTER = set("、，,。；;：:等的在是为和与同到从向把被对也都学带说讲表介指率")
UNIT_ENDINGS = ("部", "室", "办", "局", "委", "厅", "社", "院", "校", "中心", "组", "站", "会", "报", "网")


# Surnames that are, far more often, function words of policy prose (和, 从, 任 …): a name
# starting with one is not taken (a real 任某 is missed; far fewer than the false hits).
FUNCTION_SURNAMES = set("和从后干任把于向以与及也都对在为将到被让给比同共全各每该其由经时上下")


@lru_cache(maxsize=1)
def surnames() -> tuple[str, ...]:
    # the first 300 lines are the common surnames (surnames.txt lists them by frequency)
    return tuple(sorted(load_lines("surnames.txt")[:300], key=len, reverse=True))


@lru_cache(maxsize=1)
def cues() -> tuple[str, ...]:
    return tuple(sorted({r["cue"] for r in load_table("person_cues.tsv")
                         if r.get("position", "before") == "before"}, key=len, reverse=True))


@lru_cache(maxsize=1)
def _surnames_by_length() -> tuple[tuple[int, frozenset[str]], ...]:
    lengths = sorted({len(s) for s in surnames()}, reverse=True)
    return tuple((n, frozenset(s for s in surnames() if len(s) == n)) for n in lengths)


def name_at(text: str, pos: int) -> str:
    """The name starting at ``pos``, or ''."""
    sur = next((text[pos:pos + n] for n, names in _surnames_by_length() if text[pos:pos + n] in names), "")
    if not sur:
        return ""
    given = ""
    p = pos + len(sur)
    while p < len(text) and len(given) < 2 and "\u4e00" <= text[p] <= "\u9fff" and text[p] not in STOP_AFTER:
        given += text[p]
        p += 1
    return sur + given if given else ""


def find(ctx: ArticleContext) -> list[Mention]:
    text, found = ctx.article.text, {}
    cue_re = re.compile("(?:" + "|".join(map(re.escape, cues())) + ")" if cues() else r"(?!)")
    for m in cue_re.finditer(text):
        _add(ctx, found, m.end(), "cue+name")
    for m in re.finditer(r"”", text):
        _add(ctx, found, m.end(), "epithet+name")
    for m in re.finditer(r"((?:[\u4e00-\u9fff]{2,3}、)+[\u4e00-\u9fff]{2,3})等", text):
        items, pos = m.group(1).split("、"), m.start(1)
        if all(name_at(text, pos + sum(len(x) + 1 for x in items[:i])) == it for i, it in enumerate(items)):
            for it in items:
                _add(ctx, found, pos, "enumeration")
                pos += len(it) + 1
    author = ctx.article.author
    if author and not author.endswith(UNIT_ENDINGS) and name_at(author, 0) == author:
        start = text.find(author)
        if start >= 0:
            _add(ctx, found, start, "byline")
    return sorted(found.values(), key=lambda m: m.start)


def _add(ctx: ArticleContext, found: dict, pos: int, rule: str) -> None:
    text = ctx.article.text
    name = name_at(text, pos)
    if len(name) < 2 or name[0] in FUNCTION_SURNAMES:
        return
    end = pos + len(name)
    if end < len(text) and "\u4e00" <= text[end] <= "\u9fff" and text[end] not in STOP_AFTER \
            and not (pos in ctx.cuts and end in ctx.cuts):
        return                     # the name must end where a new word begins
    if rule != "byline" and tokenizer().FREQ.get(name, 0) >= COMMON_WORD_FREQ:
        return                     # 建设, 任务 … start with a surname but are words
    s = ctx.sentence_at(pos)
    found.setdefault(pos, Mention(ctx.article.id, s.index, pos, end, name, "Person", label=name, rule=rule))
