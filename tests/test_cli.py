"""The kg command, through typer's test runner: build, query, viz and their errors."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app

ROOT = Path(__file__).resolve().parent.parent
ONE = ROOT / "seeds" / "000_561553d2c6e7eabe.txt"
runner = CliRunner()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli")
    res = runner.invoke(app, ["build", str(ONE), "--out", str(out)])
    assert res.exit_code == 0, res.output
    return out, res


def test_build_one_article_summary(built):
    out, res = built
    assert "built 1 article(s), skipped 0" in res.stdout
    assert (out / "graph.ttl").exists() and (out / "graph.html").exists() and (out / "report.md").exists()


def test_build_skips_bad_file_and_builds_the_rest(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary")
    res = runner.invoke(app, ["build", str(bad), str(ONE), "--out", str(tmp_path / "o")])
    assert res.exit_code == 0
    assert f"skipped {bad}" in res.stderr
    assert "bad.txt" in (tmp_path / "o" / "report.md").read_text(encoding="utf-8")


def test_build_with_nothing_buildable_exits_1_and_writes_nothing(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    res = runner.invoke(app, ["build", str(empty), "--out", str(tmp_path / "o")])
    assert res.exit_code == 1
    assert "empty.txt" in res.stderr
    assert not (tmp_path / "o").exists()


QUERY = 'SELECT ?label WHERE { ?b a kg:Body ; rdfs:label ?label } ORDER BY ?label'


def test_query_table(built):
    out, _ = built
    res = runner.invoke(app, ["query", QUERY, "--graph", str(out / "graph.ttl")])
    assert res.exit_code == 0, res.output
    assert "湖南省委组织部" in res.stdout and res.stdout.rstrip().endswith("rows)")


def test_query_csv_and_json(built):
    out, _ = built
    res = runner.invoke(app, ["query", QUERY, "--graph", str(out / "graph.ttl"), "--format", "csv"])
    rows = list(csv.reader(io.StringIO(res.stdout)))
    assert rows[0] == ["label"] and ["湖南省委"] in rows
    res = runner.invoke(app, ["query", QUERY, "--graph", str(out / "graph.ttl"), "--format", "json"])
    data = json.loads(res.stdout)
    assert {b["label"]["value"] for b in data["results"]["bindings"]} >= {"湖南省委", "湖南省委组织部"}


def test_query_from_file_and_ask(built, tmp_path):
    out, _ = built
    q = tmp_path / "q.rq"
    q.write_text('ASK { ?r a kg:Region ; rdfs:label "湖南省"@zh }', encoding="utf-8")
    res = runner.invoke(app, ["query", str(q), "--graph", str(out / "graph.ttl")])
    assert res.exit_code == 0 and res.stdout.strip() == "true"


def test_query_syntax_error_exits_2(built):
    out, _ = built
    res = runner.invoke(app, ["query", "SELECT ?x WHERE { ?x ", "--graph", str(out / "graph.ttl")])
    assert res.exit_code == 2 and "bad query" in res.stderr


def test_query_missing_graph_exits_2(tmp_path):
    res = runner.invoke(app, ["query", QUERY, "--graph", str(tmp_path / "none.ttl")])
    assert res.exit_code == 2 and "kg build" in res.stderr


def test_viz_writes_page(built, tmp_path):
    out, _ = built
    res = runner.invoke(app, ["viz", "--graph", str(out / "graph.ttl"), "--out", str(tmp_path / "g.html")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "g.html").stat().st_size > 10000


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(flag):
    from kg import __version__

    res = runner.invoke(app, [flag])
    assert res.exit_code == 0 and res.stdout == f"kg {__version__}\n"


def test_shell_completion_offered():
    res = runner.invoke(app, ["--help"])
    assert "--install-completion" in res.stdout and "--show-completion" in res.stdout
    res = runner.invoke(app, ["--show-completion", "bash"], prog_name="kg")
    assert res.exit_code == 0 and "_KG_COMPLETE" in res.stdout


@pytest.mark.parametrize("command", ["build", "serve", "push", "eval", "query", "analyze", "export", "validate", "viz"])
def test_switches_show_no_value_and_options_name_theirs(command):
    """A switch (--quiet, --strict, --public …) shows no `<bool>` value in --help, and an option
    that takes a value names it (FILE, DIR, N …) rather than typer's `<path>` or `<int>`."""
    import re

    res = runner.invoke(app, [command, "--help"])
    assert res.exit_code == 0 and "<bool>" not in res.stdout and "bool" not in res.stdout
    assert re.findall(r"--[\w-]+ <\w+", res.stdout) == []


def test_switch_given_a_value_is_a_missing_input(tmp_path):
    """`kg build --quiet true`: --quiet takes no value, so `true` is an input path; it does not
    exist, which ends in the one-line "no such file" skip, saying why, and nothing is written."""
    res = runner.invoke(app, ["build", "--quiet", "true", "--out", str(tmp_path / "o")])
    assert res.exit_code == 1
    assert res.stderr.splitlines() == [
        "skipped true: no such file or folder (switches such as --quiet take no value: this was read as an input path)",
        "error: no article could be built; nothing written"]
    assert not (tmp_path / "o" / "graph.ttl").exists()
