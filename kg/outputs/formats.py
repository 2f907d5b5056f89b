"""The one table of answer formats: name ↔ media type ↔ writer, for ``kg query``, ``kg export``
(its graph formats ttl and nt) and the ``/sparql`` endpoint, so a result gives the same bytes
whichever of them writes it.

SELECT and ASK answers (SPARQL 1.1 Query Results): ``json``, ``xml``, ``csv`` (lines end with
CRLF, as the CSV results spec says), ``tsv`` (terms in Turtle syntax, numbers and booleans in
their short form when their lexical form allows it, LF). CONSTRUCT and DESCRIBE answers and whole
graphs: ``ttl`` (Turtle with kg's prefixes), ``nt`` (N-Triples, lines sorted so diffs are small),
``jsonld``, ``rdfxml``. Every writer returns UTF-8 bytes ending with a newline.

``lookup`` finds a format by name, alias or media type; ``negotiate`` picks one from an
``Accept`` header; ``write`` writes a materialised rdflib ``Result`` (``kg.graph.store`` or rdflib's
own); ``write_graph`` a ``Graph``.

What this module does not do: the readable table of ``kg query`` (``kg.outputs.query``), the named-graph
formats of ``kg export`` (nq, trig, jsonld of a dataset; ``kg.outputs.export``).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Callable
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import XSD

from kg.vocab import bind_prefixes


class NotAcceptable(ValueError):
    """No format of the table fits what the client accepts."""


@dataclass(frozen=True)
class Format:
    """One output format of kg query/export and the endpoint: its name, media type and writer."""
    name: str                     # kg query/export --format, the endpoint's format= parameter
    media: str                    # the Content-Type it is sent with
    graph: bool                   # True: CONSTRUCT/DESCRIBE and graphs; False: SELECT/ASK
    write: Callable               # (Result or Graph) -> bytes
    accepts: tuple = ()           # further media types an Accept header may name for it
    aliases: tuple = ()           # further names


# --- SELECT / ASK writers --------------------------------------------------------------------

def _rows(result) -> tuple[list[str], list[list]]:
    names = [str(v) for v in result.vars]
    return names, [[b.get(v) for v in result.vars] for b in result.bindings]


def _json_term(t) -> dict:
    if isinstance(t, URIRef):
        return {"type": "uri", "value": str(t)}
    if isinstance(t, BNode):
        return {"type": "bnode", "value": str(t)}
    d = {"type": "literal", "value": str(t)}
    if t.language:
        d["xml:lang"] = t.language
    elif t.datatype is not None:
        d["datatype"] = str(t.datatype)
    return d


def _json(result) -> bytes:
    if result.type == "ASK":
        body = {"head": {}, "boolean": bool(result.askAnswer)}
    else:
        names, rows = _rows(result)
        body = {"head": {"vars": names}, "results": {"bindings": [
            {n: _json_term(t) for n, t in zip(names, r) if t is not None} for r in rows]}}
    return (json.dumps(body, ensure_ascii=False) + "\n").encode("utf-8")


def _xml_term(t) -> str:
    if isinstance(t, URIRef):
        return f"<uri>{escape(str(t))}</uri>"
    if isinstance(t, BNode):
        return f"<bnode>{escape(str(t))}</bnode>"
    attr = f" xml:lang={quoteattr(t.language)}" if t.language else (
        f" datatype={quoteattr(str(t.datatype))}" if t.datatype is not None else "")
    return f"<literal{attr}>{escape(str(t))}</literal>"


def _xml(result) -> bytes:
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if result.type == "ASK":
        out += ["<head/>", f"<boolean>{str(bool(result.askAnswer)).lower()}</boolean>"]
    else:
        names, rows = _rows(result)
        out.append("<head>" + "".join(f"<variable name={quoteattr(n)}/>" for n in names) + "</head>")
        out.append("<results>")
        out += ["<result>" + "".join(f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
                                     for n, t in zip(names, r) if t is not None) + "</result>" for r in rows]
        out.append("</results>")
    out.append("</sparql>")
    return ("\n".join(out) + "\n").encode("utf-8")


def _csv_cell(t) -> str:
    s = "" if t is None else f"_:{t}" if isinstance(t, BNode) else str(t)
    if any(c in s for c in ',"\r\n'):
        s = '"' + s.replace('"', '""') + '"'
    return s


def _csv(result) -> bytes:
    if result.type == "ASK":
        lines = ["_askResult", str(bool(result.askAnswer)).lower()]
    else:
        names, rows = _rows(result)
        lines = [",".join(_csv_cell(n) for n in names)] + [",".join(_csv_cell(t) for t in r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


_SHORT = {XSD.integer: r"[+-]?\d+", XSD.decimal: r"[+-]?\d*\.\d+",
          XSD.double: r"[+-]?(\d+\.\d*|\.?\d+)[eE][+-]?\d+", XSD.boolean: r"true|false"}
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def tsv_term(t) -> str:
    """A term in Turtle syntax on one line: <iri>, _:b, "text"@lang, "v"^^<dt>, or 42 / 3.5 /
    true where Turtle's short form reads back as the same literal."""
    if t is None:
        return ""
    if isinstance(t, URIRef):
        return f"<{t}>"
    if isinstance(t, BNode):
        return f"_:{t}"
    short = _SHORT.get(t.datatype)
    if short and re.fullmatch(short, str(t)):
        return str(t)
    text = '"' + "".join(_ESCAPES.get(c, c) for c in str(t)) + '"'
    if t.language:
        return f"{text}@{t.language}"
    if t.datatype is not None and t.datatype != XSD.string:
        return f"{text}^^<{t.datatype}>"
    return text


