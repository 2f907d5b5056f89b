"""The gazetteer of China's administrative divisions: names → divisions, codes → parents.

Loads the official division table (``kg/data/divisions/``: provinces, prefectures, counties and,
lazily, townships), the named official areas (``named_areas.tsv``: 武陵山片区 …) and the
one-character province abbreviations. Every province, prefecture and county also answers to its
short form (湖南省 → 湖南, 湘西土家族苗族自治州 → 湘西/湘西州, 长阳土家族自治县 → 长阳/长阳县);
townships answer to their full names only. ``Gazetteer.find`` scans a text for all of these;
short forms must stand as whole words (jieba's dictionary segmentation, ``kg.ingest.jieba_io``, with
the gazetteer's words added; jieba's own dictionary is only read) and must not be on
``region_stopwords.tsv`` (合作, 和平 …), so that 合作组织 and 搬迁安置点 give no region. ``resolve`` picks one of several same-named divisions by context.

What this module does not do: decide which matches are entities of an article (deixis like
全省, abbreviations inside compounds like 沪滇合作), or know historic names (莱芜市).
"""
from __future__ import annotations

import csv
from collections import Counter
from typing import Iterable

from kg.ingest.jieba_io import Words, default_frequencies
from kg.ingest.lexicon_match import Lexicon
from kg.model import Division, RegionMatch
from kg.resources import data_path, load_table, split_list, words_of_kind

# Rank from the top, to prefer the larger of equally likely divisions (0 = province; a named area
# ranks under provinces). Not kg.extract.context's LEVEL_DEPTH, which counts areas least specific.
LEVEL_RANK = {"province": 0, "area": 1, "prefecture": 2, "county": 3, "township": 4}
KIND_RANK = {"full": 0, "alias": 1, "short": 2}
# The words of gazetteer_words.tsv by kind (what each kind means is said there).
PLACEHOLDER_CITIES = words_of_kind("gazetteer_words.tsv", "placeholder_city")
REGION_SUFFIXES = words_of_kind("gazetteer_words.tsv", "region_suffix")
FULL_NAME_GLUE = words_of_kind("gazetteer_words.tsv", "full_name_glue")
TOWNSHIP_ENDINGS = words_of_kind("gazetteer_words.tsv", "township_ending")
PUNCT = set("，。、；：？！,.;:?!“”‘’\"'（）()《》【】[]<>〈〉 \t\r\n—…·")
WINDOW = 12          # chars of context on each side for the segmentation check
REGION_WORD_FREQ = 1000   # weight of gazetteer words missing from jieba's dictionary


def _strip_ethnic(base: str, ethnic: tuple[str, ...]) -> str:
    """湘西土家族苗族 → 湘西; one-character groups only with 族 (西藏 keeps its 藏).

    >>> _strip_ethnic("湘西土家族苗族", ("土家", "苗")), _strip_ethnic("西藏", ("藏",))
    ('湘西', '西藏')
    """
    changed = True
    while changed:
        changed = False
        for e in ethnic:
            for tail in (e + "族",) if len(e) == 1 else (e + "族", e):
                if base.endswith(tail) and len(base) - len(tail) >= 2:
                    base, changed = base[: -len(tail)], True
                    break
            if changed:
                break
    return base


def ethnic_groups() -> tuple[str, ...]:
    """The names of China's ethnic groups (``divisions/ethnic_groups.tsv``), longest first: what
    ``short_forms`` strips from an autonomous division's name."""
    return tuple(sorted((r["name"] for r in load_table("divisions/ethnic_groups.tsv")), key=len, reverse=True))


