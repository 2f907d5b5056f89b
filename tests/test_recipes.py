"""README "Recipes": every `$ kg query …` shown there runs on the seeds' build (output/graph.ttl)
and prints each line of its excerpt (lines shown as … are skipped), so the README cannot go stale."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app

ROOT = Path(__file__).resolve().parent.parent
GRAPH = ROOT / "output" / "graph.ttl"


def recipes() -> list[tuple[list[str], list[str]]]:
    """(arguments, excerpt lines) of each `$ kg query` in the README's Recipes section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Recipes", 1)[1].split("\n## ", 1)[0]
    out = []
    for block in re.findall(r"```console\n(.*?)```", section, flags=re.S):
        for chunk in re.split(r"^(?=\$ )", block, flags=re.M):
            if chunk.startswith("$ kg query"):
                command, *lines = chunk.rstrip("\n").split("\n")
                out.append((shlex.split(command[len("$ kg "):]), [ln for ln in lines if ln != "…"]))
    return out


def test_readme_has_five_recipes():
    assert len(re.findall(r"^\*\*\d\. ", (ROOT / "README.md").read_text(encoding="utf-8"), flags=re.M)) >= 5
    assert len(RECIPES) >= 6


RECIPES = recipes()


@pytest.mark.parametrize("args, excerpt", RECIPES, ids=[" ".join(a[1:]) for a, _ in RECIPES])
def test_recipe_prints_its_excerpt(args, excerpt):
    r = CliRunner().invoke(app, args + ["--graph", str(GRAPH)])
    printed = r.stderr.splitlines() + r.stdout.splitlines()
    assert excerpt and r.exit_code in (0, 1), r.output
    missing = [ln for ln in excerpt if ln not in printed]
    assert not missing, f"kg {' '.join(args)} no longer prints:\n" + "\n".join(missing)
