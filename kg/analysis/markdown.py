"""``analysis.md``: the result of ``kg.analysis.analyze.analyze`` as Markdown a researcher can read.

Long lists are cut to a few rows with a pointer to ``analysis.json``, which holds everything.
Text from articles is escaped for Markdown tables and for HTML (``<``, ``>``, ``&``), so an odd
label can neither break a table nor become markup.

What this module does not do: compute anything; every number here is in the result dict.
"""
from __future__ import annotations

from functools import lru_cache

from rdflib.namespace import RDFS

from kg.model import ENTITY_TYPES
from kg.vocab import KG_URI, ontology_graph

TOP = 10            # central nodes per type
TOP_COMMUNITIES = 12
COMMUNITY_MEMBERS = 8
MAX_ROWS = 60       # rows of one per-province table, initiatives listed per province
MAX_REGIONS = 300   # lines of the region tree


@lru_cache(maxsize=1)
def type_names_zh() -> dict[str, str]:
    """Each class's Chinese name by its local name, its Chinese ``rdfs:label`` in the ontology
    (Region → 地区, Indicator → 指标)."""
    return {str(s)[len(KG_URI):]: str(label) for s, label in ontology_graph().subject_objects(RDFS.label)
            if str(s).startswith(KG_URI) and getattr(label, "language", None) == "zh"}


def esc(value) -> str:
    """A value as text safe in a Markdown table cell."""
    s = "" if value is None else str(value)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for ch in "\\`*_[]|":
        s = s.replace(ch, "\\" + ch)
    return " ".join(s.split())


def _ids(ids) -> str:
    return ", ".join("`" + str(i).replace("`", "'") + "`" for i in ids)


def _num(x) -> str:
    """A count or value as written; a betweenness (a float) with four decimals."""
    return "–" if x is None else (f"{x:.4f}" if isinstance(x, float) else str(x))


def _val(x) -> str:
    return "–" if x is None else str(x)


def _more(n: int, shown: int, what: str) -> list[str]:
    return ["", f"… and {n - shown} more {what} in `analysis.json`."] if n > shown else []


def render_markdown(r: dict) -> str:
    """analysis.md: the analysis result ``r`` (``kg.analysis.analyze``) as Markdown, one section per figure."""
    lines = ["# kg analysis", ""]
    lines += _summary(r) + _central(r) + _posts(r) + _communities(r) + _hierarchy(r) + _comparison(r) \
        + _provinces(r) + _coverage(r)
    return "\n".join(lines).rstrip() + "\n"


def _summary(r: dict) -> list[str]:
    g = r["graph"]
    types = ", ".join(f"{t} {g['entities_by_type'][t]}" for t in ENTITY_TYPES)
    return [f"{g['entities']} entities ({types}), {g['links']} links between them, "
            f"{g['indicators']} figures, {g['articles']} articles; {g['components']} connected "
            f"components, {g['isolated']} entities with no relation.", "",
            "Computed by `kg analyze` from the graph alone: NetworkX on the entity graph (one node "
            "per entity, one undirected link per related pair, `kg.analysis.network.to_networkx`), "
            "SPARQL for regions, figures and articles. `analysis.json` holds every row.", ""]


def _central(r: dict) -> list[str]:
    c = r["centrality"]
    method = c["betweenness"]
    how = "exact" if method["method"] == "exact" else \
        f"estimated from {method['k']} sampled sources, seed {method['seed']}"
    out = ["## Most central bodies, programmes, measures and groups", "",
           "Degree: how many distinct entities it is related to. Betweenness: the share of "
           f"shortest paths between other entities that pass through it (normalised, {how}).", ""]
    for t, rows in c["types"].items():
        out += [f"### {t} {type_names_zh().get(t, '')} ({len(rows)})", ""]
        if not rows:
            out += ["None.", ""]
            continue
        out += ["| # | name | degree | betweenness | articles |", "|---:|---|---:|---:|---|"]
        for n, row in enumerate(rows[:TOP], 1):
            out.append(f"| {n} | {esc(row['label'])} | {row['degree']} | "
                       f"{_num(row['betweenness'])} | {_ids(row['articles'])} |")
        brokers = sorted(rows, key=lambda x: (-x["betweenness"], x["label"]))[:3]
        brokers = [b for b in brokers if b["betweenness"] > 0]
        if brokers:
            out += ["", "Highest betweenness: " + ", ".join(
                f"{esc(b['label'])} ({_num(b['betweenness'])})" for b in brokers) + "."]
        out.append("")
    return out


