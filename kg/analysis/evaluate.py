"""Score extraction against a gold file (the format of ``tests/gold/seeds.json``).

For each gold article, the article alone is extracted and turned into its graph, and the
graph's entities, indicator values and relations are matched with the gold annotation the way
``shared/tools/score_kg.py`` matches them: an entity is found when any of its labels equals any
of the gold entity's labels (after NFKC and dropping quotation marks); "canonical" counts gold
entities whose canonical label is exactly the predicted one; Programme and Measure also count
as one "initiative" type (lenient); indicators match by value, and "Ind+counted" also by what
they count; relations by predicate and both ends' labels.

What this module does not do: tune anything; it only measures.
"""
from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from pathlib import Path

from kg.model import ENTITY_TYPES, INITIATIVE_TYPES, POST_RELATIONS, RELATION_TYPES

STRIP = "“”\"'‘’《》「」『』〈〉 \u3000"
ROWS = list(ENTITY_TYPES) + ["initiative", "Indicator", "Ind+counted", "relations", "posts"]
# "relations" scores the relations between entities, "posts" a person's post in a body (memberOf)
RELATION_ROWS = {"relations": tuple(p for p in RELATION_TYPES if p not in POST_RELATIONS),
                 "posts": POST_RELATIONS}


def norm(text: str) -> str:
    """``text`` as labels are compared: NFKC-normalised, with quotes and spaces (``STRIP``) removed.

    >>> norm("“乡村振兴” 示范点"), norm("ＡＢＣ１２")
    ('乡村振兴示范点', 'ABC12')
    """
    text = unicodedata.normalize("NFKC", str(text))
    return "".join(ch for ch in text if ch not in STRIP).strip()


def predicted(extraction, entities) -> dict:
    """The comparable view of one article's extraction: nodes, labels, relations, values."""
    labels = {k: {norm(e.label)} | {norm(a) for a in e.aliases} for k, e in entities.items()}
    pref = {k: {norm(e.label)} for k, e in entities.items()}
    rels = sorted({(r.subject, r.predicate, r.object) for r in extraction.relations})
    values = []
    for i in extraction.indicators:
        counted = labels.get(i.measures_key, set()) if i.measures_key else ({norm(i.measures)} if i.measures else set())
        values.append((float(i.value), counted))
    return {"types": {k: e.type for k, e in entities.items()}, "labels": labels, "pref": pref,
            "rels": rels, "values": values}


def score_article(gold: dict, kg: dict) -> dict:
    """Counts for one article, gold against what kg extracted: per entity type and for
    indicators, relations and posts, ``[predicted, gold, true positives for P, true positives
    for R, canonical]``."""
    res = {}
    alias = {norm(e["label"]): {norm(e["label"])} | {norm(a) for a in e.get("aliases", [])}
             for e in gold["entities"]}
    groups = [(t, {t}) for t in ENTITY_TYPES] + [("initiative", set(INITIATIVE_TYPES))]
    for name, types in groups:
        golds = [(norm(e["label"]), alias[norm(e["label"])]) for e in gold["entities"] if e["type"] in types]
        preds = [k for k, t in kg["types"].items() if t in types]
        tp_p = sum(1 for n in preds if any(kg["labels"][n] & al for _, al in golds))
        tp_r = sum(1 for _, al in golds if any(kg["labels"][n] & al for n in preds))
        canon = sum(1 for lab, _ in golds if any(lab in kg["pref"][n] for n in preds))
        res[name] = [len(preds), len(golds), tp_p, tp_r, canon]
    gi = [(float(i["value"]), alias.get(norm(i.get("measures") or ""), {norm(i.get("measures") or "")}))
          for i in gold.get("indicators", [])]
    for name, need in (("Indicator", False), ("Ind+counted", True)):
        pool, hits = list(kg["values"]), 0
        for v, what in gi:
            for j, (x, counted) in enumerate(pool):
                if abs(x - v) <= 1e-6 * max(1.0, abs(v)) and (not need or counted & what):
                    hits += 1
                    pool.pop(j)
                    break
        res[name] = [len(kg["values"]), len(gi), hits, hits, hits]
    for row, kinds in RELATION_ROWS.items():
        grels = [(norm(r["s"]), r["p"], norm(r["o"])) for r in gold.get("relations", []) if r["p"] in kinds]
        prels = [pr for pr in kg["rels"] if pr[1] in kinds]
        tp_p = sum(1 for pr in prels if any(_same_relation(kg, alias, pr, g) for g in grels))
        tp_r = sum(1 for g in grels if any(_same_relation(kg, alias, pr, g) for pr in prels))
        res[row] = [len(prels), len(grels), tp_p, tp_r, tp_r]
    return res


def _same_relation(kg: dict, alias: dict, pred: tuple, gold: tuple) -> bool:
    """A predicted relation states a gold one: same predicate, each end found by a label."""
    return pred[1] == gold[1] and bool(kg["labels"][pred[0]] & alias.get(gold[0], {gold[0]})) \
        and bool(kg["labels"][pred[2]] & alias.get(gold[2], {gold[2]}))


