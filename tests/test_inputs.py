"""Inputs as users have them: .txt, .html, .jsonl, folders mixing them, and each kind of bad input
(skipped with one line naming the file or file:line and the reason; the rest still built), and
the exit codes of `kg build` (0 when something was built, 1 when nothing, --strict 1 on any skip).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from kg.ingest.inputs import clean_date, clean_url
from kg.pipeline import extract_paths

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
runner = CliRunner()


def _html(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A folder of one good article of each kind and one file of each bad kind."""
    d = tmp_path_factory.mktemp("inputs")
    seed0 = SEEDS[0].read_text(encoding="utf-8")
    seed1 = SEEDS[1].read_text(encoding="utf-8")
    (d / "good.txt").write_text(seed0, encoding="utf-8")
    paras = "".join(f"<p>{line}</p>" for line in seed1.splitlines()[3:] if line.strip())
    head = ('<title>网站 - 党建扶贫</title><meta name="date" content="2019-06-02">'
            '<link rel="canonical" href="https://example.org/news/a 1.html">')
    (d / "good.html").write_text(_html(f"<nav>首页 | 新闻 | 联系我们</nav><article><h1>党建扶贫纪实</h1>"
                                       f"{paras}</article><footer>版权所有 ©2019 某网</footer>", head),
                                 encoding="utf-8")
    lines = [json.dumps({"id": "j1", "title": "第一篇", "date": "2020/3/5", "url": "https://example.org/j1",
                         "source": "人民网", "text": seed0}, ensure_ascii=False),
             "{not json",
             json.dumps({"title": "no text field"}),
             "",
             json.dumps({"text": seed1[:2000]}, ensure_ascii=False)]
    (d / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (d / "unknown.txt").write_bytes(b"caf\xff\x80 \xff\xfe\x80\xff" * 50)
    (d / "english.txt").write_text("Party building and poverty alleviation in rural China.\n" * 20, encoding="utf-8")
    (d / "boilerplate.txt").write_text("您当前的位置：首页 > 新闻中心 > 要闻\n责任编辑：张三\n"
                                       "版权所有 ©2020 某某网 京ICP备12345号\n", encoding="utf-8")
    (d / "nobody.html").write_text("<html><head><title>党建扶贫</title></head></html>", encoding="utf-8")
    (d / "navonly.html").write_text(_html("<nav><a href='/'>首页</a></nav>"), encoding="utf-8")
    with open(d / "huge.txt", "w", encoding="utf-8") as fh:   # 100 MB of real text, never read
        block = "党建引领脱贫攻坚，驻村工作队扎根基层。\n" * 10_000
        for _ in range(100 * 2**20 // len(block.encode("utf-8")) + 1):
            fh.write(block)
    assert (d / "huge.txt").stat().st_size >= 100 * 2**20
    return d


@pytest.fixture(scope="module")
def result(corpus):
    return extract_paths([corpus])


REASONS = {
    "empty.txt": "empty",
    "binary.txt": "binary",
    "unknown.txt": "undecodable",
    "huge.txt": "too large",
    "english.txt": "no Chinese text",
    "boilerplate.txt": "nothing but boilerplate",
    "nobody.html": "HTML with no main text",
    "navonly.html": "HTML with no main text",
    "corpus.jsonl:2": "invalid JSON",
    "corpus.jsonl:3": 'no "text"',
    "good.txt": 'article id "good" already used by ',      # good.html comes first in sorted order
}


@pytest.mark.parametrize("name,reason", sorted(REASONS.items()))
def test_bad_input_skipped_with_reason(result, corpus, name, reason):
    by_where = {s.path: s.reason for s in result.skipped}
    assert str(corpus / name) in by_where, by_where
    assert reason in by_where[str(corpus / name)]


def test_huge_file_names_the_limit(result, corpus):
    reason = next(s.reason for s in result.skipped if s.path.endswith("huge.txt"))
    assert "100.1 MB" in reason and "10 MB limit" in reason and "--max-size" in reason


def test_only_the_bad_ones_skipped(result):
    assert len(result.skipped) == len(REASONS)
    assert sorted(ex.article.id for ex in result.extractions) == ["corpus-5", "good", "j1"]


def _jsonl(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def test_repeated_article_id_is_skipped_naming_both_places_whatever_the_order(tmp_path):
    """dup, dup, dup-1 in one file; a generated <stem>-<line> id given explicitly in another
    file; a .txt whose stem is an id already used: the first in sorted file/line order is built,
    each later one skipped with where the id was first used, never merged."""
    seed0, seed1 = (f.read_text(encoding="utf-8")[:1500] for f in SEEDS[:2])
    _jsonl(tmp_path / "a.jsonl", [{"id": "dup", "text": seed0}, {"id": "dup", "text": seed1},
                                  {"id": "dup-1", "text": seed1}, {"text": seed1}])
    _jsonl(tmp_path / "b.jsonl", [{"id": "a-4", "text": seed0}, {"text": seed0}, {"id": "dup", "text": seed1}])
    (tmp_path / "b-2.txt").write_text(seed1, encoding="utf-8")
    a, b, t = (str(tmp_path / n) for n in ("a.jsonl", "b.jsonl", "b-2.txt"))
    expected_skips = [(f"{a}:2", f'article id "dup" already used by {a}:1'),
                      (f"{b}:1", f'article id "a-4" already used by {a}:4'),
                      (f"{b}:2", f'article id "b-2" already used by {t}'),
                      (f"{b}:3", f'article id "dup" already used by {a}:1')]
    for order in ([a, b, t], [t, b, a], [str(tmp_path)]):
        result = extract_paths(order)
        assert [(s.path, s.reason) for s in result.skipped] == expected_skips
        assert [(ex.article.id, ex.article.path) for ex in result.extractions] == \
            [("a-4", a), ("b-2", t), ("dup", a), ("dup-1", a)]
        raw = {ex.article.id: ex.article.raw for ex in result.extractions}
        assert raw["dup"] == seed0 and raw["a-4"] == seed1        # the first of each id, whole


def test_cli_names_both_places_of_a_repeated_id(tmp_path):
    seed0 = SEEDS[0].read_text(encoding="utf-8")[:1500]
    _jsonl(tmp_path / "a.jsonl", [{"id": "dup", "text": seed0}])
    _jsonl(tmp_path / "b.jsonl", [{"text": seed0}, {"text": seed0}, {"id": "dup", "text": seed0}])
    r = runner.invoke(app, ["build", str(tmp_path), "--out", str(tmp_path / "out"), "--no-cache", "-q"])
    assert r.exit_code == 0, r.output
    assert f'skipped {tmp_path / "b.jsonl"}:3: article id "dup" already used by {tmp_path / "a.jsonl"}:1' in r.output
    ttl = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert ttl.count("a kg:Article .") == ttl.count("kg:sentenceCount ") == 3    # dup, b-1, b-2: one node each


def test_jsonl_fields_used(result):
    a = next(ex.article for ex in result.extractions if ex.article.id == "j1")
    assert (a.title, a.date, a.url, a.source) == ("第一篇", "2020-03-05", "https://example.org/j1", "人民网")
    assert a.path.endswith("corpus.jsonl")


def test_html_main_text_and_metadata(result):
    a = next(ex.article for ex in result.extractions if ex.article.path.endswith("good.html"))
    assert a.url == "https://example.org/news/a%201.html"
    assert a.date == "2019-06-02"
    assert "联系我们" not in a.text and "版权所有" not in a.text
    assert a.text.count("。") > 10
    assert ex_offsets_ok(a)


def ex_offsets_ok(a) -> bool:
    return len(a.offsets) == len(a.text) and all(0 <= o < len(a.raw) for o in a.offsets)


@pytest.mark.parametrize("value,expected", [
    ("2020-05-01", "2020-05-01"), ("2020/5/1", "2020-05-01"), ("2020年5月1日", "2020-05-01"),
    ("2020-05", "2020-05"), ("2020", "2020"), ("2020-05-01T08:00:00+08:00", "2020-05-01"),
    ("yesterday", None), ("2020-13-01", None), (None, None), (20200501, None)])
def test_clean_date(value, expected):
    assert clean_date(value) == expected


@pytest.mark.parametrize("value,expected", [
    ("https://example.org/a b", "https://example.org/a%20b"), ("http://x.cn/新闻?id=1", "http://x.cn/%E6%96%B0%E9%97%BB?id=1"),
    ("javascript:alert(1)", None), ("/relative/path", None), (42, None)])
def test_clean_url(value, expected):
    assert clean_url(value) == expected


# ---------------------------------------------------------------- the command

def test_cli_exit_0_with_skips_listed_in_report(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": 1}\n', encoding="utf-8")
    res = runner.invoke(app, ["build", str(SEEDS[0]), str(bad), "--out", str(tmp_path / "o"), "--no-cache", "-q"])
    assert res.exit_code == 0, res.output
    assert f"skipped {bad}:1: invalid JSON line" in res.stderr
    assert f"`{bad}:1`: invalid JSON line" in (tmp_path / "o" / "report.md").read_text(encoding="utf-8")


def test_cli_exit_1_when_nothing_built(tmp_path):
    (tmp_path / "e.html").write_text("<html></html>", encoding="utf-8")
    res = runner.invoke(app, ["build", str(tmp_path / "e.html"), "--out", str(tmp_path / "o"), "--no-cache"])
    assert res.exit_code == 1
    assert "e.html" in res.stderr and not (tmp_path / "o").exists()


def test_cli_strict_exit_1_on_any_skip_and_writes_nothing(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    res = runner.invoke(app, ["build", str(SEEDS[0]), str(tmp_path / "empty.txt"), "--out", str(tmp_path / "o"),
                              "--no-cache", "--strict", "-q"])
    assert res.exit_code == 1
    assert "--strict" in res.stderr and "empty.txt" in res.stderr
    assert not (tmp_path / "o").exists()


def test_cli_max_size_option(tmp_path):
    res = runner.invoke(app, ["build", str(SEEDS[0]), "--out", str(tmp_path / "o"), "--no-cache", "--max-size", "0.001"])
    assert res.exit_code == 1
    assert "over the 0.001 MB limit" in res.stderr
