"""The import graph of kg: no cycle among its modules (imports at the top and inside functions
alike), stages that import only the stages before them, no two modules with one name, and one
module, kg/ingest/jieba_io.py, the only one that imports jieba."""
from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JIEBA_MODULE = "kg.ingest.jieba_io"


def _name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path, package: str = "kg") -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(module -> modules of ``package`` it imports, module -> outside top-level packages it
    imports), from every import statement anywhere in the module's source."""
    files = {_name(root, p): p for p in (root / package).rglob("*.py")}
    inner: dict[str, set[str]] = {}
    outer: dict[str, set[str]] = {}
    for mod, path in files.items():
        here = mod.split(".") if path.name == "__init__.py" else mod.split(".")[:-1]
        inner[mod], outer[mod] = set(), set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = here[:len(here) - node.level + 1] if node.level else []
                src = ".".join(base + (node.module.split(".") if node.module else []))
                targets = [f"{src}.{a.name}" for a in node.names] if not node.module else \
                    [src] + [f"{src}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) \
                    in ("import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
                targets = [str(node.args[0].value)]
            else:
                continue
            for t in targets:
                if t.split(".")[0] != package:
                    outer[mod].add(t.split(".")[0])
                    continue
                while t not in files:          # a name imported from a module: the module
                    t = t.rpartition(".")[0]
                if t != mod:
                    inner[mod].add(t)
    return inner, outer


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (each holds a cycle)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycle_among_kg_modules():
    inner, _ = import_graph(ROOT)
    assert len(inner) > 40 and "kg.resources" in inner["kg.ingest.gazetteer"]
    assert cycles(inner) == []


STAGES = ("ingest", "extract", "graph", "outputs", "analysis")   # in the order data flows
ORCHESTRATORS = {"kg.build", "kg.pipeline", "kg.cli"}                          # they call every stage


def _stage(module: str) -> int:
    """The place of a module's stage in STAGES; -1 for kg's shared top level."""
    parts = module.split(".")
    return STAGES.index(parts[1]) if len(parts) > 1 and parts[1] in STAGES else -1


def test_each_stage_imports_only_the_stages_before_it_and_the_shared_top_level():
    inner, _ = import_graph(ROOT)
    assert {m.split(".")[1] for m in inner if m.count(".") >= 2} == set(STAGES)
    upward = sorted(f"{m} -> {t}" for m, targets in inner.items() if m not in ORCHESTRATORS
                    for t in targets if _stage(t) > _stage(m))
    assert upward == []


def test_no_two_modules_of_kg_share_a_name():
    names = [p.stem for p in (ROOT / "kg").rglob("*.py") if p.name != "__init__.py"]
    packages = [p.parent.name for p in (ROOT / "kg").rglob("__init__.py")]
    assert sorted(n for n in set(names) if names.count(n) > 1) == []
    assert set(names) & set(packages) == set()


def test_only_jieba_io_imports_jieba():
    _, outer = import_graph(ROOT)
    assert sorted(m for m, libs in outer.items() if "jieba" in libs) == [JIEBA_MODULE]
    assert sorted(m for m, libs in outer.items() if "jieba_fast_dat" in libs) == [JIEBA_MODULE]   # its route
    for path in (ROOT / "kg").rglob("*.py"):         # nor does any module read jieba's files by path
        if _name(ROOT, path) != JIEBA_MODULE:
            assert "jieba.__file__" not in path.read_text(encoding="utf-8"), path


def test_the_check_sees_a_cycle_through_a_function_level_import(tmp_path):
    pkg = tmp_path / "kg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "low.py").write_text("def f():\n    from .sub.high import g\n    return g\n")
    (pkg / "sub" / "high.py").write_text("from ..low import f\nimport jieba\n")
    (pkg / "other.py").write_text("from kg import low\n")
    inner, outer = import_graph(tmp_path)
    assert cycles(inner) == [["kg.low", "kg.sub.high"]]
    assert inner["kg.other"] == {"kg", "kg.low"} and outer["kg.sub.high"] == {"jieba"}


def test_jieba_posseg_is_imported_only_when_a_word_needs_its_hmm():
    # importing jieba.posseg reads its dictionary's tags again (~0.4 s): only an unknown word pays it
    code = ("import sys\nfrom kg.ingest.postag import Tagged, hmm_pieces\n"
            "Tagged('全县贫困人口减少1200人。').span(0, 12)\nprint('jieba.posseg' in sys.modules)\n"
            "hmm_pieces('比选')\nprint('jieba.posseg' in sys.modules)\n")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["False", "True"]
