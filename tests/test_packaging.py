"""Packaging: the wheel carries the ontology, the shapes and the CLI inside ``kg``, and nothing else.

A plain ``pip install .`` must work from any folder (.ci/run checks that end to end, with a
fresh venv and a build of the seeds); here the wheel is built from a copy of the sources and
its file list is checked, and the package's own copies of ontology.ttl and shapes.ttl are
checked to be the top-level files (kg/data/ holds symlinks to them).
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

from kg.outputs.validate import SHAPES_PATH
from kg.vocab import ONTOLOGY_PATH

ROOT = Path(__file__).resolve().parent.parent


def test_package_reads_the_top_level_ontology_and_shapes():
    assert ONTOLOGY_PATH.read_bytes() == (ROOT / "ontology.ttl").read_bytes()
    assert SHAPES_PATH.read_bytes() == (ROOT / "shapes.ttl").read_bytes()
    assert ROOT / "kg" in ONTOLOGY_PATH.parents and ROOT / "kg" in SHAPES_PATH.parents


def test_script_points_into_the_package():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["scripts"] == {"kg": "kg.cli:main"}
    assert "py-modules" not in meta.get("tool", {}).get("setuptools", {})
    deps = " ".join(meta["project"]["dependencies"])
    assert "charset-normalizer" not in deps and "pyoxigraph>=0.5.13,<0.6" in deps


def test_wheel_ships_data_and_no_top_level_module(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "ontology.ttl", "shapes.ttl"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(ROOT / "kg", src / "kg", symlinks=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    # no build isolation: the test extra provides setuptools, so no download and a few seconds
    res = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
                          "-w", str(tmp_path / "dist"), str(src)], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    [wheel] = (tmp_path / "dist").glob("kg-*.whl")
    from kg import __version__
    assert wheel.name.split("-")[1] == __version__      # pyproject's dynamic version: kg --version agrees
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        assert z.read("kg/data/ontology.ttl") == (ROOT / "ontology.ttl").read_bytes()
        assert z.read("kg/data/shapes.ttl") == (ROOT / "shapes.ttl").read_bytes()
        assert "kg/cli.py" in names and "kg/data/queries/" in " ".join(names)
    tops = {n.split("/")[0] for n in names}
    assert tops == {"kg", wheel.name.split("-")[0] + "-" + wheel.name.split("-")[1] + ".dist-info"}
