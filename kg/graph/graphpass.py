"""The graph pass of a build: every article once, in id order, into the graph's shards, the
report and the analysis' coverage and figure rows; each article's part taken from the previous
build (``kg.graph.state.PreviousBuild``) when what it wrote there still holds, else made from
its extraction (and kept for the next build, ``kg.graph.state.StateWriter``).

Whether an article's part still holds (``kg.graph.state``): the same key and path, the same
fingerprint of the merged entities it refers to, and the same relation lines first stated by
it (an article added before it, by id, may now state one first). A part made again is made
exactly as a full build makes it, so a build that reuses parts gives the bytes of one that
does not.

What this module does not do: write graph.ttl or fill the store (``kg.graph.shards``).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

from kg.graph.shards import GraphShards
from kg.graph.spool import ExtractionSpool
from kg.graph.state import PreviousBuild, StateWriter, fingerprint
from kg.model import ArticleRecord, Extraction


def references(ex: Extraction) -> list[tuple[str, str]]:
    """Every entity key an extraction's triples and rows look up, sorted."""
    keys = set(ex.entities) | {(m.type, m.label) for m in ex.mentions}
    keys |= {k for r in ex.relations for k in (r.subject, r.object)}
    keys |= {k for i in ex.indicators for k in (i.measures_key, i.region) if k}
    if ex.home_region:
        keys.add(ex.home_region)
    return sorted((str(t), label) for t, label in keys)


def graph_pass(spool: ExtractionSpool, shards: GraphShards, report_part: Callable[[Extraction], dict],
               coverage, figures, previous: PreviousBuild | None = None,
               keep: StateWriter | None = None) -> Iterator[dict]:
    """Each article's report part (``report_part(extraction)``, kg.outputs.report's), in id
    order, as its triples go to ``shards``, its coverage row to ``coverage`` (the analysis'
    ``CoverageTally``) and its figure rows to ``figures`` (``FigureTally``); its record to ``keep``."""
    labels, types, iris = coverage.labels, coverage.types, shards.iris
    for article_id in spool.ids():
        path, key = spool.about(article_id)
        rec, raw = _reusable(previous, article_id, key, path, shards, labels, types) or (None, None)
        if rec is None:
            ex = spool.get(article_id)
            written = shards.add(ex)
            refs = references(ex) if keep is not None else []       # (what only a kept record needs)
            fp = fingerprint(key, Path(path).name, refs, iris, labels, types) if keep is not None else ""
            rec = ArticleRecord(article_id, key, path, fp, ex.entities, refs, written.stated, written.owned,
                                report_part(ex), coverage.row(ex), figures.article_rows(ex), written.posts)
        coverage.out.append(rec.coverage)
        figures.take(rec.figures)
        if keep is not None:
            keep.put(rec, raw)
        yield rec.report


def _reusable(previous: PreviousBuild | None, article_id: str, key: str, path: str, shards: GraphShards,
              labels: dict, types: dict) -> tuple[ArticleRecord, tuple[str, str]] | None:
    """The previous build's record of the article (and its kept form), taken into ``shards``,
    if it still holds."""
    if previous is None or not key:
        return None
    found = previous.record(article_id)
    if found is None:
        return None
    rec, name = found[0], Path(path).name      # (the outputs hold its file's name, not its path)
    if rec.key != key or Path(rec.path).name != name:
        return None
    if rec.fingerprint != fingerprint(key, name, rec.refs, shards.iris, labels, types):
        return None
    block = previous.block(article_id)
    if block is None or shards.owns(rec.stated) != rec.owned:
        return None
    shards.reuse(article_id, rec.stated, rec.posts, block[:2], block[2])
    rec.path = path
    return found