def prf(tp_p: int, n_p: int, tp_r: int, n_g: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from true-positive counts; an empty side scores 1.0 when the
    other is empty too.

    >>> prf(3, 4, 3, 6)
    (0.75, 0.5, 0.6)
    >>> prf(0, 0, 0, 0), prf(0, 0, 0, 2)
    ((1.0, 1.0, 1.0), (0.0, 0.0, 0.0))
    """
    p = tp_p / n_p if n_p else (1.0 if not n_g else 0.0)
    r = tp_r / n_g if n_g else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def articles_for(gold_path: str | Path, default: str | Path = "seeds") -> Path:
    """Where a gold file's articles are when none is given: beside the gold file when its first
    article is there (tests/challenge/gold.json), else ``default``."""
    gold_path = Path(gold_path)
    try:
        first = json.loads(gold_path.read_text(encoding="utf-8"))["articles"][0]["file"]
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return Path(default)
    for folder in (gold_path.parent, gold_path.parent / "articles"):
        if (folder / first).is_file():
            return folder
    return Path(default)


def evaluate(gold_path: str | Path, articles_dir: str | Path) -> dict:
    """Totals per row of ``ROWS`` ([pred, gold, tp_pred, tp_gold, canonical]) and headline figures."""
    from kg.pipeline import extract_paths

    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    total = defaultdict(lambda: [0, 0, 0, 0, 0])
    per_article, misses = {}, {}
    for art in gold["articles"]:
        result = extract_paths([Path(articles_dir) / art["file"]])
        if result.extractions:
            kg = predicted(result.extractions[0], result.entities)
        else:                      # an article that could not be built predicts nothing
            kg = {"types": {}, "labels": {}, "pref": {}, "rels": [], "values": []}
        res = score_article(art, kg)
        per_article[art["file"]] = res
        misses[art["file"]] = misses_and_extras(art, kg)
        for k, v in res.items():
            total[k] = [a + b for a, b in zip(total[k], v)]
    summary = {k: round(prf(*[total[k][i] for i in (2, 0, 3, 1)])[2], 3) for k in ROWS}
    for row in RELATION_ROWS:
        p, r, _ = prf(*[total[row][i] for i in (2, 0, 3, 1)])
        summary[f"{row}_p"], summary[f"{row}_r"] = round(p, 3), round(r, 3)
    for name, types in (("entities_f1", list(ENTITY_TYPES)),
                        ("entities_f1_lenient", [t for t in ENTITY_TYPES if t not in INITIATIVE_TYPES] + ["initiative"])):
        agg = [sum(total[t][i] for t in types) for i in range(5)]
        summary[name] = round(prf(agg[2], agg[0], agg[3], agg[1])[2], 3)
        if name == "entities_f1":
            summary["canonical_recall"] = round(agg[4] / agg[1], 3) if agg[1] else 1.0
    return {"totals": dict(total), "summary": summary, "articles": per_article, "scored": len(per_article),
            "misses": misses}


def misses_and_extras(gold: dict, kg: dict) -> list[str]:
    """Gold entities not found and predicted entities matching no gold entity, one line each."""
    found = set().union(*kg["labels"].values()) if kg["labels"] else set()
    gold_all: set[str] = set()
    lines = []
    for e in gold["entities"]:
        al = {norm(e["label"])} | {norm(a) for a in e.get("aliases", [])}
        gold_all |= al
        if not al & found:
            lines.append(f"missed   {e['type']:<10}{e['label']}")
    for key, t in sorted(kg["types"].items()):
        if not kg["labels"][key] & gold_all:
            lines.append(f"extra    {t:<10}{key[1]}")
    return lines + _relation_misses(gold, kg)


def _relation_misses(gold: dict, kg: dict) -> list[str]:
    """Gold relations no predicted one states, and predicted relations matching no gold one."""
    alias = {norm(e["label"]): {norm(e["label"])} | {norm(a) for a in e.get("aliases", [])}
             for e in gold["entities"]}
    grels = [(norm(r["s"]), r["p"], norm(r["o"])) for r in gold.get("relations", []) if r["p"] in RELATION_TYPES]
    lines = [f"missed   rel       {s} {p} {o}" for s, p, o in grels
             if not any(_same_relation(kg, alias, pr, (s, p, o)) for pr in kg["rels"])]
    lines += [f"extra    rel       {pr[0][1]} {pr[1]} {pr[2][1]}" for pr in kg["rels"]
              if not any(_same_relation(kg, alias, pr, g) for g in grels)]
    return lines


def format_misses(report: dict) -> str:
    """The report's missed and spurious items, one block per type, for ``kg eval --misses``."""
    out = []
    for name, lines in report["misses"].items():
        out.append(f"--- {name}")
        out += [f"  {ln}" for ln in lines]
    return "\n".join(out)


def format_table(report: dict) -> str:
    """The report as the fixed-width table ``kg eval`` prints: P/R/F1 and canonical recall per
    type, then the entity summary line."""
    lines = [f"{'type':<12}{'pred':>6}{'gold':>6}{'P':>7}{'R':>7}{'F1':>7}{'canon':>7}"]
    for k in ROWS:
        n_p, n_g, tp_p, tp_r, canon = report["totals"].get(k, [0, 0, 0, 0, 0])
        p, r, f = prf(tp_p, n_p, tp_r, n_g)
        lines.append(f"{k:<12}{n_p:>6}{n_g:>6}{p:>7.2f}{r:>7.2f}{f:>7.2f}{(canon / n_g if n_g else 1):>7.2f}")
    s = report["summary"]
    lines.append(f"ENTITIES  typed F1 {s['entities_f1']:.2f}  lenient F1 {s['entities_f1_lenient']:.2f}  "
                 f"canonical {s['canonical_recall']:.2f}")
    return "\n".join(lines)
