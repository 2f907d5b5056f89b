"""Run SPARQL over a built graph and format the answer.

``load_graph`` reads a Turtle file (with the ontology, so queries can use class labels and
subclass axioms); ``run_query`` runs SELECT, ASK or CONSTRUCT/DESCRIBE with the ontology's
prefixes bound and parameters bound through ``initBindings`` (never pasted into the text);
``render`` writes the answer as a readable table or in a format of ``kg.formats`` (the same
bytes the endpoint sends). ``inspect_query`` says, from rdflib's parser (never from scanning
the text), what a query is: its form (SELECT, ASK, CONSTRUCT, DESCRIBE) and whether it names
a SERVICE or a FROM dataset. A syntax error raises ``QueryError`` with the line and column.

Named queries: ``kg/queries/NAME.rq``; the first comment line says what the query answers,
``# @param NAME TYPE  description`` lines declare its parameters (``label`` → ``"…"@zh``,
``term`` → a ``kg:`` IRI, ``iri``, ``year`` → ``xsd:gYear``, ``integer``, ``string``).
``named_queries`` lists them, ``bind_params`` turns ``k=v`` strings into bindings.

What this module does not do: serve SPARQL over HTTP.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result

from . import formats
from .vocab import KG_URI, PREFIXES, bind_prefixes, ontology_graph

QUERIES_DIR = Path(__file__).resolve().parent / "queries"
FORMATS = ("table",) + formats.RESULT_NAMES + formats.GRAPH_NAMES
PARAM_TYPES = ("label", "term", "iri", "year", "integer", "string")


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


@dataclass
class Param:
    """One parameter of a named query, from its ``# @param NAME TYPE description`` line."""
    name: str
    type: str
    doc: str
    required: bool


@dataclass
class NamedQuery:
    """A named query of ``kg/queries/``: name, purpose, SPARQL text and parameters."""
    name: str
    purpose: str
    text: str
    params: list[Param] = field(default_factory=list)


PARAM_LINE = re.compile(r"^#\s*@param\s+(\w+)\s+(\w+)\s+(.*)$")


def _parse_named(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    purpose = lines[0].lstrip("#").strip() if lines and lines[0].startswith("#") else ""
    params = []
    for line in lines:
        m = PARAM_LINE.match(line)
        if m:
            if m.group(2) not in PARAM_TYPES:
                raise ValueError(f"{path.name}: parameter {m.group(1)} has unknown type {m.group(2)}")
            params.append(Param(m.group(1), m.group(2), m.group(3).strip(), "(required)" in m.group(3)))
    return NamedQuery(path.stem, purpose, text, params)


def named_queries() -> dict[str, NamedQuery]:
    """The query library shipped in ``kg/queries``, by name."""
    return {p.stem: _parse_named(p) for p in sorted(QUERIES_DIR.glob("*.rq"))}


def named_query(name: str) -> NamedQuery | None:
    """The named query ``name`` (``kg/queries/<name>.rq``), None if there is none by that name."""
    path = QUERIES_DIR / f"{name}.rq"
    return _parse_named(path) if re.fullmatch(r"[\w-]+", name) and path.is_file() else None


def param_value(type_: str, value: str):
    """A parameter's text as the RDF term its type says; the text never enters the query."""
    if type_ == "label":
        return literal_binding(value)
    if type_ == "term":
        if not re.fullmatch(r"[A-Za-z][\w-]*", value):
            raise QueryError(f"not a kg: term name: {value!r}")
        return URIRef(KG_URI + value)
    if type_ == "iri":
        for prefix, uri in PREFIXES.items():
            if value.startswith(prefix + ":"):
                value = uri + value[len(prefix) + 1:]
                break
        if re.search(r'[\s<>"{}|^`\\]', value) or ":" not in value:
            raise QueryError(f"not an IRI: {value!r}")
        return URIRef(value)
    if type_ == "year":
        if not re.fullmatch(r"\d{4}", value):
            raise QueryError(f"not a year: {value!r}")
        return Literal(value, datatype=XSD.gYear)
    if type_ == "integer":
        if not re.fullmatch(r"-?\d+", value):
            raise QueryError(f"not an integer: {value!r}")
        return Literal(int(value))
    return Literal(value)


def bind_params(query: NamedQuery | None, pairs: list[str]) -> dict:
    """``["region=湖南省"]`` → ``{Variable("region"): Literal("湖南省", lang="zh")}``.

    A named query types its parameters; for a query given as text every value is a plain
    ``label`` (a Chinese literal). Missing required parameters and unknown names raise."""
    from rdflib import Variable

    declared = {p.name: p for p in query.params} if query else {}
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise QueryError(f"parameter {pair!r} is not NAME=VALUE")
        k, v = pair.split("=", 1)
        if query and k not in declared:
            known = ", ".join(declared) or "none"
            raise QueryError(f"query {query.name} has no parameter {k!r} (parameters: {known})")
        out[Variable(k)] = param_value(declared[k].type if k in declared else "label", v)
    for p in declared.values():
        if p.required and Variable(p.name) not in out:
            raise QueryError(f"query {query.name} needs --param {p.name}=… ({p.doc})")
    return out


def prepare(query_text: str, params: list[str] | None = None) -> tuple[str, dict]:
    """A query named, given as a file or as text → its text and its parameter bindings."""
    named = named_query(query_text) if "{" not in query_text else None
    if named:
        return named.text, bind_params(named, params or [])
    text = read_query(query_text)
    if re.fullmatch(r"[\w.-]+", text.strip()):
        raise QueryError(f"no named query or file {text.strip()!r}; `kg query --list` shows the named queries")
    return text, bind_params(None, params or [])


def list_queries() -> str:
    """``kg query --list``: each name with its purpose and parameters."""
    out = []
    for q in named_queries().values():
        out.append(f"{q.name:<26} {q.purpose}")
        for p in q.params:
            out.append(f"{'':<28}--param {p.name}=…  ({p.type}) {p.doc}")
    return "\n".join(out)


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


def render(result: Result, fmt: str = "table") -> bytes:
    """The answer as ``kg query --format`` prints it: a table, or a format of ``kg.formats``
    (``json`` on a CONSTRUCT is JSON-LD, ``xml`` RDF/XML)."""
    graph = result.type in ("CONSTRUCT", "DESCRIBE")
    if fmt == "table":
        text = ("true" if result.askAnswer else "false") if result.type == "ASK" else (
            _table(result) if not graph else None)
        if text is not None:
            return (text + "\n").encode("utf-8")
        fmt = "ttl"
    f = formats.lookup(fmt, graph)
    if f is None:
        kinds = "CONSTRUCT and DESCRIBE" if fmt in formats.GRAPH_NAMES else "SELECT and ASK"
        raise QueryError(f"--format {fmt} is for {kinds}; this query is a {result.type}")
    return formats.write(result, f)


def format_result(result: Result, fmt: str = "table") -> str:
    """``render`` as text."""
    return render(result, fmt).decode("utf-8")


def _table(result: Result) -> str:
    names = [str(v) for v in result.vars]
    cells = [[_cell(b.get(v)) for v in result.vars] for b in result.bindings]
    widths = [max([_width(n)] + [_width(r[i]) for r in cells]) for i, n in enumerate(names)]

    def line(vals):
        return " | ".join(v + " " * (w - _width(v)) for v, w in zip(vals, widths)).rstrip()

    out = [line(names), "-+-".join("-" * w for w in widths)] + [line(r) for r in cells]
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(out)


def literal_binding(value: str) -> Literal:
    """A parameter value as the literal a query compares labels with (Chinese labels are @zh)."""
    return Literal(value, lang="zh")
