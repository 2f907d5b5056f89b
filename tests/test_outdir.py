"""Faults a user can cause on the output folder and the store: a full disk (a real tmpfs, and
ENOSPC in-process), a read-only folder, an output path under a file — each one line naming the
path and the cause, exit 1, found before extraction where it can be, the old build kept; and
``--store`` interrupted before or after its switch reopens with the old graph or the new one."""
from __future__ import annotations

import errno
import json
import shutil
import signal
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kg.files
from build_procs import NEW_INPUT, OLD_INPUT, Build, assert_one_build, make_template, old_build
from cli import app
from kg.outputs.folder import BUILDS, OutputError, current_build
from kg.build import build
from kg.graph.store import OxiStore, open_store
from kg.graph.storeload import _remove_stale_loads, load_build

runner = CliRunner()


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return make_template(tmp_path_factory.mktemp("old") / "out")


@pytest.fixture
def tmpfs(tmp_path):
    """``mount(size_kb)``: a tmpfs of that size (skips where mounting is not allowed)."""
    mounted = []

    def mount(size_kb: int) -> Path:
        d = tmp_path / f"fs{len(mounted)}"
        d.mkdir()
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(d)],
                           capture_output=True, text=True)
        if r.returncode:
            pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
        mounted.append(d)
        return d
    yield mount
    for d in mounted:
        subprocess.run(["umount", "-l", str(d)], capture_output=True)


def folder_size_kb(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) // 1024


def cli_build(out: Path, paths=NEW_INPUT):
    return runner.invoke(app, ["build", *map(str, paths), "--out", str(out), "--no-cache"])


def test_disk_full_while_writing_keeps_the_old_build(template, tmpfs):
    fs = tmpfs(folder_size_kb(template) + 400)      # room for the probe, not for a second build
    out = fs / "out"
    old = old_build(template, out)
    res = cli_build(out, NEW_INPUT[:1])
    assert res.exit_code == 1
    assert res.stderr == (f"error: {out}: cannot write the build (No space left on device); "
                          f"the folder still holds build {old}\n")
    assert_one_build(out, old)
    assert [p.name for p in (out / BUILDS).iterdir()] == [old]


def test_full_disk_is_found_before_extraction(template, tmpfs):
    fs = tmpfs(256)
    with open(fs / "filler", "wb") as fh:
        with pytest.raises(OSError):
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
    res = cli_build(fs / "out")
    assert res.exit_code == 1
    assert res.stderr == f"error: {fs / 'out'}: cannot write the build there (No space left on device)\n"
    assert not (fs / "out").exists()           # made by this build, and removed again


def test_read_only_folder_is_found_before_extraction(template, tmpfs):
    fs = tmpfs(4096)
    out = fs / "out"
    old = old_build(template, out)
    subprocess.run(["mount", "-o", "remount,ro", str(fs)], check=True)
    res = cli_build(out)
    assert res.exit_code == 1
    assert res.stderr == f"error: {out}: cannot write in the output folder (Read-only file system)\n"
    assert_one_build(out, old)


def test_output_path_under_a_file_or_on_a_file(tmp_path):
    f = tmp_path / "a-file"
    f.write_text("x")
    res = cli_build(f / "out")
    assert (res.exit_code, res.stderr) == (1, f"error: {f / 'out'}: cannot create the output folder (Not a directory)\n")
    res = cli_build(f)
    assert (res.exit_code, res.stderr) == (1, f"error: {f}: not a folder; give --out a folder\n")
    assert f.read_text() == "x"


def test_enospc_in_process_leaves_the_old_build(template, tmp_path, monkeypatch):
    out = tmp_path / "out"
    old = old_build(template, out)

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr("kg.outputs.report.build_report", full)
    with pytest.raises(OutputError, match=f"^{out}: cannot write the build \\(No space left on device\\); "
                                          f"the folder still holds build {old}$"):
        build(NEW_INPUT[:1], out, cache=False)
    assert_one_build(out, old)
    assert [p.name for p in (out / BUILDS).iterdir()] == [old]


