"""Extraction quality on real articles: ../shared/dev/ (16 articles from 16 provinces, with gold).

The articles and their gold are not part of the repository (they are not ours to publish); CI
lays ``shared/`` beside the checkout. Outside CI the tests skip when it is missing; under CI
they fail, so a missing copy cannot pass unnoticed. The floors below are what issue 10 asks of
dev/ and of the seeds; the held-out part (d13–d16) is scored inside the whole, and its separate
figure is in the README.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.analysis.evaluate import evaluate

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "dev"

# floors on dev/ (all 16 articles)
DEV_FLOORS = {"entities_f1_lenient": 0.82, "canonical_recall": 0.75, "Region": 0.90, "Body": 0.75,
              "Person": 0.85, "relations": 0.65, "posts": 0.70, "Ind+counted": 0.55}


@pytest.fixture(scope="module")
def dev_report():
    if not (DEV / "gold.json").is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{DEV} is missing: CI lays shared/ beside the checkout")
        pytest.skip(f"{DEV} is not here (shared/ is laid beside the checkout in CI)")
    return evaluate(DEV / "gold.json", DEV / "articles")


@pytest.mark.parametrize("figure", sorted(DEV_FLOORS))
def test_dev_quality(dev_report, figure):
    assert dev_report["scored"] == 16
    assert dev_report["summary"][figure] >= DEV_FLOORS[figure]


def test_challenge_stays_close_to_dev(dev_report):
    """tests/challenge/ (written to the rules) should not read much better than real text."""
    challenge = evaluate(ROOT / "tests" / "challenge" / "gold.json", ROOT / "tests" / "challenge")
    c, d = challenge["summary"], dev_report["summary"]
    assert abs(c["entities_f1_lenient"] - d["entities_f1_lenient"]) <= 0.05