def _tsv(result) -> bytes:
    if result.type == "ASK":
        lines = ["?_askResult", str(bool(result.askAnswer)).lower()]
    else:
        names, rows = _rows(result)
        lines = ["\t".join("?" + n for n in names)] + ["\t".join(tsv_term(t) for t in r) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


# --- graph writers ----------------------------------------------------------------------------

def _graph_of(x) -> Graph:
    return x if isinstance(x, Graph) else x.graph


def sorted_lines(data: bytes) -> bytes:
    """N-Triples / N-Quads lines, deduplicated and sorted."""
    lines = sorted(set(line for line in data.decode("utf-8").splitlines() if line.strip()))
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def _ttl(x) -> bytes:
    return bind_prefixes(_graph_of(x)).serialize(format="turtle", encoding="utf-8")


def _nt(x) -> bytes:
    return sorted_lines(_graph_of(x).serialize(format="nt", encoding="utf-8"))


def _jsonld(x) -> bytes:
    out = bind_prefixes(_graph_of(x)).serialize(format="json-ld", encoding="utf-8")
    return out if out.endswith(b"\n") else out + b"\n"


def _rdfxml(x) -> bytes:
    return bind_prefixes(_graph_of(x)).serialize(format="xml", encoding="utf-8")


FORMATS = (
    Format("json", "application/sparql-results+json", False, _json, ("application/json",)),
    Format("xml", "application/sparql-results+xml", False, _xml, ("application/xml", "text/xml")),
    Format("csv", "text/csv", False, _csv),
    Format("tsv", "text/tab-separated-values", False, _tsv),
    Format("ttl", "text/turtle", True, _ttl, ("application/x-turtle",), ("turtle",)),
    Format("nt", "application/n-triples", True, _nt, ("text/plain",), ("ntriples", "n-triples")),
    Format("jsonld", "application/ld+json", True, _jsonld, ("application/json",), ("json-ld", "json")),
    Format("rdfxml", "application/rdf+xml", True, _rdfxml, ("application/xml", "text/xml"), ("rdf", "xml")),
)
RESULT_NAMES = tuple(f.name for f in FORMATS if not f.graph)
GRAPH_NAMES = tuple(f.name for f in FORMATS if f.graph)


def lookup(name: str, graph: bool) -> Format | None:
    """The format a name, an alias or a media type stands for, for a graph answer or not."""
    key = name.strip().lower()
    for f in FORMATS:
        if f.graph == graph and key in (f.name, f.media) + f.aliases + f.accepts:
            return f
    return None


def negotiate(accept: str | None, graph: bool, name: str | None = None) -> Format:
    """A ``format=`` name wins, then the ``Accept`` entry of highest q (first on a tie)."""
    if name and (f := lookup(name, graph)):
        return f
    offers = []
    for i, part in enumerate((accept or "*/*").split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for p in params:
            if p.replace(" ", "").startswith("q="):
                try:
                    q = float(p.split("=", 1)[1])
                except ValueError:
                    q = 0.0
        offers.append((-q, i, media.lower()))
    for negq, _, media in sorted(offers):
        if negq >= 0:
            break
        if media in ("*/*", "application/*", "text/*"):
            return FORMATS[4] if graph else FORMATS[0]
        if f := lookup(media, graph):
            return f
    kinds = [f.media for f in FORMATS if f.graph == graph]
    raise NotAcceptable(f"cannot answer as {accept}; offered: {', '.join(kinds)}")


def write(result, fmt: Format) -> bytes:
    """A result (SELECT, ASK, CONSTRUCT, DESCRIBE) in a format of its kind."""
    return fmt.write(result)


def write_graph(graph: Graph, name: str) -> bytes:
    """A graph in one of the graph formats (ttl, nt, jsonld, rdfxml)."""
    fmt = lookup(name, graph=True)
    if fmt is None:
        raise ValueError(f"unknown graph format {name!r} ({', '.join(GRAPH_NAMES)})")
    return fmt.write(graph)
