"""Every module of kg/ and every public function, class and method in it has a docstring, and the
``>>>`` examples in kg/'s docstrings are part of the suite (pytest ``--doctest-modules`` over kg/).

Public: a name without a leading underscore, at module level or in a public class. Nested
functions are not counted (they are not part of any module's interface).
"""
from __future__ import annotations

import ast
import doctest
import importlib
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KG = ROOT / "kg"
DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
# modules whose pure functions give examples that run (numbers, short forms, scope splits, years, IRIs)
WITH_EXAMPLES = ["kg.extract.indicators", "kg.ingest.gazetteer", "kg.extract.initiative_terms", "kg.graph.iri", "kg.analysis.evaluate",
                 "kg.extract.phrases", "kg.outputs.push", "kg.resources"]


def undocumented(tree: ast.Module) -> list[str]:
    """Qualified names of the public definitions in ``tree`` that have no docstring."""
    missing = []

    def walk(body, prefix):
        for node in body:
            if isinstance(node, DEFS) and not node.name.startswith("_"):
                if ast.get_docstring(node) is None:
                    missing.append(f"{prefix}{node.name} (line {node.lineno})")
                if isinstance(node, ast.ClassDef):
                    walk(node.body, f"{prefix}{node.name}.")

    walk(tree.body, "")
    return missing


def test_every_public_function_and_class_has_a_docstring():
    missing, counted = [], 0
    for path in sorted(KG.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        rel = path.relative_to(ROOT)
        counted += sum(1 for n in ast.walk(tree) if isinstance(n, DEFS))
        if tree.body and ast.get_docstring(tree) is None:
            missing.append(f"{rel}: module")
        missing += [f"{rel}: {name}" for name in undocumented(tree)]
    assert counted > 300, "the walk found kg/'s definitions"
    assert missing == [], "no docstring:\n" + "\n".join(missing)


def test_the_check_sees_a_missing_docstring():
    tree = ast.parse('def shown(): pass\ndef _hidden(): pass\nclass C:\n    """C."""\n'
                     '    def method(self): pass\n    def _private(self): pass\n')
    assert undocumented(tree) == ["shown (line 1)", "C.method (line 5)"]


def test_docstring_examples_run_with_the_suite():
    opts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    assert "--doctest-modules" in opts["addopts"].split() and "kg" in opts["testpaths"]
    finder = doctest.DocTestFinder()
    for name in WITH_EXAMPLES:
        examples = sum(len(t.examples) for t in finder.find(importlib.import_module(name)))
        assert examples >= 1, f"{name} lost its docstring examples"