def short_forms(name: str, level: str, ethnic: tuple[str, ...]) -> list[str]:
    """The short surface forms of a division's full name (never one character, never the name);
    ``ethnic`` lists the ethnic groups whose names a short form drops.

    >>> short_forms("湖南省", "province", ())
    ['湖南']
    >>> short_forms("广西壮族自治区", "province", ("壮",))
    ['广西']
    >>> short_forms("湘西土家族苗族自治州", "prefecture", ("土家", "苗"))
    ['湘西', '湘西州']
    >>> short_forms("东区", "county", ())      # one character left: no short form
    []
    """
    forms: list[str] = []
    if level == "province":
        if name.endswith("自治区"):
            forms = [_strip_ethnic(name[:-3], ethnic)]
        elif name.endswith(("省", "市")):
            forms = [name[:-1]]
    elif level == "prefecture":
        if name.endswith("自治州"):
            base = _strip_ethnic(name[:-3], ethnic)
            forms = [base, base + "州"]
        elif name.endswith("地区"):
            forms = [name[:-2]]
        elif name.endswith(("市", "盟")):
            forms = [name[:-1]]
    elif level == "county":
        if name.endswith(("自治县", "自治旗")):
            base = _strip_ethnic(name[:-3], ethnic)
            forms = [base, base + name[-1]]
        elif name.endswith(("新区", "林区", "特区")):
            forms = [name[:-2]]
        elif name.endswith(("县", "区", "市", "旗")) and not name.endswith("矿区"):
            forms = [name[:-1]]
    return [f for f in dict.fromkeys(forms) if len(f) >= 2 and f != name]


def _read_csv(name: str) -> list[dict]:
    with data_path(f"divisions/{name}").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


class _Segmenter:
    """jieba's no-HMM segmentation over its default dictionary plus the gazetteer's words
    (``kg.ingest.jieba_io.Words.route``); jieba's shared dictionary is untouched."""

    def __init__(self, words: Iterable[str]):
        freq, total = default_frequencies()
        extra: dict[str, int] = {}
        for w in words:
            if not freq.get(w):
                extra[w] = REGION_WORD_FREQ
            for i in range(1, len(w)):
                extra.setdefault(w[:i], 0)
        # a word already in jieba's dictionary keeps its frequency; a new prefix enters at 0
        self.words = Words({w: f for w, f in extra.items() if w not in freq or f > freq[w]}, total,
                           overlay=True)

    def boundaries(self, s: str) -> set[int]:
        """Where the best dictionary route through ``s`` puts word boundaries (0 and len(s) included)."""
        return {0, len(s), *self.words.route(s)}


