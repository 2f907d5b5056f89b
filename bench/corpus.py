"""A synthetic corpus in the genre, for benchmarks and large-build tests.

Sentences of the seed articles become templates: every region the gazetteer finds by its full
name becomes a slot of its level (province, prefecture, county), every department after a
leading body (省委组织部, 县扶贫办 …) a department slot, every number a figure slot. An article is
a title and paragraphs of such sentences, with the slots filled from the resources: a
province, prefecture and county of the NBS division table (kg/data/divisions), departments of
kg/data/body_grammar.tsv, and figures of the same number of digits. A fixed seed gives the
same corpus every time.

Does not: produce text that reads well (sentences are recombined at random) or gold labels.

    python bench/corpus.py OUT_DIR -n 1000 [--seed 7] [--jsonl]
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.ingest.read import read_article  # noqa: E402
from kg.ingest.gazetteer_cache import gazetteer  # noqa: E402
from kg.resources import data_path, load_table  # noqa: E402

_NUM = re.compile(r"\d+(?:\.\d+)?")
_SENT = re.compile(r"[^。！？!?]+[。！？!?]")
_SKIP_NAMES = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")


@lru_cache(maxsize=1)
def divisions() -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """[(province, [(prefecture, [county …]) …]) …] from the division table."""
    folder = data_path("divisions")

    def rows(name):
        with open(folder / name, encoding="utf-8") as fh:
            return [r for r in csv.DictReader(fh) if r["name"] not in _SKIP_NAMES]
    areas: dict[str, list[str]] = {}
    for r in rows("areas.csv"):
        areas.setdefault(r["cityCode"], []).append(r["name"])
    cities: dict[str, list] = {}
    for r in rows("cities.csv"):
        if areas.get(r["code"]):
            cities.setdefault(r["provinceCode"], []).append((r["name"], areas[r["code"]]))
    return [(r["name"], cities[r["code"]]) for r in rows("provinces.csv") if cities.get(r["code"])]


@lru_cache(maxsize=1)
def departments() -> list[str]:
    return [r["part"] for r in load_table("body_grammar.tsv") if r["kind"] == "department" and len(r["part"]) >= 2]


@lru_cache(maxsize=1)
def templates() -> list[str]:
    """Seed sentences with {province}/{prefecture}/{county}/{dept}/{num:N} slots."""
    gaz = gazetteer()
    levels = {"province": "{province}", "prefecture": "{prefecture}", "county": "{county}"}
    dept = re.compile("(?<=委|府)(?:" + "|".join(sorted(map(re.escape, departments()), key=len, reverse=True)) + ")")
    out = []
    for f in sorted((ROOT / "seeds").glob("*.txt")):
        text = read_article(f).text
        for s in _SENT.findall(text):
            s = s.strip()
            if len(s) < 12 or "{" in s or "}" in s:
                continue
            parts, pos = [], 0
            for m in gaz.find(s, include_townships=False):
                level = m.candidates[0].level if m.candidates else ""
                if m.kind == "full" and level in levels and m.start >= pos:
                    parts += [s[pos:m.start].replace("{", "").replace("}", ""), levels[level]]
                    pos = m.end
            s = "".join(parts) + s[pos:]
            s = dept.sub("{dept}", s)
            out.append(_NUM.sub(lambda m: "{num:%d}" % len(m.group().split(".")[0]), s))
    return out


def _fill(template: str, rng: random.Random, place: tuple[str, str, str]) -> str:
    def slot(m: re.Match) -> str:
        name, _, arg = m.group(1).partition(":")
        if name == "num":
            digits = max(1, min(int(arg), 6))
            return str(rng.randint(10 ** (digits - 1) if digits > 1 else 1, 10 ** digits - 1))
        if name == "dept":
            return rng.choice(departments())
        if rng.random() < 0.8:      # mostly the article's own place, sometimes another one
            return place[("province", "prefecture", "county").index(name)]
        return _place(rng)[("province", "prefecture", "county").index(name)]
    return re.sub(r"\{(\w+(?::\d+)?)\}", slot, template)


def _place(rng: random.Random) -> tuple[str, str, str]:
    province, cities = rng.choice(divisions())
    prefecture, counties = rng.choice(cities)
    return province, prefecture, rng.choice(counties)


def article(rng: random.Random) -> str:
    place = _place(rng)
    tpl = templates()
    title = f"{place[2]}：抓党建促脱贫攻坚 {rng.choice(['驻村帮扶', '产业扶贫', '易地扶贫搬迁', '基层组织建设'])}见实效"
    year, month, day = rng.randint(2014, 2021), rng.randint(1, 12), rng.randint(1, 28)
    lines = [title, f"来源：{place[1]}日报 {year}-{month:02d}-{day:02d}"]
    for _ in range(rng.randint(4, 9)):
        lines.append("".join(_fill(rng.choice(tpl), rng, place) for _ in range(rng.randint(2, 4))))
    return "\n".join(lines) + "\n"


def generate(n: int, seed: int = 42) -> list[str]:
    rng = random.Random(seed)
    return [article(rng) for _ in range(n)]


def write_corpus(out: str | Path, n: int, seed: int = 42, jsonl: bool = False) -> list[Path]:
    """Write ``n`` articles into ``out`` as 00000.txt … (or one corpus.jsonl); returns the files."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    texts = generate(n, seed)
    if jsonl:
        path = out / "corpus.jsonl"
        with open(path, "w", encoding="utf-8") as fh:
            for i, t in enumerate(texts):
                fh.write(json.dumps({"id": f"a{i:05d}", "text": t}, ensure_ascii=False) + "\n")
        return [path]
    paths = []
    for i, t in enumerate(texts):
        p = out / f"{i:05d}.txt"
        p.write_text(t, encoding="utf-8")
        paths.append(p)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--jsonl", action="store_true")
    a = ap.parse_args()
    files = write_corpus(a.out, a.n, a.seed, a.jsonl)
    print(f"wrote {a.n} articles to {a.out} ({len(files)} file(s))")


if __name__ == "__main__":
    main()
