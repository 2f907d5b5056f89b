"""A read-only SPARQL 1.1 Protocol endpoint over a store, with a query page in the browser.

``make_server(store, host, port, timeout, max_rows)`` returns a stdlib ``ThreadingHTTPServer``:

- ``/sparql``: queries by GET (``?query=``), POST form (``query=``) or POST
  ``application/sparql-query`` body. Answers are negotiated from ``Accept`` (or a ``format=`` /
  ``output=`` parameter): SELECT/ASK as SPARQL JSON, XML, CSV or TSV results; CONSTRUCT/DESCRIBE
  as Turtle, N-Triples, JSON-LD or RDF/XML. Anything else: 406.
- Read-only: ``update=`` or an ``application/sparql-update`` body is refused with 403; an
  update sent as a query fails to parse and gets 400 with the parser's message.
- Limits: a query runs in a bounded worker pool against a deadline (``timeout`` seconds; past it
  the client gets 503 and the store stops the query at its next triple or row, see
  ``kg.store``); at most ``max_rows`` rows or triples are returned, and a cut answer carries the
  header ``X-KG-Truncated: max-rows=N``.
- ``/``: the YASGUI editor (vendored under ``kg/data/yasgui``, MIT) pointed at ``/sparql``;
  its assets come from ``/assets/``, so the page loads nothing from the network.

Why the stdlib server: no new dependency, one thread per connection is plenty for a research
endpoint on loopback, and the work happens in the store (rdflib holds the GIL anyway; Oxigraph
evaluates in Rust). It binds 127.0.0.1 unless told otherwise.

What this module does not do: write to the store, authenticate, or serve several datasets.
"""
from __future__ import annotations

import concurrent.futures as cf
import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, URIRef

from .query import QueryError
from .store import QueryTimeout, sparql_kind
from .vocab import PREFIXES

ASSETS = Path(__file__).resolve().parent / "data" / "yasgui"
RESULT_TYPES = {   # media type -> short name, in order of preference for */*
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle", "application/x-turtle": "turtle", "application/n-triples": "nt",
    "text/plain": "nt", "application/ld+json": "json-ld", "application/json": "json-ld",
    "application/rdf+xml": "xml",
}
CONTENT_TYPE = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values", "turtle": "text/turtle",
                "nt": "application/n-triples", "json-ld": "application/ld+json",
                "rdfxml": "application/rdf+xml"}
FORMAT_PARAM = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "turtle": "turtle",
                "ttl": "turtle", "nt": "nt", "ntriples": "nt", "n-triples": "nt",
                "jsonld": "json-ld", "json-ld": "json-ld", "rdf": "xml", "rdfxml": "xml"}


