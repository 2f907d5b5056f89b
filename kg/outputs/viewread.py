"""What the browser view says about each drawn item, read from the graph for those items only:
article titles, evidence sentences (text, article, position; long ones cut), the reified
statements of drawn edges with their rules and roles, a node's regions and provinces, a figure's
facts.

Why SPARQL: the graph is an Oxigraph store (``kg.graph.oxgraph.OxGraph``), on disk for a large
build, where each pattern lookup from Python costs tens of microseconds; one query per item
(its first mentions with their sentences and articles, an edge's statements with theirs) is
answered inside the store, so an item costs about one lookup however much evidence it has.
The queries read the store directly (``OxGraph.store``): terms stay Oxigraph terms until their
text is needed.

A build whose store is on disk has lookup tables beside it (``kg.graph.lookup``): the functions
that take ``lookup`` read an entity's articles, first mentions, statements, regions and labels,
and the articles' titles, from there instead (the same answers: ``tests/test_lookup.py``), since
a hub's thousands of mentions each cost microseconds to spell out from the store. Sentence texts
and figures are still read from the store.

What this module does not do: choose what is drawn (``kg.outputs.viewscan``) or build the page
(``kg.outputs.view``).
"""
from __future__ import annotations

from collections import defaultdict

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from kg.graph.labels import label as _label, local_name as _local
from kg.vocab import KG, PREFIXES

SENTENCE_CHARS = 300    # evidence sentences longer than this are cut (with …)
_HEAD = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())
_CHUNK = 500    # terms in one query's VALUES


def select(graph, query: str) -> list[dict]:
    """The rows of a SELECT over the graph's Oxigraph store (kg's prefixes bound), as dicts of
    the bound variables' text (IRI or lexical form). The graph's buffered triples must be
    written first (``kg.outputs.view.as_oxgraph``)."""
    res = graph.store.query(_HEAD + query)
    names = [v.value for v in res.variables]
    return [{n: x.value for n in names if (x := sol[n]) is not None} for sol in res]


def select_each(graph, var: str, terms, body: str, head: str = "SELECT *", tail: str = "") -> list[dict]:
    """``head WHERE { VALUES ?var { terms } body } tail`` in chunks of ``_CHUNK`` terms (IRIs)."""
    terms, rows = sorted({str(t) for t in terms}), []
    for i in range(0, len(terms), _CHUNK):
        values = " ".join(f"<{t}>" for t in terms[i:i + _CHUNK])
        rows += select(graph, f"{head} WHERE {{ VALUES ?{var} {{ {values} }} {body} }} {tail}")
    return rows


def labels(graph, nodes, lookup=None) -> dict:
    """IRI -> label of each of ``nodes`` (``kg.graph.labels.label``'s choice: a Chinese
    ``rdfs:label`` first, then one without a language, then by language, each kind by text;
    else the IRI's tail), read in a query per ``_CHUNK`` nodes; an entity's from a build's
    ``lookup`` tables when given (kg labels entities in Chinese alone)."""
    known = lookup.labels(str(n) for n in nodes if isinstance(n, URIRef)) if lookup is not None else {}
    nodes = [n for n in nodes if str(n) not in known]
    found, iris = defaultdict(list), [n for n in nodes if isinstance(n, URIRef)]
    for r in select_each(graph, "n", iris, "?n rdfs:label ?l FILTER(isLiteral(?l))",
                         head="SELECT ?n ?l (LANG(?l) AS ?lang)"):
        found[r["n"]].append((r.get("lang") != "zh", r.get("lang") or "", r["l"]))
    named = {str(n): min(found[str(n)])[2] if found[str(n)] else _local(n) for n in iris}
    return {**{str(n): _label(graph, n) for n in nodes if not isinstance(n, URIRef)}, **named, **known}


def _first(rows: list, key: str) -> dict:
    """key -> its first row (a node's first value, as ``Graph.value`` reads)."""
    out: dict = {}
    for r in rows:
        out.setdefault(r.get(key), r)
    return out