def test_report_escapes_what_comes_from_the_input(tmp_path):
    text = OLD_INPUT[0].read_text(encoding="utf-8")
    rec = {"id": "x<script>alert(1)</script>|y\nz", "title": "<script>t</script> a|b\nc & d", "text": text}
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    empty = tmp_path / "e|<i>`.txt"
    empty.write_text("")
    build([src, empty], tmp_path / "out", cache=False, html=False)
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "<script" not in report
    assert f"- ``{tmp_path}/e|<i>`.txt``: " in report      # a code span: shown as it is, HTML inert
    row = next(line for line in report.splitlines() if "alert" in line)
    header = next(line for line in report.splitlines() if line.startswith("| article |"))
    assert row.replace("\\|", "").count("|") == header.count("|")       # one row, no extra cells
    assert "x&lt;script&gt;alert(1)&lt;/script&gt;\\|y z" in row
    assert "&lt;script&gt;t&lt;/script&gt; a\\|b c &amp; d" in row


# --- --store --------------------------------------------------------------------------------

@pytest.fixture
def store(template, tmp_path):
    db = tmp_path / "db"
    n = load_build(template / "graph.ttl", db)
    return db, n


def reopen(db: Path) -> int:
    s = open_store(store=db)
    try:
        return len(s)
    finally:
        del s.store


@pytest.mark.parametrize("stage,sig", [("store-loaded", signal.SIGKILL), ("store-swapped", signal.SIGKILL),
                                       ("store-loaded", signal.SIGINT), ("store-swapped", signal.SIGINT)])
def test_store_interrupted_reopens_with_the_old_or_the_new_graph(template, store, tmp_path, stage, sig):
    db, n_old = store
    out = tmp_path / "out"
    old_build(template, out)
    b = Build(out, "--store", str(db), paths=NEW_INPUT[:1], pause=stage)
    try:
        b.wait_for(f"kg: paused at {stage}")
        code = b.interrupt(sig)
    finally:
        b.stop()
    assert code == (-signal.SIGKILL if sig == signal.SIGKILL else 130)
    new = current_build(out)["build"]
    assert_one_build(out, new)
    n = reopen(db)
    assert n > 0
    if stage == "store-loaded":
        assert n == n_old
    else:
        assert n != n_old
    if sig == signal.SIGINT:
        held = "the graph it held before" if stage == "store-loaded" else "this build's graph"
        assert f"interrupted: {out}/ holds build {new}; the store {db} holds {held}" in b.stderr
    load_build(template / "graph.ttl", db)             # the next load clears what was left
    assert reopen(db) == n_old
    assert [p.name for p in tmp_path.iterdir() if ".kg-" in p.name] == []


def test_store_load_failing_midway_leaves_the_store(store, template, monkeypatch):
    db, n_old = store

    def half(self, path, with_ontology=True, replace=True):
        self.store.update("INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }")
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(OxiStore, "load_turtle", half)
    with pytest.raises(OSError, match=f"^{db}: cannot load the store \\(No space left on device\\)$"):
        load_build(template / "graph.ttl", db)
    assert reopen(db) == n_old
    assert [p.name for p in db.parent.iterdir() if ".kg-" in p.name] == []


def test_store_without_atomic_exchange_and_recovery_of_an_old_store_aside(store, template, monkeypatch):
    db, n_old = store

    def no_exchange(a, b):
        raise NotImplementedError("not here")
    monkeypatch.setattr(kg.files, "exchange", no_exchange)
    assert load_build(template / "graph.ttl", db) == n_old
    aside = db.with_name(f".{db.name}.kg-old-4194999-abcdef")      # left by a load killed mid-swap
    db.rename(aside)
    _remove_stale_loads(db)                                         # what the next load does first
    assert reopen(db) == n_old and not aside.exists()


def test_store_refuses_to_replace_a_folder_that_is_not_a_store(template, tmp_path):
    keep = tmp_path / "mine"
    keep.mkdir()
    (keep / "notes.txt").write_text("mine")
    with pytest.raises(OSError, match="not an Oxigraph store and not empty"):
        load_build(template / "graph.ttl", keep)
    assert (keep / "notes.txt").read_text() == "mine"
    shutil.rmtree(keep)


def test_store_that_cannot_be_made_is_found_before_extraction(tmp_path):
    f = tmp_path / "a-file"
    f.write_text("x")
    for store, why in [(f / "db", f"{f / 'db'}: cannot create the store there ({f} is a file)"),
                       (f, f"{f}: a file, not an Oxigraph store folder")]:
        res = runner.invoke(app, ["build", *map(str, NEW_INPUT), "--out", str(tmp_path / "out"), "--store", str(store)])
        assert (res.exit_code, res.stderr) == (1, f"error: {why}\n")
        assert not (tmp_path / "out").exists()      # nothing extracted, nothing written