class HTTPError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def negotiate(accept: str | None, kind: str, fmt: str | None = None) -> str:
    """The answer's format: a ``format=`` parameter wins, then the best ``Accept`` entry."""
    graph = kind in ("CONSTRUCT", "DESCRIBE")
    table = GRAPH_TYPES if graph else RESULT_TYPES
    if fmt:
        f = fmt.lower()
        name = table.get(f) or FORMAT_PARAM.get(f)
        if graph and name == "json":
            name = "json-ld"
        if name in set(table.values()):
            return name
    offers = []
    for i, part in enumerate((accept or "*/*").split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        offers.append((-q, i, media.lower()))
    for negq, _, media in sorted(offers):
        if negq == 0:
            break
        if media in table:
            return table[media]
        if media in ("*/*", "application/*", "text/*"):
            return "turtle" if graph else "json"
    raise HTTPError(406, f"cannot answer a {kind} query as {accept}; offered: {', '.join(table)}")


# --- result serialisers (SPARQL 1.1 Query Results JSON, XML, CSV, TSV) ------------------------

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


def _xml_term(t) -> str:
    if isinstance(t, URIRef):
        return f"<uri>{escape(str(t))}</uri>"
    if isinstance(t, BNode):
        return f"<bnode>{escape(str(t))}</bnode>"
    attr = f" xml:lang={quoteattr(t.language)}" if t.language else (
        f" datatype={quoteattr(str(t.datatype))}" if t.datatype is not None else "")
    return f"<literal{attr}>{escape(str(t))}</literal>"


def _csv_cell(t) -> str:
    s = "" if t is None else str(t)
    if any(c in s for c in ',"\r\n'):
        s = '"' + s.replace('"', '""') + '"'
    return s


def _tsv_cell(t) -> str:
    if t is None:
        return ""
    if isinstance(t, BNode):
        return f"_:{t}"
    s = t.n3()
    return s.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def serialize_result(result, fmt: str) -> bytes:
    """A store's answer in a protocol format (see ``negotiate``)."""
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        out = result.graph.serialize(format=fmt)
        return out.encode("utf-8") if isinstance(out, str) else out
    if result.type == "ASK":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(result.askAnswer)}).encode()
        if fmt == "xml":
            return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                    f"<head/><boolean>{str(bool(result.askAnswer)).lower()}</boolean></sparql>\n").encode()
        return (str(bool(result.askAnswer)).lower() + "\n").encode()
    names = [str(v) for v in result.vars]
    rows = [[b.get(v) for v in result.vars] for b in result.bindings]
    if fmt == "json":
        body = {"head": {"vars": names}, "results": {"bindings": [
            {n: _json_term(t) for n, t in zip(names, r) if t is not None} for r in rows]}}
        return json.dumps(body, ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
               "<head>" + "".join(f"<variable name={quoteattr(n)}/>" for n in names) + "</head>",
               "<results>"]
        for r in rows:
            out.append("<result>" + "".join(f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
                                           for n, t in zip(names, r) if t is not None) + "</result>")
        out.append("</results></sparql>\n")
        return "\n".join(out).encode("utf-8")
    if fmt == "csv":
        lines = [",".join(_csv_cell(n) for n in names)] + [",".join(_csv_cell(t) for t in r) for r in rows]
        return ("\r\n".join(lines) + "\r\n").encode("utf-8")
    lines = ["\t".join("?" + n for n in names)] + ["\t".join(_tsv_cell(t) for t in r) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def query_page() -> bytes:
    prefixes = "\n".join(f"PREFIX {p}: <{u}>" for p, u in PREFIXES.items() if p in ("kg", "kgr", "rdfs", "skos"))
    default = prefixes + "\n\nSELECT ?body ?region WHERE {\n  ?b a kg:Body ; rdfs:label ?body ;\n" \
                         "     kg:locatedIn/rdfs:label ?region .\n} ORDER BY ?region\nLIMIT 100\n"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kg SPARQL endpoint</title>
<link rel="stylesheet" href="/assets/yasgui.min.css">
<style>body{{font-family:sans-serif;margin:0 1em}} h1{{font-size:1.2em}}</style></head>
<body><h1>kg — SPARQL endpoint <small>(read-only; <code>/sparql</code>)</small></h1>
<div id="yasgui"></div>
<script src="/assets/yasgui.min.js"></script>
<script>
  var endpoint = window.location.origin + "/sparql";
  var yasgui = new Yasgui(document.getElementById("yasgui"), {{
    requestConfig: {{ endpoint: endpoint, method: "POST" }},
    copyEndpointOnNewTab: false, endpointCatalogueOptions: {{ getData: function () {{ return []; }} }},
    yasqe: {{ value: {json.dumps(default, ensure_ascii=False)} }},
    persistenceId: null
  }});
</script></body></html>
""".encode("utf-8")


class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, store, timeout: float = 30.0, max_rows: int = 10000,
                 workers: int | None = None, quiet: bool = False):
        super().__init__(address, _Handler)
        self.store, self.timeout, self.max_rows, self.quiet = store, timeout, max_rows, quiet
        self.pool = cf.ThreadPoolExecutor(max_workers=workers or max(4, 2 * (os.cpu_count() or 1)),
                                          thread_name_prefix="kg-query")

    def server_close(self) -> None:
        super().server_close()
        self.pool.shutdown(wait=False, cancel_futures=True)

    def answer(self, query: str, accept: str | None, fmt: str | None) -> tuple[bytes, str, dict]:
        kind = sparql_kind(query)
        out = negotiate(accept, kind, fmt)
        future = self.pool.submit(self.store.query, query, timeout=self.timeout, max_rows=self.max_rows)
        try:
            result = future.result(timeout=self.timeout + 0.5)
        except (cf.TimeoutError, QueryTimeout):
            raise HTTPError(503, f"query ran past the time limit of {self.timeout:g} s")
        except QueryError as exc:
            raise HTTPError(400, f"bad query: {exc}")
        headers = {}
        if getattr(result, "truncated", False):
            headers["X-KG-Truncated"] = f"max-rows={self.max_rows}"
        ctype = CONTENT_TYPE["rdfxml" if out == "xml" and result.type in ("CONSTRUCT", "DESCRIBE") else out]
        return serialize_result(result, out), ctype, headers


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):          # noqa: A002 (stdlib's signature)
        if not self.server.quiet:
            super().log_message(format, *args)

    def _send(self, status: int, body: bytes, ctype: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype if "charset" in ctype or ctype.startswith("application/javascript")
                         else ctype + "; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Expose-Headers", "X-KG-Truncated")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._send(status, (message + "\n").encode("utf-8"), "text/plain")

    def do_OPTIONS(self):
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path == "/":
            return self._send(200, query_page(), "text/html")
        if url.path.startswith("/assets/"):
            name = url.path[len("/assets/"):]
            f = ASSETS / name
            if "/" in name or not f.is_file():
                return self._error(404, "no such asset")
            ctype = "application/javascript; charset=utf-8" if name.endswith(".js") else "text/css"
            return self._send(200, f.read_bytes(), ctype, {"Cache-Control": "max-age=86400"})
        if url.path != "/sparql":
            return self._error(404, "not found: the endpoint is /sparql, the query page /")
        self._protocol(parse_qs(url.query, keep_blank_values=True), None)

    do_HEAD = do_GET

    def do_POST(self):
        url = urlsplit(self.path)
        if url.path != "/sparql":
            return self._error(404, "not found: the endpoint is /sparql")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", errors="replace") if length else ""
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = parse_qs(url.query, keep_blank_values=True)
        if ctype == "application/sparql-update":
            return self._error(403, "this endpoint is read-only: SPARQL Update is refused")
        if ctype == "application/x-www-form-urlencoded":
            for k, v in parse_qs(body, keep_blank_values=True).items():
                params.setdefault(k, []).extend(v)
            return self._protocol(params, None)
        if ctype == "application/sparql-query":
            return self._protocol(params, body)
        self._error(415, "POST a form (query=) or an application/sparql-query body")

    def _protocol(self, params: dict, body_query: str | None) -> None:
        if "update" in params:
            return self._error(403, "this endpoint is read-only: SPARQL Update is refused")
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            return self._error(400, "default-graph-uri / named-graph-uri are not supported: "
                                    "the dataset is the store's default graph")
        queries = params.get("query", []) + ([body_query] if body_query is not None else [])
        if not queries:
            if "text/html" in (self.headers.get("Accept") or ""):
                self.send_response(303)
                self.send_header("Location", "/")
                self.send_header("Content-Length", "0")
                return self.end_headers()
            return self._error(400, "no query: give query= (GET or POST form) or POST application/sparql-query")
        if len(queries) > 1:
            return self._error(400, "more than one query given")
        fmt = (params.get("format") or params.get("output") or [None])[0]
        try:
            body, ctype, headers = self.server.answer(queries[0], self.headers.get("Accept"), fmt)
        except HTTPError as exc:
            return self._error(exc.status, str(exc))
        self._send(200, body, ctype, headers)


def make_server(store, host: str = "127.0.0.1", port: int = 7878, timeout: float = 30.0,
                max_rows: int = 10000, quiet: bool = False) -> SparqlServer:
    """A server bound to ``host:port`` (port 0: a free one, see ``server.server_address``)."""
    return SparqlServer((host, port), store, timeout=timeout, max_rows=max_rows, quiet=quiet)