def _posts(r: dict) -> list[str]:
    rows = r["posts"]
    out = ["## Bodies with the most named office-holders", "",
           "People named with a post in the body (`kg:memberOf`; the roles are those of their "
           "`org:Post`), most first.", ""]
    if not rows:
        return out + ["None.", ""]
    out += ["| # | body | region | holders | people (roles) | articles |", "|---:|---|---|---:|---|---|"]
    for n, row in enumerate(rows[:TOP], 1):
        people = ", ".join(esc(p["label"]) + (f" ({esc('、'.join(p['roles']))})" if p["roles"] else "")
                           for p in row["people"])
        out.append(f"| {n} | {esc(row['label'])} | {esc(', '.join(row['regions']))} | {row['holders']} | "
                   f"{people} | {_ids(row['articles'])} |")
    return out + _more(len(rows), TOP, "bodies") + [""]


def _communities(r: dict) -> list[str]:
    c = r["communities"]
    found = c["list"]
    out = ["## Communities", "",
           f"Louvain (igraph's multilevel, seed {c['seed']}) over the "
           f"entities that have a relation; {len(found)} communities, modularity "
           f"{_num(c['modularity'])}; the {c['isolated']} entities with no relation are left out. "
           "Each is named by its three most central members.", ""]
    if not found:
        return out + ["None.", ""]
    out += ["| # | community | size | types | members | articles |", "|---:|---|---:|---|---|---|"]
    for n, com in enumerate(found[:TOP_COMMUNITIES], 1):
        types = ", ".join(f"{t} {k}" for t, k in com["types"].items())
        members = ", ".join(esc(m["label"]) for m in com["members"][:COMMUNITY_MEMBERS])
        if com["size"] > COMMUNITY_MEMBERS:
            members += ", …"
        out.append(f"| {n} | {esc(com['name'])} | {com['size']} | {types} | {members} | "
                   f"{_ids(com['articles'])} |")
    return out + _more(len(found), TOP_COMMUNITIES, "communities") + [""]


def _hierarchy(r: dict) -> list[str]:
    h = r["regions"]
    out = ["## Regions", "", "### Hierarchy", "",
           "Regions along `kg:partOf`, with what is attached to each: bodies located in it, "
           "initiatives that apply in it, figures about it, articles about it; then the same "
           "with its sub-regions.", "", "| level | regions |", "|---|---:|"]
    out += [f"| {level} | {n} |" for level, n in h["levels"].items()] + [""]

    listed = []

    def walk(node: dict, depth: int) -> None:
        listed.append(node)
        if len(listed) > MAX_REGIONS:
            return
        own = (f"bodies {node['bodies']}, initiatives {node['initiatives']}, "
               f"figures {node['figures']}, articles {node['articles']}")
        line = f"{'  ' * depth}- {esc(node['label'])} ({node['level'] or 'unknown'}" \
               f"{', ' + node['code'] if node['code'] else ''}): {own}"
        if node["children"]:
            line += (f"; with sub-regions: bodies {node['bodies_total']}, initiatives "
                     f"{node['initiatives_total']}, figures {node['figures_total']}, "
                     f"articles {node['articles_total']}")
        out.append(line)
        for child in node["children"]:
            walk(child, depth + 1)

    for root in h["roots"]:
        walk(root, 0)
    total = sum(h["levels"].values())
    return out + _more(total, min(total, MAX_REGIONS), "regions") + [""]