class Gazetteer:
    """All divisions and named areas, indexed by code and by every surface form."""

    def __init__(self) -> None:
        self._ethnic = ethnic_groups()
        self._by_code: dict[str, Division] = {}
        self._index: dict[str, list[tuple[Division, str]]] = {}
        self._stop = {r["surface"] for r in load_table("region_stopwords.tsv")}
        self._build_divisions()
        self._areas: dict[str, tuple[Division, ...]] = {}
        self._build_areas()
        self._abbr = {r["abbr"]: self._province_named(r["province"])
                      for r in load_table("region_abbreviations.tsv")}
        self._towns: dict[str, list[Division]] | None = None
        self._scan_cache: dict[bool, tuple[dict, Lexicon]] = {}
        self._segmenters: dict[bool, _Segmenter] = {}

    @classmethod
    def prepared(cls) -> "Gazetteer":
        """A gazetteer with every lazy table built (townships, scan tables), ready to cache."""
        g = cls()
        g._scan_tables(True)
        g._scan_tables(False)
        return g

    # -- loading ---------------------------------------------------------------------------
    def _add(self, d: Division, surface: str, kind: str) -> None:
        entries = self._index.setdefault(surface, [])
        if not any(e[0] is d for e in entries):
            entries.append((d, kind))

    def _add_division(self, d: Division) -> None:
        self._by_code[d.code] = d
        self._add(d, d.name, "full")
        for s in short_forms(d.name, d.level, self._ethnic):
            self._add(d, s, "short")

    def _build_divisions(self) -> None:
        for r in _read_csv("provinces.csv"):
            code = r["code"].ljust(6, "0")
            self._add_division(Division(code, r["name"], "province", None, code))
        placeholders = set()
        for r in _read_csv("cities.csv"):
            if r["name"] in PLACEHOLDER_CITIES:
                placeholders.add(r["code"])
                continue
            prov = r["provinceCode"].ljust(6, "0")
            self._add_division(Division(r["code"].ljust(6, "0"), r["name"], "prefecture", prov, prov))
        for r in _read_csv("areas.csv"):
            prov = r["provinceCode"].ljust(6, "0")
            parent = prov if r["cityCode"] in placeholders else r["cityCode"].ljust(6, "0")
            self._add_division(Division(r["code"], r["name"], "county", parent, prov))

    def _province_named(self, name: str) -> Division:
        return next(d for d, _ in self._index[name] if d.level == "province")

    def _build_areas(self) -> None:
        for r in load_table("named_areas.tsv"):
            d = Division("", r["label"], r["level"] or "area", None, None)
            self._areas[d.name] = tuple(self._province_named(p) for p in split_list(r["provinces"]))
            self._add(d, d.name, "full")
            for alias in split_list(r["aliases"]):
                self._add(d, alias, "alias")

    def _townships(self) -> dict[str, list[Division]]:
        """Townships by full name, loaded on first need; names that are also county-layer
        surfaces (城区, 东城区 …, a handful) stay with the county layer."""
        if self._towns is None:
            towns: dict[str, list[Division]] = {}
            for r in _read_csv("streets.csv"):
                name = r["name"]
                if name in self._index:
                    continue
                d = Division(r["code"], name, "township", r["areaCode"], r["provinceCode"].ljust(6, "0"))
                self._by_code[d.code] = d
                towns.setdefault(name, []).append(d)
            self._towns = towns
        return self._towns

    # -- lookups ---------------------------------------------------------------------------
    def by_code(self, code: str) -> Division | None:
        """The division with this code; 2- and 4-digit codes are padded to 6. None if unknown."""
        code = code.strip()
        if len(code) in (2, 4):
            code = code.ljust(6, "0")
        if len(code) > 6 and code not in self._by_code:
            self._townships()
        return self._by_code.get(code) if code else None

    def lookup(self, surface: str) -> list[Division]:
        """Every division whose full name, short form or alias is ``surface``; townships are
        consulted only for surfaces that are not province/prefecture/county names."""
        if surface in self._index:
            return [d for d, _ in self._index[surface]]
        return list(self._townships().get(surface, ()))

    def parent(self, d: Division) -> Division | None:
        """The division directly above ``d``, None for provinces and named areas."""
        code = d.parent
        if code == d.code:          # 东莞市 is listed as its own county: its parent is the province
            code = d.province
        return self.by_code(code) if code and code != d.code else None

    def ancestors(self, d: Division) -> list[Division]:
        """The divisions above ``d``, nearest first, up to its province."""
        # Townships of cities without counties (东莞市, 中山市, 儋州市) name the city as their
        # county, whose padded code is the city's own: the chain must not loop there.
        out, seen, p = [], {d.code}, self.parent(d)
        while p is not None and p.code not in seen:
            out.append(p)
            seen.add(p.code)
            p = self.parent(p)
        return out

    def is_within(self, d: Division, ancestor: Division) -> bool:
        """True when ``d`` is ``ancestor`` or lies inside it (named areas contain only themselves)."""
        return d == ancestor or (bool(ancestor.code) and ancestor in self.ancestors(d))

    def area_provinces(self, area: Division) -> tuple[Division, ...]:
        """The provinces a named area (level "area") spans."""
        return self._areas.get(area.name, ())

    def province_abbreviation(self, char: str) -> Division | None:
        """The province a one-character abbreviation stands for (湘 → 湖南省), None if none."""
        return self._abbr.get(char)

    def names(self, include_townships: bool = False) -> Iterable[tuple[str, str]]:
        """(surface, kind) for a jieba user dictionary; stop-listed common words are left out."""
        for surface, entries in self._index.items():
            if surface not in self._stop:
                yield surface, min((k for _, k in entries), key=KIND_RANK.__getitem__)
        if include_townships:
            for surface in self._townships():
                yield surface, "full"

    # -- scanning --------------------------------------------------------------------------
    def _scan_tables(self, include_townships: bool) -> tuple[dict, Lexicon]:
        """(surface → (kind, candidates), the surfaces of two characters or more as one
        lexicon: ``find`` reads no shorter one)."""
        if include_townships not in self._scan_cache:
            table: dict[str, tuple[str, tuple[Division, ...]]] = {}
            for surface, entries in self._index.items():
                if surface in self._stop:
                    continue
                kind = min((k for _, k in entries), key=KIND_RANK.__getitem__)
                table[surface] = (kind, tuple(d for d, _ in entries))
            if include_townships:
                for surface, ds in self._townships().items():
                    if len(surface) >= 3 and surface.endswith(TOWNSHIP_ENDINGS):
                        table[surface] = ("full", tuple(ds))
            self._scan_cache[include_townships] = (table, Lexicon(s for s in table if len(s) >= 2))
        return self._scan_cache[include_townships]

    def _standalone(self, text: str, start: int, end: int, strict: bool, towns: bool) -> bool:
        """Whether a name stands as a word in the segmentation of its clause. Short and
        two-character names (strict) need a boundary before them and after them, or after
        their stem when a region suffix follows (湘西|州委); a longer full name only needs the
        boundary before it (适应|城市 is not 应城市; 湖南省委 may be one token)."""
        if towns not in self._segmenters:
            self._segmenters[towns] = _Segmenter(s for s, _ in self.names(towns))
        lo = max(0, start - WINDOW)
        for i in range(start - 1, lo - 1, -1):
            if text[i] in PUNCT:
                lo = i + 1
                break
        hi = min(len(text), end + WINDOW)
        for i in range(end, hi):
            if text[i] in PUNCT:
                hi = i
                break
        cuts = self._segmenters[towns].boundaries(text[lo:hi])
        s, e = start - lo, end - lo
        if s not in cuts:
            return False
        if not strict or e in cuts or text.startswith(REGION_SUFFIXES, end):
            return True
        return text[end - 1] in "州县市区旗盟" and e - 1 in cuts

    def find(self, text: str, include_townships: bool = True) -> list[RegionMatch]:
        """Every division name in ``text``: longest match first, left to right, no overlaps."""
        table, names = self._scan_tables(include_townships)
        found = names.starts(text)
        out: list[RegionMatch] = []
        free = 0                        # where the last match ended: no overlaps
        for i in sorted(found):
            if i < free:
                continue
            for end in sorted(found[i], reverse=True):
                surface = text[i:end]
                kind, cands = table[surface]
                if kind == "full" and text.startswith(FULL_NAME_GLUE, end - 1):
                    continue
                strict = kind == "short" or end - i == 2
                if kind != "alias" and not self._standalone(text, i, end, strict, include_townships):
                    continue
                out.append(RegionMatch(i, end, surface, cands, kind))
                free = end
                break
        return out


    # -- resolution ------------------------------------------------------------------------
    def _closeness(self, cand: Division, ctx: Division) -> int:
        """How near two divisions are: 4 the same, 3 same county, 2 same prefecture, 1 same province."""
        if cand == ctx:
            return 4
        if not ctx.code or not cand.code:
            area, other = (ctx, cand) if not ctx.code else (cand, ctx)
            provs = self.area_provinces(area)
            return int(bool(other.province) and any(p.code == other.province for p in provs))
        a, b = cand.code, ctx.code
        if a[:2] != b[:2]:
            return 0
        if a[2:4] == "00" or b[2:4] == "00" or a[2:4] != b[2:4]:
            return 1
        if a[4:6] == "00" or b[4:6] == "00" or a[4:6] != b[4:6]:
            return 2
        return 3

    def resolve(self, candidates: list[Division], context: list[Division] | Counter) -> Division | None:
        """The candidate nearest to the context (a division inside or above a context division
        wins); ties go to the higher level; an unresolved tie between equals gives None.
        ``context`` may be a Counter of divisions (how often each was seen): the same answer,
        in time that grows with the distinct divisions rather than with the mentions."""
        cands = list(dict.fromkeys(candidates))
        if len(cands) <= 1:
            return cands[0] if cands else None
        counts = context if isinstance(context, Counter) else Counter(context)
        scored = []
        for c in cands:
            near = [(self._closeness(c, x), k) for x, k in counts.items()]
            contains = any(self.is_within(x, c) or self.is_within(c, x) for x in counts if x.code)
            scored.append(((max((n for n, _ in near), default=0) + (1 if contains else 0),
                            sum(n * k for n, k in near)), c))
        best = max(s for s, _ in scored)
        top = [c for s, c in scored if s == best]
        rank = min(LEVEL_RANK[c.level] for c in top)
        top = [c for c in top if LEVEL_RANK[c.level] == rank]
        return top[0] if len(top) == 1 else None
