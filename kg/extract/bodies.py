"""Body mentions: organisation names by their grammar, abbreviations, and enumerations.

Three rules, each general:
- region + name grammar: a region match followed by leader/department/subunit parts from
  ``body_grammar.tsv`` (湖南 + 省委 + 组织部; 贵州省 + 人社厅). The label spells the region
  in full: 湘西州委 → 湘西土家族苗族自治州委, except a 地区's committee, written 地委 (和田地委,
  whose 和田 is then the 地区, not 和田县). A 中共 prefix and enclosing regions
  (中共湖北省建始县委) are part of the surface, not of the label.
- abbreviations from ``body_abbreviations.tsv``: national ones (中组部 → 中共中央组织部) and
  relative ones filled from the article's home chain (省委组织部 → {province}委组织部).
- institutions and enterprises: a noun phrase ending in a suffix of ``body_grammar.tsv``
  (…大学, …有限公司) and the items of an enumeration closed by 等企业/等公司.
Each mention carries ``attrs["region"]`` (the code of its region, for locatedIn) and
``attrs["parents"]`` (labels of enclosing bodies, nearest first, for subOrganizationOf).

What this module does not do: decide relations or merge mentions across articles.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..model import Mention
from ..regions import Division, RegionMatch
from ..resources import load_table
from .context import ArticleContext
from .phrases import extend_left, strip_boundary_prefix

ROLE_AFTER = ("书记", "副书记", "常委", "委员", "主任", "部长", "副部长", "领导")
LEVEL_CHARS = "省市县区州旗"
NOT_IN_NAMES = set("到在把被对从向给让为将的了着过是和与及等")   # as whole words: not in an organisation name
PLACEHOLDER = re.compile(r"\{(province|prefecture|county|region)\}")


@lru_cache(maxsize=1)
def grammar() -> dict[str, tuple[str, ...]]:
    parts: dict[str, list[str]] = {}
    for row in load_table("body_grammar.tsv"):
        parts.setdefault(row["kind"], []).append(row["part"])
    return {k: tuple(sorted(set(v), key=len, reverse=True)) for k, v in parts.items()}


def _take(text: str, pos: int, options: tuple[str, ...]) -> str:
    for opt in options:
        if text.startswith(opt, pos):
            return opt
    return ""


def parse_suffix(text: str, pos: int) -> list[str]:
    """The grammar parts of a body name starting at ``pos`` (after a region), or []."""
    g = grammar()
    parts: list[str] = []
    level = text[pos] if pos < len(text) and text[pos] in LEVEL_CHARS else ""
    p = pos + len(level)
    leader = _take(text, p, g.get("leader", ()))
    if leader:
        parts.append(level + leader)
        p += len(leader)
    dept = _take(text, p, g.get("department", ()) + g.get("command", ()))
    if dept:
        parts.append(dept if parts else level + dept)
        p += len(dept)
        sub = _take(text, p, g.get("subunit", ()))
        if sub:
            parts.append(sub)
    return parts


def _label(region_name: str, parts: list[str]) -> list[str]:
    """Labels of the body and its enclosing bodies, outermost last: [湖南省委组织部, 湖南省委]."""
    labels, acc = [], region_name
    for i, part in enumerate(parts):
        if i == 0 and part[:1] in LEVEL_CHARS and region_name.endswith(part[:1]):
            part = part[1:]
        acc += part
        labels.append(acc)
    return labels[::-1]


def find(ctx: ArticleContext) -> list[Mention]:
    out = _by_grammar(ctx)
    taken = [(m.start, m.end) for m in out]
    out += [m for m in _by_abbreviation(ctx) if not _overlaps(m, taken)]
    taken = [(m.start, m.end) for m in out]
    out += [m for m in _institutions(ctx) if not _overlaps(m, taken)]
    taken = [(m.start, m.end) for m in out]
    out += [m for m in _commands(ctx) if not _overlaps(m, taken)]
    return out


COMMAND = re.compile(r"指挥部(办公室)?")


def _commands(ctx: ArticleContext) -> list[Mention]:
    """…精准扶贫作战指挥部 with no region before it is the home region's own command
    (建始县精准扶贫作战指挥部); its 办公室 is a unit of it."""
    text, out = ctx.article.text, []
    if not ctx.home_chain:
        return out
    home = ctx.home_chain[0]
    named = {}
    for m in COMMAND.finditer(text):
        start = extend_left(ctx, m.start(), max_chars=10)
        if m.start() - start >= 4:
            named[m.start()] = (start, home.name + text[start:m.start()] + "指挥部")
    commands = {c for _, c in named.values()}
    for m in COMMAND.finditer(text):
        if m.start() in named:
            start, command = named[m.start()]
        elif len(commands) == 1:    # a bare 指挥部 in an article that names one command is it
            start, command = m.start(), next(iter(commands))
        else:
            continue
        label, parents = (command + "办公室", [command]) if m.group(1) else (command, [])
        s = ctx.sentence_at(start)
        out.append(Mention(ctx.article.id, s.index, start, m.end(), text[start:m.end()], "Body",
                           label=label, rule="home+command", attrs={"region": home.code, "parents": parents}))
    return out


def _overlaps(m: Mention, spans: list[tuple[int, int]]) -> bool:
    return any(m.start < e and s < m.end for s, e in spans)


def _role_follows(text: str, end: int) -> bool:
    return any(text.startswith(r, end) for r in ROLE_AFTER)


def _by_grammar(ctx: ArticleContext) -> list[Mention]:
    text, out = ctx.article.text, []
    for m in ctx.region_matches:
        region = ctx.resolved.get((m.start, m.end))
        name, at = (region.name if region else ""), m.end
        district = _district_before_diwei(text, m)
        if district:               # 和田地委组织部: the party committee of 和田地区, written 地委
            region, name, at = district, district.name[:-1], m.end + 1
        if region is None or region.level == "area":
            continue
        parts = parse_suffix(text, at)
        if not parts:
            continue
        end = at + sum(len(p) for p in parts)
        if _role_follows(text, end) and len(parts) == 1:
            continue
        start = m.start
        for prev in ctx.region_matches:   # 中共湖北省建始县委: enclosing regions join the surface
            if prev.end == start and ctx.resolved.get((prev.start, prev.end)):
                start = prev.start
        if text.startswith("中共", start - 2):
            start -= 2
        labels = _label(name, parts)
        s = ctx.sentence_at(start)
        out.append(Mention(ctx.article.id, s.index, start, end, text[start:end], "Body",
                           label=labels[0], rule="region+grammar",
                           attrs={"region": region.code, "parents": labels[1:]}))
    return out


def _district_before_diwei(text: str, m: RegionMatch) -> Division | None:
    """The 地区 a region name followed by 地委 names (和田 in 和田地委: 和田地区, not 和田县)."""
    if not text.startswith("地委", m.end):
        return None
    return next((c for c in m.candidates if c.level == "prefecture" and c.name.endswith("地区")), None)


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[tuple[str, str, str], ...]:
    rows = [(r["abbreviation"], r["full"], r.get("level", "")) for r in load_table("body_abbreviations.tsv")]
    return tuple(sorted(rows, key=lambda r: len(r[0]), reverse=True))


def _by_abbreviation(ctx: ArticleContext) -> list[Mention]:
    text, out, taken = ctx.article.text, [], []
    for abbr, full, level in _abbreviations():
        start = text.find(abbr)
        while start >= 0:
            end = start + len(abbr)
            nxt = text.find(abbr, end)
            if any(start < e and s < end for s, e in taken) or _role_follows(text, end):
                start = nxt
                continue
            # a relative form glued to a preceding level char is another body (贫困县县委 …)
            if start > 0 and PLACEHOLDER.search(full) and text[start - 1] in LEVEL_CHARS + "委":
                start = nxt
                continue
            label, region_code = _fill(full, level, ctx)
            if label:
                s = ctx.sentence_at(start)
                parents = _abbreviation_parents(label)
                out.append(Mention(ctx.article.id, s.index, start, end, abbr, "Body", label=label,
                                   rule="abbreviation", attrs={"region": region_code, "parents": parents}))
                taken.append((start, end))
            start = nxt
    return out


def _fill(full: str, level: str, ctx: ArticleContext) -> tuple[str, str]:
    """Put the home region into a relative name: {province}委组织部 → 湖南省委组织部,
    共青团{county}委 → 共青团兰考县委; {region} is the article's own home region."""
    m = PLACEHOLDER.search(full)
    if not m:
        return full, ""
    hole = m.group(1)
    d = (ctx.home_chain[0] if ctx.home_chain else None) if hole == "region" else ctx.home_at(hole)
    if d is None:
        return "", ""
    after, name = full[m.end():], d.name
    if after.startswith("地委") and name.endswith("地区"):
        name, after = name[:-1], after[1:]          # 阿里地区 + 地委 → 阿里地委, as it is written
    elif after[:1] in LEVEL_CHARS and name.endswith(after[:1]):
        after = after[1:]
    return full[:m.start()] + name + after, d.code