def _comparison(r: dict) -> list[str]:
    c = r["comparison"]
    out = ["### Region × initiative", "",
           "A programme or measure appears in a province when it `kg:appliesIn` a region of the "
           "province (●) or an article about the province mentions it (○).", ""]
    shared = [row for row in c["initiatives"] if len(row["provinces"]) >= 2]
    cols = [p["label"] for p in c["provinces"]
            if any(p["label"] in row["provinces"] for row in shared)]
    out += [f"In two provinces or more: {len(shared)}.", ""]
    if shared:
        out += ["| initiative | type | " + " | ".join(esc(p) for p in cols) + " | articles |",
                "|---|---|" + ":-:|" * len(cols) + "---|"]
        for row in shared[:MAX_ROWS]:
            cells = ["●" if p in row["applies_in"] else "○" if p in row["mentioned_in"] else ""
                     for p in cols]
            out.append(f"| {esc(row['label'])} | {row['type']} | " + " | ".join(cells)
                       + f" | {_ids(row['articles'])} |")
        out += _more(len(shared), MAX_ROWS, "shared initiatives") + [""]
    out += ["In one province only:", ""]
    for prov, labels in c["single"].items():
        shown = ", ".join(esc(x) for x in labels[:MAX_ROWS])
        more = f", … ({len(labels) - MAX_ROWS} more)" if len(labels) > MAX_ROWS else ""
        out.append(f"- {esc(prov)} ({len(labels)}){': ' + shown + more if labels else ''}")
    unplaced = c["unplaced"]
    out += ["", f"In no province (no region, or only a cross-province area): {len(unplaced)}"
            + (": " + ", ".join(esc(x) for x in unplaced[:MAX_ROWS]) if unplaced else "") + ".", ""]
    return out


def _provinces(r: dict) -> list[str]:
    out = ["### Provinces", "",
           "Per province: bodies located in it, groups counted by its figures or targeted by an "
           "initiative applying in it, and the figures reported about it or its sub-regions.", ""]
    for p in r["provinces"]:
        out += [f"#### {esc(p['label'])}{' (' + p['code'] + ')' if p['code'] else ''}", "",
                f"Articles about it: {_ids(p['articles']) or 'none'}. "
                f"Bodies {len(p['bodies'])}, groups {len(p['groups'])}, "
                f"figures {len(p['figures'])}.", ""]
        if p["bodies"]:
            out += ["Bodies: " + ", ".join(f"{esc(b['label'])} ({esc(b['region'])})"
                                           for b in p["bodies"][:MAX_ROWS]) + ".", ""]
        if p["groups"]:
            out += ["| group | figures | targeted by |", "|---|---|---|"]
            for g in p["groups"][:MAX_ROWS]:
                out.append(f"| {esc(g['label'])} | {esc(', '.join(g['figures']))} | "
                           f"{esc(', '.join(g['targeted_by']))} |")
            out += _more(len(p["groups"]), MAX_ROWS, "groups") + [""]
        if p["figures"]:
            out += ["| figure | value | unit | counts | region | year | article |",
                    "|---|---:|---|---|---|---|---|"]
            for f in p["figures"][:MAX_ROWS]:
                out.append(f"| {esc(f['text'])} | {_val(f['value'])} | {esc(f['unit'])} | "
                           f"{esc(', '.join(f['measures']))} | {esc(f['region'])} | "
                           f"{esc(f['year'])} | {_ids([f['article']] if f['article'] else [])} |")
            out += _more(len(p["figures"]), MAX_ROWS, "figures") + [""]
    return out


def _coverage(r: dict) -> list[str]:
    rows = r["coverage"]
    out = ["## Articles: coverage", "",
           "Entities per type the article names, its figures and relation statements, and its "
           "sentences: how many, how many carry an extraction (a mention, relation or figure), "
           "how many carry none (their indices are in `analysis.json`).", "",
           "| article | title | home | sentences | with extraction | without | coverage | "
           + " | ".join(ENTITY_TYPES) + " | figures | relations |",
           "|---|---|---|---:|---:|---:|---:|" + "---:|" * (len(ENTITY_TYPES) + 2)]
    for a in rows:
        cov = "–" if a["coverage"] is None else f"{a['coverage']:.0%}"
        out.append(f"| {_ids([a['id']])} | {esc(a['title'])} | {esc(a['home'])} | {_num(a['sentences'])} | "
                   f"{a['sentences_with_extraction']} | {_num(a['sentences_without_extraction'])} | "
                   f"{cov} | " + " | ".join(str(a["entities"][t]) for t in ENTITY_TYPES)
                   + f" | {a['indicators']} | {a['relation_statements']} |")
    if rows and all(a["sentences"] is not None for a in rows):
        total = sum(a["sentences"] for a in rows)
        empty = sum(a["sentences_without_extraction"] for a in rows)
        out += ["", f"All articles: {total} sentences, {empty} with no extraction"
                    f"{f' ({empty / total:.0%})' if total else ''}."]
    return out + [""]
