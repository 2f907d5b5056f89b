"""Body mentions: organisation names by their grammar, abbreviations, and enumerations.

Three rules, each general:
- region + name grammar: a region match followed by leader/department/subunit parts from
  ``body_grammar.tsv`` (湖南 + 省委 + 组织部; 贵州省 + 人社厅). The label spells the region
  in full: 湘西州委 → 湘西土家族苗族自治州委, except a 地区's committee, written 地委 (和田地委,
  whose 和田 is then the 地区, not 和田县). A 中共 prefix and enclosing regions
  (中共湖北省建始县委) are part of the surface, not of the label.
- abbreviations from ``body_abbreviations.tsv``: national ones (中组部 → 中共中央组织部) and
  relative ones filled from the article's home chain (省委组织部 → {province}委组织部).
- a level word and a department of the grammar (自治区住房城乡建设厅, 市公安局): the home chain's
  division of that level (in a county-level city its own 市), as written, the region made explicit.
- 中央 acting (中央和省委, 中央关于…) is 中共中央; a bare 委党组 is the 党组 of the article's one
  commission; a full department name takes its official short form (发展和改革委员会 → 发展改革委).
- institutions and enterprises: proper names before a suffix (``institutions``).
Each mention carries ``attrs["region"]`` (the code of its region, for locatedIn) and
``attrs["parents"]`` (labels of enclosing bodies, nearest first, for subOrganizationOf).

What this module does not do: decide relations or merge mentions across articles.
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg.model import ArticleContext, Division, EntityType, Mention, RegionMatch
from kg.ingest.lexicon_match import lexicon
from kg.ingest.postag import word_tags
from kg.resources import load_table, words_of_kind
from kg.extract import institutions
from kg.extract.phrases import extend_left
from kg.extract.limits import COMMAND_NAME_MIN, COMMAND_PREFIX_CHARS

ROLE_AFTER = words_of_kind("name_edge_words.tsv", "role_after")
LEVEL_CHARS = "".join(r["word"] for r in load_table("level_words.tsv") if r["level_char"])
PLACEHOLDER = re.compile(r"\{(province|prefecture|county|region)\}")


@lru_cache(maxsize=1)
def grammar() -> dict[str, tuple[str, ...]]:
    """The parts of body names from ``body_grammar.tsv`` by kind, longest first."""
    parts: dict[str, list[str]] = {}
    for row in load_table("body_grammar.tsv"):
        parts.setdefault(row["kind"], []).append(row["part"])
    return {k: tuple(sorted(set(v), key=len, reverse=True)) for k, v in parts.items()}


def _take(text: str, pos: int, options: tuple[str, ...]) -> str:
    """The first of ``options`` (listed longest first) that starts at ``pos``, else ""."""
    words, lengths = _by_length(options)
    for n in lengths:
        if text[pos:pos + n] in words and pos + n <= len(text):
            return text[pos:pos + n]
    return ""


@lru_cache(maxsize=32)
def _by_length(options: tuple[str, ...]) -> tuple[frozenset[str], tuple[int, ...]]:
    """The options as a set and their lengths, longest first: of options listed longest
    first, the first that starts somewhere is the longest there (two of one length cannot)."""
    if any(len(a) < len(b) for a, b in zip(options, options[1:])):
        raise ValueError("options must be listed longest first")
    return frozenset(options), tuple(sorted({len(o) for o in options}, reverse=True))


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
    dept = _take(text, p, g.get("department", ())) or _take(text, p, g.get("command", ()))
    if dept:
        parts.append(dept if parts else level + dept)
        p += len(dept)
        sub = _take(text, p, g.get("subunit", ())) or _unit(text, p)
        if sub:
            parts.append(sub)
    return parts


@lru_cache(maxsize=1)
def _unit_pattern() -> re.Pattern:
    """A named unit inside a department (水利局 + 水质监测站): a few characters and a unit suffix."""
    g = grammar()
    units = g.get("unit_suffix", ()) + tuple(x for x in g.get("institution_suffix", ()) if x.endswith(("中心", "所", "馆")))
    suffixes = "|".join(map(re.escape, sorted(units, key=len, reverse=True)))
    return re.compile(r"[^\W\d_的和与在及等为是了]{0,4}?(?:" + suffixes + ")")


def _unit(text: str, pos: int) -> str:
    m = _unit_pattern().match(text, pos)
    return m.group() if m else ""


@lru_cache(maxsize=1)
def short_forms() -> dict[str, str]:
    """Full department names and the official short form they are labelled with."""
    return {r["part"]: r["short"] for r in load_table("body_grammar.tsv") if r.get("short")}


def _label(region_name: str, parts: list[str]) -> list[str]:
    """Labels of the body and its enclosing bodies, outermost last: [湖南省委组织部, 湖南省委]."""
    labels, acc = [], region_name
    for i, part in enumerate(parts):
        if i == 0 and part[:1] in LEVEL_CHARS and region_name.endswith(part[:1]):
            part = part[1:]
        for full, short in short_forms().items():
            if part.endswith(full):
                part = part[:-len(full)] + short
        acc += part
        labels.append(acc)
    return labels[::-1]


def find(ctx: ArticleContext) -> list[Mention]:
    """Body mentions of the article, each span once (earlier rules win, except that a relative
    name the grammar reads further than a listed abbreviation wins: 自治区政府办公厅)."""
    out = _by_grammar(ctx)
    taken = [(m.start, m.end) for m in out]
    listed = [m for m in _by_abbreviation(ctx) if not _overlaps(m, taken)]
    relative = [m for m in _relative(ctx) if not _overlaps(m, taken)]
    longer = [r for r in relative if any(r.start <= a.start and a.end <= r.end and a.end - a.start < r.end - r.start
                                         for a in listed)]
    out += [a for a in listed if not _overlaps(a, [(r.start, r.end) for r in longer])]
    taken = [(m.start, m.end) for m in out]
    out += [m for m in relative if not _overlaps(m, taken)]
    taken = [(m.start, m.end) for m in out]
    out += [m for m in institutions.find(ctx) if not _overlaps(m, taken)]
    taken = [(m.start, m.end) for m in out]
    out += [m for m in _commands(ctx) if not _overlaps(m, taken)]
    out += _central(ctx, out)
    out += _party_groups(ctx, out)
    return out


LEVEL_OF = {r["word"]: r["level"] for r in load_table("level_words.tsv")}
RELATIVE = re.compile("|".join(map(re.escape, LEVEL_OF)))   # 自治区 first, as in the table


def _relative(ctx: ArticleContext) -> list[Mention]:
    """A level word and a department of the grammar (自治区住房城乡建设厅, 市公安局) name the home
    region's department of that level, as written, the region made explicit; 各/全 before it
    make it a kind (各县扶贫办)."""
    text, out = ctx.article.text, []
    for hit in RELATIVE.finditer(text):
        start, level = hit.start(), hit.group()
        if start not in ctx.cuts or (start > 0 and text[start - 1] in "各全每" + LEVEL_CHARS) or \
                text[hit.end():hit.end() + 1] in LEVEL_CHARS or \
                any(m.end == start for m in ctx.region_matches):
            continue
        parts = parse_suffix(text, hit.end())
        if not parts or (len(parts) == 1 and _role_follows(text, hit.end() + len(parts[0]))):
            continue
        level_name = "province" if level == "区" and parts[0].endswith("厅") else LEVEL_OF[level]   # 区…厅: 自治区
        region = _home_of_level(ctx, level_name, level)
        if region is None:
            continue
        end = hit.end() + sum(len(p) for p in parts)
        labels = _label(region.name, [level + parts[0] if len(level) == 1 else parts[0], *parts[1:]])
        s = ctx.sentence_at(start)
        out.append(Mention(ctx.article.id, s.index, start, end, text[start:end], EntityType.BODY, label=labels[0],
                           rule="level+grammar", attrs={"region": region.code, "parents": labels[1:]}))
    return out


def _home_of_level(ctx: ArticleContext, level: str, word: str) -> Division | None:
    """The home chain's division a relative 市/县/省 means; in a county-level city (义乌市) its
    own 市委 and 市X局 are the city's, not the prefecture's."""
    county = ctx.home_at("county")
    if word == "市" and county is not None and county.name.endswith("市"):
        return county
    return ctx.home_at(level)


CENTRAL = re.compile("中央")


def _central(ctx: ArticleContext, found: list[Mention]) -> list[Mention]:
    """中央 acting or deploying is 中共中央: coordinated with another leading body (中央和省委)
    or followed by what it decides (中央关于…, 中央部署)."""
    text, out = ctx.article.text, []
    acts = grammar().get("central_act", ())
    for hit in CENTRAL.finditer(text):
        start, end = hit.start(), hit.end()
        if not ctx.on_cut(start, end) or any(m.start < end and start < m.end for m in found):
            continue
        after = text[end:end + 1]
        coordinated = after in "和、与及" and any(m.start == end + 1 for m in found)
        if not (coordinated or _take(text, end, acts)):
            continue
        s = ctx.sentence_at(start)
        out.append(Mention(ctx.article.id, s.index, start, end, "中央", EntityType.BODY, label="中共中央",
                           rule="central", attrs={"parents": []}))
    return out


def _party_groups(ctx: ArticleContext, found: list[Mention]) -> list[Mention]:
    """A bare 委党组 in an article that names one commission (…发展改革委) is that commission's 党组."""
    kinds = tuple(d for d in grammar().get("department", ()) if d.endswith("委"))
    commissions = [m for m in found if m.label.endswith(kinds) and not m.attrs.get("parents")]
    return institutions.bare_subunits(ctx, found, commissions, "委党组", "commission+党组",
                                      unit="党组")


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
        start = extend_left(ctx, m.start(), max_chars=COMMAND_PREFIX_CHARS)
        if m.start() - start >= COMMAND_NAME_MIN:
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
        out.append(Mention(ctx.article.id, s.index, start, m.end(), text[start:m.end()], EntityType.BODY,
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
        if region is None or region.level == "area" or _verb_not_place(ctx, m, region):
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
        out.append(Mention(ctx.article.id, s.index, start, end, text[start:end], EntityType.BODY,
                           label=labels[0], rule="region+grammar",
                           attrs={"region": region.code, "parents": labels[1:]}))
    return out


def _verb_not_place(ctx: ArticleContext, m: RegionMatch, region: Division) -> bool:
    """会同县扶贫办 in a Sichuan article: 会同 (jointly with) is a common word, the county of that
    name lies outside the article's province and no enclosing region introduces it, so
    县扶贫办 is the home county's."""
    home = ctx.home_chain[-1] if ctx.home_chain else None
    if home is None or region.province == home.province or region.level != "county":
        return False
    introduced = any(p.end == m.start and ctx.resolved.get((p.start, p.end)) for p in ctx.region_matches)
    return not introduced and ctx.article.text[m.start:m.end - 1] in word_tags()


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
    rows = _abbreviations()
    found: dict[int, list[int]] = {}       # row -> where its abbreviation starts, overlaps included
    for row, start, _ in lexicon(tuple(r[0] for r in rows)).occurrences(text):
        found.setdefault(row, []).append(start)
    for row in sorted(found):              # the table's order: longest first
        abbr, full, _level = rows[row]
        after = 0                          # each occurrence after the last one looked at (str.find's)
        for start in sorted(found[row]):
            if start < after:
                continue
            end = after = start + len(abbr)
            if any(start < e and s < end for s, e in taken) or _role_follows(text, end):
                continue
            # a relative form glued to a preceding level char is another body (贫困县县委 …)
            if start > 0 and PLACEHOLDER.search(full) and text[start - 1] in LEVEL_CHARS + "委":
                continue
            label, region_code = _fill(full, abbr, ctx)
            if label:
                s = ctx.sentence_at(start)
                parents = _abbreviation_parents(label)
                out.append(Mention(ctx.article.id, s.index, start, end, abbr, EntityType.BODY, label=label,
                                   rule="abbreviation", attrs={"region": region_code, "parents": parents}))
                taken.append((start, end))
    return out


def _fill(full: str, abbr: str, ctx: ArticleContext) -> tuple[str, str]:
    """Put the home region into a relative name: {province}委组织部 → 湖南省委组织部,
    共青团{county}委 → 共青团兰考县委; {region} is the article's own home region."""
    m = PLACEHOLDER.search(full)
    if not m:
        return full, ""
    hole = m.group(1)
    word = "市" if abbr.lstrip("团").startswith("市") else ""
    d = (ctx.home_chain[0] if ctx.home_chain else None) if hole == "region" else _home_of_level(ctx, hole, word)
    if d is None:
        return "", ""
    after, name = full[m.end():], d.name
    if after.startswith("地委") and name.endswith("地区"):
        name, after = name[:-1], after[1:]          # 阿里地区 + 地委 → 阿里地委, as it is written
    elif after[:1] in LEVEL_CHARS and name.endswith(after[:1]):
        after = after[1:]
    return full[:m.start()] + name + after, d.code


@lru_cache(maxsize=1)
def _national_fulls() -> tuple[str, ...]:
    return tuple(f for _, f, level in _abbreviations() if level == "national")


def _abbreviation_parents(label: str) -> list[str]:
    """湖南省委组织部 → [湖南省委]: cut the department off after the leader part."""
    national = [f for f in _national_fulls() if label.startswith(f) and f != label]
    if national:                     # 中共中央组织部 → 中共中央, 国务院扶贫办 → 国务院
        return [max(national, key=len)]
    if "直机关工委" in label:          # the organ of the region's party committee (市直机关工委 → 市委)
        return [label[:label.index("直机关工委")] + "委"]
    for leader in ("委", "政府", "人大常委会", "政协"):
        i = label.find(leader)
        if 0 < i and i + len(leader) < len(label):
            return [label[:i + len(leader)]]
    return []


def body_labels(region_name: str, parts: list[str]) -> list[str]:
    """Public form of ``_label``: labels of a body named by ``region_name`` and grammar
    ``parts`` and of its enclosing bodies, nearest first ([湖南省委组织部, 湖南省委])."""
    return _label(region_name, parts)
