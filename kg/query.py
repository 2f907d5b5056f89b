"""Run SPARQL over a built graph and format the answer.

``load_graph`` reads a Turtle file (with the ontology, so queries can use class labels and
subclass axioms); ``run_query`` runs SELECT, ASK or CONSTRUCT/DESCRIBE with the ontology's
prefixes bound; ``format_result`` prints a readable table, CSV or SPARQL 1.1 JSON results
(Turtle for graphs). A syntax error raises ``QueryError`` with the parser's message.

What this module does not do: serve SPARQL over HTTP.
"""
from __future__ import annotations

import csv
import io
import json
import unicodedata
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.query import Result

from .vocab import PREFIXES, bind_prefixes, ontology_graph


class QueryError(Exception):
    """A query that cannot be parsed or run."""


def load_graph(path: str | Path, with_ontology: bool = True) -> Graph:
    g = bind_prefixes(Graph())
    g.parse(str(path), format="turtle")
    if with_ontology:
        g += ontology_graph()
    return g


def read_query(text_or_path: str) -> str:
    """A query given as text, or the text of the file it names (a query always holds '{')."""
    p = Path(text_or_path)
    if len(text_or_path) < 4096 and "\n" not in text_or_path and "{" not in text_or_path and p.is_file():
        return p.read_text(encoding="utf-8")
    return text_or_path


def run_query(graph: Graph, query: str, bindings: dict | None = None) -> Result:
    try:
        return graph.query(query, initNs=PREFIXES, initBindings=bindings or {})
    except Exception as exc:  # pyparsing and rdflib raise several types for bad queries
        raise QueryError(str(exc)) from exc


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, URIRef):
        s = str(v)
        for prefix, uri in PREFIXES.items():
            if s.startswith(uri) and prefix in ("kg", "kgr", "rdf", "rdfs", "skos", "nif", "prov"):
                return f"{prefix}:{s[len(uri):]}"
        return s
    return str(v)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def format_result(result: Result, fmt: str = "table") -> str:
    if result.type == "ASK":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(result.askAnswer)})
        return "true" if result.askAnswer else "false"
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        g = bind_prefixes(Graph())
        for t in result:
            g.add(t)
        return g.serialize(format="json-ld" if fmt == "json" else "turtle")
    names = [str(v) for v in result.vars]
    rows = [[row[i] for i in range(len(names))] for row in result]
    if fmt == "json":
        return result.serialize(format="json").decode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(names)
        w.writerows([[("" if v is None else str(v)) for v in r] for r in rows])
        return buf.getvalue()
    cells = [[_cell(v) for v in r] for r in rows]
    widths = [max([_width(n)] + [_width(r[i]) for r in cells]) for i, n in enumerate(names)]

    def line(vals):
        return " | ".join(v + " " * (w - _width(v)) for v, w in zip(vals, widths)).rstrip()

    out = [line(names), "-+-".join("-" * w for w in widths)] + [line(r) for r in cells]
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(out)


def literal_binding(value: str) -> Literal:
    """A parameter value as the literal a query compares labels with (Chinese labels are @zh)."""
    return Literal(value, lang="zh")
