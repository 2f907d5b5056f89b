"""Write a built graph in the formats other tools read: Turtle, N-Triples, JSON-LD (expanded, written
by pyoxigraph; one graph), N-Quads, TriG, JSON-LD with named graphs (``jsonld-quads``), GraphML
(Gephi, NetworkX, yEd) and CSV tables (pandas, spreadsheets).

``jsonld`` puts every triple in the default graph, so a plain ``rdflib.Graph().parse`` (or any
reader that keeps only the default graph) reads the whole build; ``jsonld-quads`` keeps the
article graphs below.

Named graphs (N-Quads, TriG, jsonld-quads): the **default graph** holds the facts — every entity
with its type, labels, codes, the relation triples between entities, and the posts
(``kg:Post``, which several articles may state, with their roles) — and each article has
a **named graph whose name is the article's IRI** holding what that article says: the article
node, its sentences, mentions, reified relation statements (evidence, pattern) and figures. A
triple goes to the graph of its subject, so every triple is in exactly one graph and the union
of the graphs is the Turtle graph. A query over the default graph alone sees each fact once.

GraphML: a node per entity and per figure (attributes ``label``, ``type``, ``iri``,
``aliases``; figures also ``value``, ``unit``, ``year``), a directed edge per relation triple
(attributes ``label`` and ``relation``, the kg: local name; ``role`` on memberOf, its posts'
roles joined by ``|``). CSV: a folder with ``entities.csv``, ``relations.csv`` (one row per
stated relation, with its evidence, and its role for memberOf) and
``indicators.csv``, UTF-8, comma-separated, a header row.

Output is deterministic (sorted) and written to a temporary file renamed into place.
What this module does not do: read other formats in, or talk to stores (``kg push``).
"""
from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, SKOS

from kg.graph.labels import label
from kg.model import ENTITY_TYPES
from kg.outputs.formats import sorted_lines, write_graph
from kg.vocab import KG, KG_URI, NIF, PREFIXES

FORMATS = ("ttl", "nt", "jsonld", "nq", "trig", "jsonld-quads", "graphml", "csv")


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def _local(iri) -> str:
    s = str(iri)
    return s[len(KG_URI):] if s.startswith(KG_URI) else s


def article_of(g: Graph) -> dict[URIRef, URIRef]:
    """Each subject that belongs to one article's named graph → that article's IRI."""
    home: dict[URIRef, URIRef] = {}
    for a in g.subjects(RDF.type, KG.Article):
        home[a] = a
    for s, a in g.subject_objects(NIF.referenceContext):   # sentences and mentions
        home[s] = a
    for st in g.subjects(RDF.type, RDF.Statement):
        a = g.value(st, PROV.wasDerivedFrom)
        if a is not None:
            home[st] = a
    for ind in g.subjects(RDF.type, KG.Indicator):
        sent = g.value(ind, KG.evidence)
        if sent is not None and sent in home:
            home[ind] = home[sent]
    return home


def to_dataset(g: Graph) -> Dataset:
    """The graph split into the default graph (facts) and one named graph per article."""
    ds = Dataset()
    for prefix, uri in PREFIXES.items():
        ds.bind(prefix, uri, override=True, replace=True)
    home = article_of(g)
    graphs = {a: ds.graph(a) for a in sorted(set(home.values()))}
    default = ds.default_graph
    for s, p, o in g:
        (graphs[home[s]] if s in home else default).add((s, p, o))
    return ds


def serialize(g: Graph, fmt: str) -> bytes:
    """The graph in one of the RDF formats (ttl, nt, jsonld; nq, trig, jsonld-quads with a graph
    per article) as UTF-8 bytes; ttl and nt are written by ``kg.outputs.formats``, as ``kg query``
    and the endpoint write them."""
    if fmt in ("ttl", "nt"):
        return write_graph(g, fmt)
    if fmt == "jsonld":      # one graph: every triple in the default graph
        import pyoxigraph

        triples = pyoxigraph.parse(write_graph(g, "nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
        return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.JSON_LD)
    ds = to_dataset(g)
    if fmt == "nq":
        return sorted_lines(ds.serialize(format="nquads", encoding="utf-8"))
    if fmt == "trig":        # rdflib's TriG writer orders graphs differently from run to run
        import pyoxigraph

        quads = pyoxigraph.parse(sorted_lines(ds.serialize(format="nquads", encoding="utf-8")),
                                 format=pyoxigraph.RdfFormat.N_QUADS)
        quads = sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
        prefixes = {p: uri for p, uri in sorted(PREFIXES.items()) if p != "kgr"}   # as kg.graph.rdf.turtle
        return pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.TRIG, prefixes=prefixes)
    if fmt == "jsonld-quads":   # rdflib turns the default graph into a named one; Oxigraph keeps it
        import pyoxigraph

        quads = pyoxigraph.parse(sorted_lines(ds.serialize(format="nquads", encoding="utf-8")),
                                 format=pyoxigraph.RdfFormat.N_QUADS)
        return pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.JSON_LD)
    raise ValueError(f"unknown RDF format {fmt!r}")


