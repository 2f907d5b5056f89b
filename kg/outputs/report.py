"""``report.md``: what a build found, per type and per article, and what it skipped and why.

Everything that comes from the input (ids, titles, dates, paths, reasons, notes) goes through
``md_text`` (table cells, prose) or ``md_code`` (a path or id heading a list item), so it can
neither break a row nor put HTML into the page.

What this module does not do: analysis of the graph (centrality, communities …).
"""
from __future__ import annotations

import html
import re
from collections import Counter
from typing import Iterable

from kg.model import ENTITY_TYPES, RELATION_TYPES


_MD_SPECIAL = re.compile(r"([\\`*\[\]|])")


def md_text(value) -> str:
    """Input text made safe for a Markdown line or table cell: line breaks become spaces,
    ``& < >`` HTML entities, and ``\\ ` * [ ] |`` are backslash-escaped."""
    text = re.sub(r"[\r\n\t\v\f\x85\u2028\u2029]+", " ", str(value or ""))
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def md_code(value) -> str:
    """Input text as a Markdown code span (shown as it is, HTML inert): line breaks become
    spaces, and the fence is longer than any run of backticks inside."""
    text = re.sub(r"[\r\n\t\v\f\x85\u2028\u2029]+", " ", str(value or ""))
    fence = "`" * (max((len(r) for r in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def report_part(ex) -> dict:
    """One article's share of report.md as plain data (kept with the build, ``kg.graph.state``):
    its row, its counts, its distinct relation triples and the notes on its input."""
    return {"row": _article_row(ex), "indicators": len(ex.indicators),
            "mentions": dict(Counter(str(m.type) for m in ex.mentions)),
            "relations": dict(Counter(r.predicate for r in ex.relations)),
            "triples": sorted({(r.predicate, *r.subject, *r.object) for r in ex.relations}),
            "flags": list(ex.article.flags), "id": ex.article.id}


def build_report(result, parts: Iterable[dict] | None = None) -> str:
    """report.md of a build: counts of articles, entities per type, relations per type,
    indicators and what was skipped, from ``parts`` (``report_part`` of each article, in id
    order), else from ``result.extractions``. Sets ``result.counts`` (relations, indicators)."""
    ents = result.entities
    mentions, rel_counts, relations, rows = Counter(), Counter(), set(), []
    n_ind = n_articles = 0
    flagged: list[tuple[str, str]] = []
    for part in (map(report_part, result.extractions) if parts is None else parts):
        n_articles += 1
        n_ind += part["indicators"]
        mentions.update(part["mentions"])
        rel_counts.update(part["relations"])
        relations.update(map(tuple, part["triples"]))
        rows.append(part["row"])
        flagged += [(part["id"], f) for f in part["flags"]]
    n_rel = sum(rel_counts.values())
    result.counts = {"relations": n_rel, "indicators": n_ind}
    lines = ["# kg build report", ""]
    lines += [f"Articles built: {n_articles}; skipped: {len(result.skipped)}; "
              f"entities: {len(ents)}; indicators: {n_ind}; relation statements: {n_rel}.", ""]
    lines += ["## Entities per type", "", "| type | entities | mentions |", "|---|---:|---:|"]
    by_type = Counter(e.type for e in ents.values())
    for t in ENTITY_TYPES:
        lines.append(f"| {t} | {by_type.get(t, 0)} | {mentions.get(t, 0)} |")
    lines += ["", "## Relations per type", "", "| relation | statements | distinct triples |", "|---|---:|---:|"]
    distinct = Counter(p for p, *_ in relations)
    for p in RELATION_TYPES:
        lines.append(f"| {p} | {rel_counts.get(p, 0)} | {distinct.get(p, 0)} |")
    lines += ["", "## Per article", "",
              "| article | title | date | home region | sentences | " + " | ".join(ENTITY_TYPES)
              + " | Indicator | relations |",
              "|---|---|---|---|---:|" + "---:|" * (len(ENTITY_TYPES) + 2)]
    lines += rows
    lines += ["", "## Skipped inputs", ""]
    if result.skipped:
        lines += [f"- {md_code(s.path)}: {md_text(s.reason)}" for s in result.skipped]
    else:
        lines.append("None.")
    if flagged:
        lines += ["", "## Notes on input", ""]
        lines += [f"- {md_code(aid)}: {md_text(flag)}" for aid, flag in flagged]
    return "\n".join(lines) + "\n"


def _article_row(ex) -> str:
    """The article's line of the per-article table."""
    c = Counter(e.type for e in ex.entities.values())
    home = ex.home_region[1] if ex.home_region else ""
    return (f"| {md_text(ex.article.id)} | {md_text(ex.article.title)} | {md_text(ex.article.date)} | "
            f"{md_text(home)} | {len(ex.sentences)} | "
            + " | ".join(str(c.get(t, 0)) for t in ENTITY_TYPES)
            + f" | {len(ex.indicators)} | {len(ex.relations)} |")