class SentenceIndex:
    """Sentence node -> (text as written, article title · its URL if any), with a sort key
    (title, begin); article -> title. Read in batches, kept for the items that share them."""

    def __init__(self, graph, lookup=None):
        self.graph, self.cache, self.titles, self.urls = graph, {}, {}, {}
        self.lookup = lookup    # a build's lookup tables (``kg.graph.lookup``): the articles read there

    def article_titles(self, arts, urls: bool = True) -> dict:
        """Article -> its title (label, else source file, else IRI tail; None if not a kg:Article).
        The titles of all articles are read at the first call, in one query: an article is
        mentioned by many drawn items, and one row per article is cheaper than one per mention."""
        if not self.titles and self.lookup is not None:
            self.titles = {a: label or file or _local(a) for a, label, file in self.lookup.titles()}
        elif not self.titles:
            for r in select(self.graph, """SELECT ?art ?alabel ?afile WHERE { ?art a kg:Article
                OPTIONAL { ?art rdfs:label ?alabel } OPTIONAL { ?art kg:sourceFile ?afile } }"""):
                self.titles.setdefault(r["art"], r.get("alabel") or r.get("afile") or _local(r["art"]))
        todo = {str(a) for a in arts} - self.urls.keys() if urls else ()
        if todo and self.lookup is not None:
            found = self.lookup.urls(todo)
            self.urls.update((a, found.get(a)) for a in todo)
        elif todo:
            urls = _first(select_each(self.graph, "art", todo, "?art schema:url ?url"), "art")
            for a in todo:
                self.urls[a] = urls.get(a, {}).get("url")
        return {str(a): self.titles.get(str(a)) for a in arts}

    def hits(self, sents) -> dict:
        """Sentence -> (text, article · URL, padded begin), or None if it has no text."""
        todo = {str(s) for s in sents} - self.cache.keys()
        if todo:
            rows = _first(select_each(self.graph, "s", todo, """OPTIONAL { ?s nif:anchorOf ?text }
              OPTIONAL { ?s nif:beginIndex ?begin } OPTIONAL { ?s nif:referenceContext ?art }"""), "s")
            self.article_titles({r["art"] for r in rows.values() if "art" in r})
            for s in todo:
                self.cache[s] = self._hit(rows.get(s, {}))
        return {str(s): self.cache[str(s)] for s in sents}

    def _hit(self, row: dict):
        text = row.get("text")
        if text is None:
            return None
        pos = int(row["begin"]) if "begin" in row else 0
        art = row.get("art")
        # pos is padded so the string sort of the tuple follows the text order
        where = (self.titles.get(art) or _local(art)) if art else ""
        url = self.urls[art] if art else None
        if len(text) > SENTENCE_CHARS:
            text = text[:SENTENCE_CHARS] + "…"
        return (text, f"{where} · {url}" if url else where, f"{pos:09d}")


def in_text_order(hits) -> list[tuple[str, str]]:
    """(text, article, padded begin) hits -> [(text, article)] by article, then position."""
    return [(t, a) for t, a, _ in sorted(hits, key=lambda x: (x[1], x[2], x[0]))]


def node_articles(graph, sentences: SentenceIndex, node, lookup=None) -> list[str]:
    """The sorted titles of the articles that mention ``node`` (a non-article's: its IRI);
    read from the build's ``lookup`` tables (``kg.graph.lookup``) when given."""
    if lookup is not None:
        arts = lookup.article_iris(lookup.articles(str(node)))
    else:
        arts = {r["art"] for r in select(graph, f"SELECT ?art WHERE {{ ?art kg:mentions <{node}> }}")}
    return sorted({t or a for a, t in sentences.article_titles(arts, urls=False).items()})


def mention_evidence(graph, sentences: SentenceIndex, node, first: int, lookup=None) -> set:
    """Hits of the sentences of the ``first`` mentions of an entity (mentions in IRI order);
    read from the build's ``lookup`` tables when given."""
    if lookup is not None:
        sents = {sentence for _m, sentence in lookup.first_mentions(str(node), first)}
    else:
        ms = sorted(r["m"] for r in select(graph, f"SELECT ?m WHERE {{ ?m kg:denotes <{node}> }}"))
        rows = _first(select_each(graph, "m", ms[:first], """OPTIONAL { ?m nif:sentence ?s1 }
                                  OPTIONAL { ?m kg:evidence ?s2 }"""), "m")
        sents = {r.get("s1") or r.get("s2") for r in rows.values()} - {None}
    return set(sentences.hits(sents).values()) - {None}


def figure_evidence(graph, sentences: SentenceIndex, node) -> set:
    """Hits of a figure's evidence sentences."""
    sents = {r["s"] for r in select(graph, f"SELECT ?s WHERE {{ <{node}> kg:evidence ?s }}")}
    return set(sentences.hits(sents).values()) - {None}


def statements(graph, sentences: SentenceIndex, edges: list, lookup=None) -> tuple[dict, dict]:
    """For the ``edges`` given (and the reverses of pairedWith ones), read from their reifications
    (or the build's ``lookup`` tables when given): (s, p, o) -> sorted [(sentence text, article
    title, pattern)], and (s, p, o) -> sorted roles (kg:role: the posts of memberOf). A
    statement with two patterns gives its evidence with the first of them by text."""
    found: dict = {}
    roles: dict = {}
    paired = {(o, p, s) for s, p, o in edges if p == KG.pairedWith}   # stated either way round
    for key in sorted(set(edges) | paired, key=lambda e: tuple(map(str, e))):
        by_st = _statements_of(graph, lookup, *key)
        hits = sentences.hits({e for st in by_st.values() for e in st.get("ev", ())})
        ev = set()
        for st in by_st.values():
            pattern = min(st.get("pattern", [""]))
            got = {hits[x] for x in st.get("ev", ())} - {None}
            ev.update((h[0], h[1], pattern) for h in got)
            if not got:
                art = st.get("derived", [None])[0]
                ev.add(("", str(graph.value(URIRef(art), RDFS.label) or "") if art else "", pattern))
        if ev:
            found[key] = sorted(ev)
        got_roles = {r for st in by_st.values() for r in st.get("role", ())}
        if got_roles:
            roles[key] = sorted(got_roles)
    return found, roles


