"""House rules of kg's code: domain words live in kg/data tables, not in module-level lists.

A module-level list, tuple, set, frozenset or dict (or ``set("…")``/``tuple("…")``) holding three
or more Chinese words or characters is a word list and belongs in a ``kg/data`` table that names
its source, loaded through ``kg.resources``. Regexes and plain strings are not scanned: a regex
of dates, numerals or datelines is a rule of grammar and stays in code.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from kg.resources import char_class, data_path, words_of_kind

PACKAGE = Path(__file__).resolve().parents[1] / "kg"
HAN = re.compile(r"[\u4e00-\u9fff]")
MIN_WORDS = 3
# Module-level constants allowed to hold Chinese words, each with why. Keep it short.
ALLOWED: dict[str, str] = {}


def _han_words(node: ast.AST) -> int:
    """How many Chinese words a container literal holds (a string of single characters given
    to set()/tuple()/frozenset()/list() counts each Han character)."""
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        items = node.elts
    elif isinstance(node, ast.Dict):
        items = [k for k in node.keys if k is not None] + list(node.values)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
            and node.func.id in ("set", "frozenset", "tuple", "list") and node.args:
        arg = node.args[0]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            return len(HAN.findall(arg.value))
        return _han_words(arg)
    else:
        return 0
    return sum(1 for n in items if isinstance(n, ast.Constant) and isinstance(n.value, str)
               and HAN.search(n.value))


def word_lists(source: str) -> list[tuple[str, int, int]]:
    """(name, line, words) of each module-level constant of ``source`` that is a list of
    ``MIN_WORDS`` or more Chinese words."""
    out = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        n = _han_words(value)
        if n >= MIN_WORDS:
            out.append((", ".join(ast.unparse(t) for t in targets), node.lineno, n))
    return out


def test_no_module_level_word_lists_in_kg():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).as_posix()
        for name, line, n in word_lists(path.read_text(encoding="utf-8")):
            if f"{rel}:{name}" not in ALLOWED:
                found.append(f"{rel}:{line} {name} ({n} Chinese words)")
    assert not found, "word lists belong in kg/data tables:\n" + "\n".join(found)


@pytest.mark.parametrize("source,expected", [
    ('SCOPE = ("全省", "全市", "全县")', ["SCOPE"]),
    ('STOPS = set("的了在是")', ["STOPS"]),
    ('LEVEL: dict = {"省": "province", "市": "prefecture", "县": "county"}', ["LEVEL"]),
    ('A = B = frozenset(("和", "与", "及"))', ["A, B"]),
    ('TWO = ("全省", "全市")', []),                          # fewer than three
    ('DATE = re.compile(r"\\d+年\\d+月\\d+日")', []),           # a regex is a rule
    ('CN = "零一二三四五六七八九十"', []),                      # a plain string
    ('def f():\n    local = ("全省", "全市", "全县")', []),   # not module level
    ('PUNCT = set("，。、；：")', []),                         # no Han characters
])
def test_the_scan_finds_word_lists_and_only_them(source, expected):
    assert [name for name, _, _ in word_lists(source)] == expected


def test_every_table_names_its_source():
    for path in sorted(data_path("").glob("*.tsv")) + sorted(data_path("").glob("*.txt")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# source:"), path.name


def test_a_misspelt_kind_is_an_error_not_an_empty_list():
    assert words_of_kind("figure_words.tsv", "approx_before")[:2] == ("将近", "大约")
    with pytest.raises(KeyError):
        words_of_kind("figure_words.tsv", "approx-before")
    with pytest.raises(KeyError):
        char_class("no such class")


def test_char_classes_are_single_characters_once_each():
    from kg.resources import load_table
    for row in load_table("char_classes.tsv"):
        chars = row["chars"]
        assert len(set(chars)) == len(chars), f"{row['kind']}: a character twice in {chars}"
        assert not re.search(r"\s", chars), row["kind"]
