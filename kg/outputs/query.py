"""Named queries, their parameters, and answers formatted for people and tools.

Parsing and running SPARQL is ``kg.graph.sparql``; this module adds what ``kg query`` and the
endpoint need on top: ``render`` writes an answer as a readable table or in a format of
``kg.outputs.formats`` (the same bytes the endpoint sends), and ``prepare`` turns a query text or
file and ``k=v`` parameters into a query and its bindings (bound through ``initBindings``,
never pasted into the text).

Named queries: ``kg/data/queries/NAME.rq``; the first comment line says what the query answers,
``# @param NAME TYPE  description`` lines declare its parameters (``label`` → ``"…"@zh``,
resolved to a canonical label; ``surface`` → ``"…"@zh`` as given; ``term`` → a ``kg:`` IRI,
``iri``, ``year`` → ``xsd:gYear``, ``integer``, ``string``).
``named_queries`` lists them, ``bind_params`` turns ``k=v`` strings into bindings.

A ``label`` parameter of a named query names an entity the way a reader would: given the graph
(``ask``), ``resolve_label`` takes an exact ``rdfs:label`` as it is, else an exact
``skos:altLabel``, else (regions) a gazetteer short form (湖南 → 湖南省, 湘西 → 湘西土家族苗族自治州)
or the start of a region's name, and says which entity it chose; several candidates are an
error (``ParamError``) that lists them.

What this module does not do: serve SPARQL over HTTP (``kg.outputs.serve``).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.query import Result

from kg.graph.sparql import QueryError, read_query
from kg.outputs import formats
from kg.resources import data_path
from kg.vocab import KG_URI, PREFIXES

QUERIES_DIR = data_path("queries")
FORMATS = ("table",) + formats.RESULT_NAMES + formats.GRAPH_NAMES
PARAM_TYPES = ("label", "surface", "term", "iri", "year", "integer", "string")


class ParamError(QueryError):
    """A parameter value that names several entities of the graph."""


@dataclass
class Param:
    """One parameter of a named query, from its ``# @param NAME TYPE description`` line."""
    name: str
    type: str
    doc: str
    required: bool


@dataclass
class NamedQuery:
    """A named query of ``kg/data/queries/``: name, purpose, SPARQL text and parameters."""
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
    """The query library shipped in ``kg/data/queries``, by name."""
    return {p.stem: _parse_named(p) for p in sorted(QUERIES_DIR.glob("*.rq"))}


def named_query(name: str) -> NamedQuery | None:
    """The named query ``name`` (``kg/data/queries/<name>.rq``), None if there is none by that name."""
    path = QUERIES_DIR / f"{name}.rq"
    return _parse_named(path) if re.fullmatch(r"[\w-]+", name) and path.is_file() else None


def param_value(type_: str, value: str):
    """A parameter's text as the RDF term its type says; the text never enters the query."""
    if type_ in ("label", "surface"):
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


def bind_params(query: NamedQuery | None, pairs: list[str], ask=None, note=None) -> dict:
    """``["region=湖南省"]`` → ``{Variable("region"): Literal("湖南省", lang="zh")}``.

    A named query types its parameters; for a query given as text every value is a plain
    ``label`` (a Chinese literal, never resolved). Missing required parameters and unknown names
    raise. With ``ask`` (a store's ``query``), a named query's ``label`` values are resolved
    (``resolve_label``) and ``note`` is told what each became."""
    declared = {p.name: p for p in query.params} if query else {}
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise QueryError(f"parameter {pair!r} is not NAME=VALUE")
        k, v = pair.split("=", 1)
        if query and k not in declared:
            known = ", ".join(declared) or "none"
            raise QueryError(f"query {query.name} has no parameter {k!r} (parameters: {known})")
        type_ = declared[k].type if k in declared else "label"
        if ask is not None and k in declared and type_ == "label":
            v, said = resolve_label(k, v, ask)
            if said and note:
                note(said)
        out[Variable(k)] = param_value(type_, v)
    for p in declared.values():
        if p.required and Variable(p.name) not in out:
            raise QueryError(f"query {query.name} needs --param {p.name}=… ({p.doc})")
    return out


EXACT = "SELECT ?e ?v WHERE { ?e rdfs:label ?v }"
BY_ALIAS = "SELECT DISTINCT ?e ?label ?v WHERE { ?e skos:altLabel ?v ; rdfs:label ?label }"
REGIONS = "SELECT ?e ?label ?level WHERE { ?e a kg:Region ; rdfs:label ?label ; kg:level ?level }"


def resolve_label(name: str, value: str, ask) -> tuple[str, str | None]:
    """The canonical label to bind for ``name=value`` and what to tell the user (None when the
    value is a canonical label). Tried in turn: exact ``rdfs:label``; exact ``skos:altLabel``;
    a region's gazetteer short form; the start of a region's label. The first step that finds
    anything decides: one label → it; several → ``ParamError`` listing them (label and IRI);
    none → the value as given, with a note that it matches nothing."""
    v = Variable("v")
    if list(ask(EXACT, {v: literal_binding(value)})):
        return value, None
    found = [(str(r["label"]), r["e"]) for r in ask(BY_ALIAS, {v: literal_binding(value)})]
    how = "alias"
    if not found:
        found, how = _region_candidates(value, ask)
    labels = sorted({label for label, _ in found})
    if not labels:
        return value, f"note: {name}={value} is no label or alias in the graph; bound as given"
    if len(labels) > 1:
        listed = ", ".join(f"{label} ({_cell(e)})" for label, e in sorted(found, key=lambda x: (x[0], str(x[1]))))
        raise ParamError(f"{name}={value} is ambiguous ({how}): {listed}; give one of these labels")
    iris = ", ".join(sorted({_cell(e) for _, e in found}))
    return labels[0], f"{name}={value} → {labels[0]} ({iris})"


def _region_candidates(value: str, ask) -> tuple[list, str]:
    """Regions of the graph that ``value`` names by a gazetteer short form, else by the start
    of their label (two characters at least)."""
    from kg.ingest.gazetteer import ethnic_groups, short_forms

    regions = [(str(r["label"]), r["e"], str(r["level"])) for r in ask(REGIONS, {})]
    ethnic = ethnic_groups()
    short = [(label, e) for label, e, level in regions if value in short_forms(label, level, ethnic)]
    if short or len(value) < 2:
        return short, "short form"
    return [(label, e) for label, e, _ in regions if label.startswith(value)], "start of a name"


def prepare(query_text: str, params: list[str] | None = None, ask=None, note=None) -> tuple[str, dict]:
    """A query named, given as a file or as text → its text and its parameter bindings
    (``ask`` and ``note``: see ``bind_params``)."""
    named = named_query(query_text) if "{" not in query_text else None
    if named:
        return named.text, bind_params(named, params or [], ask, note)
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
    """The answer as ``kg query --format`` prints it: a table, or a format of ``kg.outputs.formats``
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