def _statements_of(graph, lookup, s, p, o) -> dict:
    """The statements of ``s p o``: statement -> {"pattern", "ev", "role", "derived": [values]}."""
    by_st: dict = defaultdict(dict)
    if lookup is not None:
        for article, sentence, evidence, pattern, role in lookup.statements(str(s), str(p), str(o)):
            st = by_st[(article, sentence, role)]
            st.setdefault("pattern", []).append(pattern)
            st["derived"] = lookup.article_iris([article])
            if evidence is not None:
                st["ev"] = [evidence]
            if role:
                st["role"] = [role]
        return by_st
    # the predicate is checked per statement: a join on it scans all statements of p
    sts = select(graph, f"SELECT ?st WHERE {{ {_narrow_first(graph, s, o)} }}")
    rows = select_each(graph, "st", {r["st"] for r in sts}, """?st rdf:predicate ?pred
      OPTIONAL { ?st kg:pattern ?pattern }
      OPTIONAL { ?st kg:evidence ?ev } OPTIONAL { ?st kg:role ?role }
      OPTIONAL { ?st prov:wasDerivedFrom ?derived }""")
    for r in rows:
        if r["pred"] == str(p):
            st = by_st[r["st"]]
            for k, v in r.items():
                st.setdefault(k, []).append(v)
    return by_st


def _narrow_first(graph, s, o) -> str:
    """The two patterns of the statements of ``s`` → ``o``, the end with fewer statements first:
    Oxigraph joins in the order written, and a province is the object of a hundred thousand
    statements where its neighbour is the subject of a few dozen (counting decodes no term)."""
    ends = [f"?st rdf:subject <{s}>", f"?st rdf:object <{o}>"]
    counts = [int(select(graph, f"SELECT (COUNT(*) AS ?c) WHERE {{ {end} }}")[0]["c"]) for end in ends]
    return " . ".join(ends if counts[0] <= counts[1] else ends[::-1])


def direct_regions(graph: Graph, node, type_: str, lookup=None) -> list:
    """The regions a node names itself (partOf, locatedIn, appliesIn, inRegion by type); an
    entity's from a build's ``lookup`` tables when given."""
    pred = {"Region": KG.partOf, "Body": KG.locatedIn, "Programme": KG.appliesIn,
            "Measure": KG.appliesIn, "Indicator": KG.inRegion}.get(type_)
    if pred is None:
        return []
    if lookup is not None and type_ != "Indicator":
        return [URIRef(o) for o in lookup.objects(str(node), str(pred))]
    return [r for r in graph.objects(node, pred) if isinstance(r, URIRef)]


def _provinces_of_region(graph: Graph, region, memo: dict, lookup=None) -> frozenset:
    """Ancestors (or itself) at level province; failing that, the top ancestors that are not
    cross-province areas (levels and ``partOf`` from a build's ``lookup`` tables when given:
    regions and their relations are entities')."""
    if region in memo:
        return memo[region]
    levels, parents_of = lookup.region_facts() if lookup is not None else (None, None)
    seen, todo, provs, roots = set(), [region], set(), set()
    while todo:
        r = todo.pop()
        if r in seen:
            continue
        seen.add(r)
        if lookup is not None:
            level = levels.get(str(r), "")
        else:
            level = str(graph.value(r, KG.level) or "")
        if level == "province":
            provs.add(r)
            continue
        if lookup is not None:
            parents = [URIRef(p) for p in parents_of.get(str(r), ())]
        else:
            parents = list(graph.objects(r, KG.partOf))
        if not parents and level != "area":
            roots.add(r)
        todo.extend(parents)
    memo[region] = frozenset(provs or roots)
    return memo[region]


def node_provinces(graph: Graph, types: dict, nodes: list, edges: list, lookup=None) -> dict:
    """Node -> its provinces: its regions', else (groups, documents, persons) its neighbours' in
    ``edges`` (an entity's regions from a build's ``lookup`` tables when given)."""
    memo: dict = {}
    direct = {}
    for n in nodes:
        t = types[n]
        if t == "Region":
            direct[n] = set(_provinces_of_region(graph, n, memo, lookup))
        else:
            regions = direct_regions(graph, n, t, lookup)
            direct[n] = set().union(*(_provinces_of_region(graph, r, memo, lookup) for r in regions)) \
                if regions else set()
    # Nodes with no region of their own (groups, documents, persons) take their neighbours'.
    result = {n: set(p) for n, p in direct.items()}
    for s, _p, o in edges:
        if not direct[s]:
            result[s] |= direct[o]
        if not direct[o]:
            result[o] |= direct[s]
    return result


def indicator_facts(graph: Graph, n) -> list:
    """A figure's [key, value] facts: value, unit, year and what it measures."""
    facts = []
    for key, pred in (("value", KG.value), ("unit", KG.unit), ("year", KG.year)):
        v = graph.value(n, pred)
        if v is not None:
            facts.append([key, str(v)])
    for m in sorted(graph.objects(n, KG.measures), key=str):
        facts.append(["measures", _label(graph, m)])
    return facts
