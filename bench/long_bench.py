"""Extraction time of degenerate long articles: one character (or a short pattern) repeated to
each size given, one article each, in one process with the resources loaded. Prints the
seconds of reading and of extraction per size, and the ratio of the largest to the smallest
(linear time gives about the ratio of the sizes; quadratic its square).

The inputs: a run of one Han character with no punctuation (what made jieba's HMM quadratic),
random Han characters, ASCII letters, digits, one-character sentences, a pattern of region,
body and village names that makes every finder fire (one sentence, or many), and a seed article
repeated (with its punctuation, and without any).

Does not: assert anything (figures only; tests/test_long_input.py checks linear growth loosely).

    python bench/long_bench.py [--kb 64 256 1024] [--only one-char]
"""
from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.ingest.inputs import read_unit  # noqa: E402
from kg.model import Unit  # noqa: E402
from kg.pipeline import extract_article  # noqa: E402


def _random_han(n: int) -> str:
    rng = random.Random(1)
    return "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(n))


def _seed(n: int, keep_punctuation: bool = True) -> str:
    text = sorted((ROOT / "seeds").glob("*.txt"))[0].read_text(encoding="utf-8")
    if not keep_punctuation:
        text = "".join(ch for ch in text if _WORD.match(ch))
    return (text * (n // len(text) + 1))[:n]


_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")

KINDS = {
    "one-char": lambda n: "党" * n,
    "random-han": _random_han,
    "ascii": lambda n: "a" * n,
    "digits": lambda n: "1" * n,
    "commas": lambda n: "党，" * (n // 2),
    "periods": lambda n: "党。" * (n // 2),
    "regions": lambda n: ("湖南省湘西州花垣县双龙镇十八洞村党支部书记" * n)[:n],
    "regions-periods": lambda n: ("湖南省湘西州花垣县双龙镇十八洞村党支部书记。" * n)[:n],
    "seed-repeated": _seed,
    "seed-no-punctuation": lambda n: _seed(n, keep_punctuation=False),
}


def run(kind: str, kb: int) -> tuple[float, float]:
    """Seconds to read and to extract an article of ``kb`` KB (UTF-8) of ``kind``."""
    body = KINDS[kind](kb * 1024)
    data = ("标题\n" + body).encode("utf-8")[: kb * 1024].decode("utf-8", "ignore")
    unit = Unit(f"{kind}.txt", 0, "txt", data.encode("utf-8"), kind)
    t0 = time.perf_counter()
    article = read_unit(unit)
    t1 = time.perf_counter()
    extract_article(article)
    return t1 - t0, time.perf_counter() - t1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kb", type=int, nargs="+", default=[64, 256, 1024])
    ap.add_argument("--only", choices=sorted(KINDS), nargs="+", default=list(KINDS))
    args = ap.parse_args()
    run("one-char", 1)                      # load the resources before timing
    for kind in args.only:
        figures = []
        for kb in args.kb:
            read_s, extract_s = run(kind, kb)
            figures.append(extract_s)
            print(f"{kind:19} {kb:6} KB  read {read_s:6.2f} s  extract {extract_s:6.2f} s", flush=True)
        if len(figures) > 1:
            print(f"{kind:19} extract time ratio {figures[-1] / figures[0]:.1f} for a size ratio of "
                  f"{args.kb[-1] / args.kb[0]:g}", flush=True)


if __name__ == "__main__":
    main()
