"""An interrupted build leaves its output folder as one build, the old or the new: SIGKILL and
Ctrl-C while extracting and at every stage of writing and switching (``KG_TEST_PAUSE_AT`` makes
the build wait there), each checked against the manifest (sha256 of every file); the Ctrl-C
message names the build the folder holds; a second build into a folder being built is refused
with the other build's pid; the next build clears what a killed one left."""
from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from build_procs import NEW_INPUT, SEEDS, Build, assert_one_build, make_template, old_build
from kg.outputs.folder import BUILDS, current_build
from kg.build import OUTPUTS, build


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return make_template(tmp_path_factory.mktemp("old") / "out")


@pytest.fixture
def out(template, tmp_path):
    path = tmp_path / "out"
    return path, old_build(template, path)


@pytest.fixture
def procs():
    started: list[Build] = []
    yield started
    for b in started:
        b.stop()


def run(procs, out, *extra, **kw) -> Build:
    b = Build(out, *extra, **kw)
    procs.append(b)
    return b


def many_articles(folder: Path, n: int = 40) -> list[Path]:
    """``n`` articles (copies of four seeds under their own names): extracting them takes
    seconds, so a signal sent after the first one lands while the build is still extracting."""
    folder.mkdir()
    paths = []
    for i in range(n):
        paths.append(folder / f"copy{i:03d}.txt")
        paths[-1].write_bytes(SEEDS[1 + i % 4].read_bytes())
    return paths


@pytest.mark.parametrize("sig,jobs", [(signal.SIGKILL, "1"), (signal.SIGINT, "2")])
def test_interrupted_while_extracting_leaves_old_build(out, procs, sig, jobs, tmp_path):
    path, old = out
    b = run(procs, path, "--jobs", jobs, paths=many_articles(tmp_path / "in"))
    b.wait_for("[1/40]")                    # the first article done, the others being extracted
    code = b.interrupt(sig)                 # fails unless the build is still running
    assert code == (-signal.SIGKILL if sig == signal.SIGKILL else 130)     # ended by the signal
    done = [int(ln[1:].split("/")[0]) for ln in b.lines if ln.startswith("[")]
    assert done and max(done) < 40, "the signal came while articles were still being extracted"
    assert "built " not in b.stderr
    assert_one_build(path, old)
    if sig == signal.SIGINT:
        assert f"left as it was before this build (build {old})" in b.stderr
        assert [p.name for p in (path / BUILDS).iterdir()] == [old]      # the staging folder removed


# stage -> which build the folder must hold after SIGKILL there
STAGES = {"extracted": "old", "writing": "old", "manifest": "old", "linked": "old", "swapped": "new"}


@pytest.mark.parametrize("stage", STAGES)
def test_sigkill_at_each_stage_leaves_one_build(out, procs, stage):
    path, old = out
    b = run(procs, path, pause=stage)
    b.wait_for(f"kg: paused at {stage}")
    assert b.interrupt(signal.SIGKILL) == -signal.SIGKILL
    if STAGES[stage] == "old":
        assert_one_build(path, old)
    else:
        new = current_build(path)["build"]
        assert new != old
        assert_one_build(path, new)
        assert current_build(path)["inputs"]["paths"] == [str(p) for p in NEW_INPUT]


@pytest.mark.parametrize("stage", ["writing", "swapped"])
def test_ctrl_c_message_names_the_build_the_folder_holds(out, procs, stage):
    path, old = out
    b = run(procs, path, pause=stage)
    b.wait_for(f"kg: paused at {stage}")
    assert b.interrupt(signal.SIGINT) == 130
    held = current_build(path)["build"]
    assert_one_build(path, held)
    if stage == "writing":
        assert held == old
        assert f"interrupted: {path}/ left as it was before this build (build {old})" in b.stderr
        assert [p.name for p in (path / BUILDS).iterdir()] == [old]       # the staging folder removed
    else:
        assert held != old
        assert f"holds this build ({held})" in b.stderr


def test_next_build_clears_what_a_killed_build_left(out, procs):
    path, old = out
    b = run(procs, path, pause="manifest")
    b.wait_for("kg: paused at manifest")
    assert b.interrupt(signal.SIGKILL) == -signal.SIGKILL
    assert len(list((path / BUILDS).iterdir())) == 2           # the old build and the killed one's
    result = build(NEW_INPUT[:1], path, cache=False)
    assert_one_build(path, result.build_id)
    assert [p.name for p in (path / BUILDS).iterdir()] == [result.build_id]
    assert not [p.name for p in path.iterdir() if p.name.endswith(".tmp") or ".link-" in p.name]


def test_a_second_build_into_a_folder_being_built_is_refused(out, procs):
    path, old = out
    first = run(procs, path, pause="extracted")
    first.wait_for("kg: paused at extracted")
    second = run(procs, path)
    assert second.finish() == 1
    assert second.stderr.strip() == (f"error: {path}: another build (pid {first.proc.pid}) is writing this "
                                     "folder; wait for it to end or choose another --out")
    assert first.interrupt(signal.SIGKILL) == -signal.SIGKILL
    assert_one_build(path, old)


def test_legacy_folder_is_never_mixed_while_it_is_converted(out, procs, tmp_path):
    """A folder of regular files (an older kg) keeps its contents until the switch."""
    path, old = out
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    before = {}
    for name in ("graph.ttl", "graph.html", "report.md", "analysis.md", "analysis.json"):
        before[name] = (path / name).read_bytes()
        (legacy / name).write_bytes(before[name])
    b = run(procs, legacy, pause="linked")
    b.wait_for("kg: paused at linked")
    assert b.interrupt(signal.SIGKILL) == -signal.SIGKILL
    held = current_build(legacy)["build"]
    assert held.startswith("legacy-")
    assert_one_build(legacy, held)
    assert {name: (legacy / name).read_bytes() for name in before} == before
    assert all(os.path.islink(legacy / name) for name in before)


def test_a_first_build_killed_before_its_switch_leaves_no_outputs(procs, tmp_path):
    path = tmp_path / "fresh"
    b = run(procs, path, pause="linked")
    b.wait_for("kg: paused at linked")
    assert b.interrupt(signal.SIGKILL) == -signal.SIGKILL
    assert not [n for n in (*OUTPUTS, "build.json") if (path / n).exists()]     # links lead nowhere yet
    result = build(NEW_INPUT[:1], path, cache=False)
    assert_one_build(path, result.build_id)
