"""Test helpers: build an Article from a string, run the extraction stages on it.

``make_article`` builds the Article directly (text == raw, identity offsets), with an optional
title line first (the title names the home region, as in real articles). ``read_raw`` goes
through ``kg.ingest.read.clean_text`` so raw and text differ (indentation, Traditional script …).
"""
from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

from kg.extract.home import build_context
from kg.model import Article, ArticleContext, Mention
from kg.ingest.read import clean_text


def make_article(body: str, title: str | None = None, article_id: str = "t", author: str | None = None,
                 date: str | None = None, source: str | None = None) -> Article:
    text = f"{title}\n{body}" if title else body
    return Article(article_id, f"{article_id}.txt", raw=text, text=text, offsets=list(range(len(text))),
                   title=title, date=date, source=source, author=author)


def read_raw(raw: str, article_id: str = "t") -> Article:
    text, offsets, meta = clean_text(raw)
    return Article(article_id, f"{article_id}.txt", raw=raw, text=text, offsets=offsets,
                   title=meta["title"], date=meta["date"], source=meta["source"], author=meta["author"])


def context(body: str, title: str | None = None, **kw) -> ArticleContext:
    return build_context(make_article(body, title, **kw))


def found(mentions: list[Mention], type_: str | None = None) -> list[tuple[str, str]]:
    """(surface, label) of the mentions, of one type if given."""
    return [(m.text, m.label) for m in mentions if type_ is None or m.type == type_]


def labels(mentions: list[Mention], type_: str | None = None) -> set[str]:
    return {m.label for m in mentions if type_ is None or m.type == type_}


def xfail(*values, reason: str):
    """A known-wrong case: strict, so it fails the run once the code gets it right."""
    import pytest

    return pytest.param(*values, marks=pytest.mark.xfail(strict=True, reason=reason))


@lru_cache(maxsize=1)
def bench_corpus():
    """bench/corpus.py, the benchmarks' generator of synthetic articles, as a module."""
    spec = importlib.util.spec_from_file_location("bench_corpus", Path(__file__).resolve().parent.parent
                                                  / "bench" / "corpus.py")
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    return corpus


def synthetic_corpus(folder: Path, n: int, seed: int) -> Path:
    """``n`` synthetic articles of ``bench_corpus`` written into ``folder``, with a fixed ``seed``."""
    bench_corpus().write_corpus(folder, n, seed=seed)
    return folder
