"""SPARQL the way every part of kg reads it: parsing with kg's prefixes, what a query is (its form,
whether it reaches out with SERVICE or names a dataset), running it over an rdflib graph, and
syntax errors that point at the line and column.

What this module does not do: named queries, parameters and answer formats (``kg.outputs.query``),
or hold a graph (``kg.graph.store``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.query import Result

from kg.vocab import PREFIXES, bind_prefixes, ontology_graph


class QueryError(Exception):
    """A query that cannot be parsed or run."""


def load_graph(path: str | Path, with_ontology: bool = True) -> Graph:
    """The Turtle file at ``path`` as an rdflib graph, kg's prefixes bound, the ontology added
    unless ``with_ontology`` is False."""
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


def parse_query(query: str):
    """The parsed query, or QueryError pointing at the syntax error (whatever store runs it)."""
    try:
        from rdflib.plugins.sparql import prepareQuery
        return prepareQuery(query, initNs=PREFIXES)
    except Exception as exc:  # pyparsing and rdflib raise several types for bad queries
        raise QueryError(syntax_message(query, exc)) from exc


@dataclass(frozen=True)
class QueryInfo:
    """What the parser says a query is."""
    kind: str               # SELECT, ASK, CONSTRUCT or DESCRIBE
    federated: bool         # it holds a SERVICE clause somewhere (sub-queries, EXISTS … too)
    dataset: bool           # it names FROM / FROM NAMED graphs
    prepared: object        # rdflib's prepared query


def _names(node):
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        yield node.name
        for v in node.values():
            yield from _names(v)
    elif isinstance(node, (list, tuple, ParseResults)):
        for v in node:
            yield from _names(v)


def inspect_query(query: str) -> QueryInfo:
    """The query's form and what it reaches for, from its parse tree; QueryError if it does not
    parse (an update sent as a query does not)."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(query)
        names = set(_names(tree))          # before translating: translateQuery rewrites the tree
        kind = tree[1].name.removesuffix("Query").upper()
        prepared = translateQuery(tree, initNs=PREFIXES)
    except Exception as exc:  # pyparsing and rdflib raise several types for bad queries
        raise QueryError(syntax_message(query, exc)) from exc
    return QueryInfo(kind, "ServiceGraphPattern" in names, "DatasetClause" in names, prepared)


def run_query(graph: Graph, query: str, bindings: dict | None = None) -> Result:
    """The result of ``query`` over ``graph`` with ``bindings``; any rdflib error becomes
    ``QueryError``."""
    parsed = parse_query(query)
    try:
        return graph.query(parsed, initBindings=bindings or {})
    except Exception as exc:
        raise QueryError(str(exc)) from exc


def syntax_message(query: str, exc: Exception) -> str:
    """The parser's complaint with the line and column it points at, and that line marked."""
    lineno, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
    msg = getattr(exc, "msg", None) or str(exc)
    if lineno is None:   # rdflib's "Unknown namespace prefix : foo" carries no position
        m = re.search(r"prefix : (\w*)", str(exc))
        at = re.search(rf"(?<![\w:]){re.escape(m.group(1))}:", query) if m else None
        if not at:
            return msg
        lineno = query.count("\n", 0, at.start()) + 1
        col = at.start() - (query.rfind("\n", 0, at.start()) + 1) + 1
    lines = query.splitlines() or [""]
    line = lines[min(lineno, len(lines)) - 1]
    return f"line {lineno}, column {col}: {msg}\n  {line}\n  {' ' * (col - 1)}^"