def _abbreviation_parents(label: str) -> list[str]:
    """湖南省委组织部 → [湖南省委]: cut the department off after the leader part."""
    for leader in ("委", "政府", "人大常委会", "政协"):
        i = label.find(leader)
        if 0 < i and i + len(leader) < len(label):
            return [label[:i + len(leader)]]
    return []


def _institutions(ctx: ArticleContext) -> list[Mention]:
    text, out = ctx.article.text, []
    g = grammar()
    suffixes = g.get("institution_suffix", ()) + g.get("enterprise_suffix", ())
    if suffixes:
        pattern = re.compile("(?:" + "|".join(map(re.escape, suffixes)) + ")")
        for hit in pattern.finditer(text):
            end = hit.end()
            if len(hit.group()) < 2 or (end < len(text) and end not in ctx.cuts):
                continue
            start = extend_left(ctx, hit.start(), max_chars=12)
            sent = ctx.sentence_at(start)
            words = {t.text for t in ctx.tokens[sent.index] if start <= t.start and t.end <= end}
            if hit.start() - start < 2 or NOT_IN_NAMES & words:
                continue
            s = ctx.sentence_at(start)
            out.append(Mention(ctx.article.id, s.index, start, end, text[start:end], "Body",
                               label=text[start:end], rule="institution-suffix", attrs={"parents": []}))
    for hit in re.finditer(r"((?:[\u4e00-\u9fff]{2,8}、)+[\u4e00-\u9fff]{2,8})等(?:企业|公司|龙头企业|民营企业|合作社|高校|院校)", text):
        pos = hit.start(1)
        items = hit.group(1).split("、")
        first = strip_boundary_prefix(items[0])      # 引进宁夏伊品: the verb before the list
        pos += len(items[0]) - len(first)
        items[0] = first
        for item in items:
            s = ctx.sentence_at(pos)
            out.append(Mention(ctx.article.id, s.index, pos, pos + len(item), item, "Body",
                               label=item, rule="enumeration+等企业", attrs={"parents": []}))
            pos += len(item) + 1
    return out


def body_labels(region_name: str, parts: list[str]) -> list[str]:
    """Public form of ``_label``: labels of a body named by ``region_name`` and grammar
    ``parts`` and of its enclosing bodies, nearest first ([湖南省委组织部, 湖南省委])."""
    return _label(region_name, parts)