def to_graphml_graph(g: Graph):
    """A NetworkX MultiDiGraph of entities and figures, relation triples as edges."""
    import networkx as nx

    G = nx.MultiDiGraph()
    nodes = {}
    for t in ENTITY_TYPES + ("Indicator",):
        for n in g.subjects(RDF.type, KG[t]):
            nodes[n] = t
    for n in sorted(nodes):
        attrs = {"label": label(g, n), "type": nodes[n], "iri": str(n),
                 "aliases": "|".join(sorted(str(a) for a in g.objects(n, SKOS.altLabel)))}
        if nodes[n] == "Indicator":
            attrs["value"] = float(g.value(n, KG.value).toPython())
            attrs["unit"] = str(g.value(n, KG.unit) or "")
            attrs["year"] = str(g.value(n, KG.year) or "")
        G.add_node(str(n), **attrs)
    edges = sorted((str(s), _local(p), str(o)) for s, p, o in g
                   if s in nodes and o in nodes and str(p).startswith(KG_URI))
    roles = _roles(g)
    for s, rel, o in edges:
        attrs = {"role": "|".join(roles[(s, rel, o)])} if (s, rel, o) in roles else {}
        G.add_edge(s, o, key=rel, label=rel, relation=rel, **attrs)
    return G


def _roles(g: Graph) -> dict[tuple[str, str, str], list[str]]:
    """(subject, relation, object) → the sorted roles its statements name (memberOf's posts)."""
    roles: dict = {}
    for st, role in g.subject_objects(KG.role):
        key = (str(g.value(st, RDF.subject)), _local(g.value(st, RDF.predicate)), str(g.value(st, RDF.object)))
        roles.setdefault(key, set()).add(str(role))
    return {k: sorted(v) for k, v in roles.items()}


def graphml(g: Graph) -> bytes:
    """The entity graph of ``g`` (``to_graphml_graph``) as GraphML bytes (UTF-8)."""
    import networkx as nx

    buf = io.BytesIO()
    nx.write_graphml(to_graphml_graph(g), buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


def _rows_csv(header: list[str], rows: list[list]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def csv_tables(g: Graph) -> dict[str, bytes]:
    """entities.csv, relations.csv and indicators.csv as bytes, by file name."""
    mentions: dict = {}
    for a, e in g.subject_objects(KG.mentions):
        mentions.setdefault(e, set()).add(str(g.value(a, KG.sourceFile) or a))
    ents = []
    for t in ENTITY_TYPES:
        for e in g.subjects(RDF.type, KG[t]):
            ents.append([str(e), t, label(g, e), "|".join(sorted(str(x) for x in g.objects(e, SKOS.altLabel))),
                         str(g.value(e, KG.adminCode) or ""), str(g.value(e, KG.level) or ""),
                         "|".join(sorted(mentions.get(e, ())))])
    rels, stated = [], set()
    for st in g.subjects(RDF.type, RDF.Statement):
        s, p, o = g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object)
        stated.add((s, p, o))
        sent = g.value(st, KG.evidence)
        art = g.value(st, PROV.wasDerivedFrom)
        rels.append([str(s), label(g, s), _local(p), str(o), label(g, o), str(g.value(st, KG.pattern) or ""),
                     str(g.value(sent, NIF.anchorOf) or "") if sent else "",
                     str(g.value(art, KG.sourceFile) or art or "") if art else "",
                     str(g.value(st, KG.role) or "")])
    kinds = {e for t in ENTITY_TYPES for e in g.subjects(RDF.type, KG[t])}
    for s, p, o in g:
        if s in kinds and o in kinds and str(p).startswith(KG_URI) and (s, p, o) not in stated:
            rels.append([str(s), label(g, s), _local(p), str(o), label(g, o), "", "", "", ""])
    inds = []
    for i in g.subjects(RDF.type, KG.Indicator):
        m, r, sent = g.value(i, KG.measures), g.value(i, KG.inRegion), g.value(i, KG.evidence)
        art = g.value(sent, NIF.referenceContext) if sent else None
        inds.append([str(i), label(g, i), str(g.value(i, KG.value) or ""), str(g.value(i, KG.unit) or ""),
                     str(g.value(i, KG.year) or ""), "" if m is None or isinstance(m, Literal) else str(m),
                     label(g, m) if m is not None else "", str(r or ""), label(g, r) if r is not None else "",
                     str(g.value(art, KG.sourceFile) or "") if art else "",
                     str(g.value(sent, NIF.anchorOf) or "") if sent else ""])
    return {
        "entities.csv": _rows_csv(["iri", "type", "label", "aliases", "admin_code", "level", "articles"], sorted(ents)),
        "relations.csv": _rows_csv(["subject", "subject_label", "relation", "object", "object_label", "pattern",
                                    "evidence", "article", "role"], sorted(rels)),
        "indicators.csv": _rows_csv(["iri", "text", "value", "unit", "year", "measures", "measures_label", "region",
                                     "region_label", "article", "evidence"], sorted(inds)),
    }


def export(g: Graph, fmt: str, out: str | Path) -> list[Path]:
    """Write ``g`` as ``fmt`` to ``out`` (a file; a folder for csv). Returns the files written."""
    out = Path(out)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} ({', '.join(FORMATS)})")
    if fmt == "csv":
        if out.exists() and not out.is_dir():
            raise ValueError(f"{out}: csv export writes a folder of tables; this is a file")
        written = []
        for name, data in csv_tables(g).items():
            _write(out / name, data)
            written.append(out / name)
        return written
    _write(out, graphml(g) if fmt == "graphml" else serialize(g, fmt))
    return [out]
