"""A read-only SPARQL 1.1 Protocol endpoint over a store, with a query page in the browser.

``serve(opener, …)`` listens on a socket it binds itself and runs a Starlette app under uvicorn
(HTTP/1.1 by h11: malformed requests get 400, chunked bodies are read by the stack, headers are
bounded, idle connections closed after a few seconds, a backlog of 1024):

- ``/sparql``: queries by GET (``?query=``), POST form (``query=``) or POST
  ``application/sparql-query`` body (at most ``max_body`` bytes, else 413). Answers are
  negotiated from ``Accept`` (or a ``format=`` / ``output=`` parameter) over the table of
  ``kg.outputs.formats``: the bytes ``kg query --format X`` prints. Anything else: 406.
- What a query is comes from rdflib's parser (``kg.graph.sparql.inspect_query``): its form decides the
  formats; SERVICE (federation) is refused with 400 unless ``allow_federation``; FROM / FROM
  NAMED and ``default-graph-uri`` / ``named-graph-uri`` with 400 (the dataset is the store's
  default graph). Read-only: ``update=`` or an ``application/sparql-update`` body gets 403; an
  update sent as a query does not parse (400).
- Limits: each query runs in a worker process (``kg.outputs.workers``) killed at ``timeout`` seconds,
  when the client gets 503; at most ``max_rows`` rows or triples are returned, and a cut answer
  carries ``X-KG-Truncated: max-rows=N``.
- ``/``: the YASGUI editor (vendored under ``kg/data/yasgui``, MIT) pointed at ``/sparql``;
  its assets come from ``/assets/``, so the page loads nothing from the network.
- Browsers: a request whose ``Host`` is not this server's address is refused with 403 (DNS
  rebinding); no CORS header unless ``cors`` names an origin. Binding beyond loopback needs
  ``public`` (``kg.outputs.listen.bind``).

What this module does not do: write to the store, authenticate, or serve several datasets.
"""
from __future__ import annotations

import asyncio
import json
import socket
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qs

from kg.outputs import formats
from kg.outputs.listen import HostCheck, protocol, url
from kg.graph.sparql import QueryError, inspect_query
from kg.resources import data_path
from kg.vocab import PREFIXES
from kg.outputs.workers import Deadline, Pool, WorkerDied

ASSETS = data_path("yasgui")
TEXT = "text/plain"


@dataclass(frozen=True)
class Settings:
    """The limits and switches of ``kg serve``: query timeout, row cap, body size, federation,
    CORS origin, quiet."""
    timeout: float = 30.0
    max_rows: int = 10000
    max_body: int = 1 << 20
    allow_federation: bool = False
    cors: str | None = None
    quiet: bool = False


# --- in a worker process ------------------------------------------------------------------------

_inspect = lru_cache(maxsize=512)(inspect_query)   # an endpoint sees the same queries again and again


def _reply(status: int, message: str) -> tuple:
    return status, (message + "\n").encode("utf-8"), TEXT, {}


def answer(store, job: dict, max_rows: int, allow_federation: bool) -> tuple:
    """(status, body, media type, headers) for one query, run in a worker against its store."""
    try:
        info = _inspect(job["query"])
    except QueryError as exc:
        return _reply(400, f"bad query: {exc}")
    if info.federated and not allow_federation:
        return _reply(400, "SERVICE (federated query) is refused: this endpoint only reads its own store "
                           "(start kg serve with --allow-federation to permit it)")
    if info.dataset:
        return _reply(400, "FROM / FROM NAMED are not supported: the dataset is the store's default graph")
    try:
        fmt = formats.negotiate(job.get("accept"), info.kind in ("CONSTRUCT", "DESCRIBE"), job.get("format"))
    except formats.NotAcceptable as exc:
        return _reply(406, f"cannot answer a {info.kind} query: {exc}")
    try:
        result = store.query(info.prepared if store.kind == "memory" else job["query"], max_rows=max_rows)
    except QueryError as exc:
        return _reply(400, f"bad query: {exc}")
    headers = {"X-KG-Truncated": f"max-rows={max_rows}"} if getattr(result, "truncated", False) else {}
    return 200, formats.write(result, fmt), fmt.media, headers


# --- the HTTP side ------------------------------------------------------------------------------

def query_page() -> bytes:
    """The endpoint's HTML page: the YASGUI query editor, pointed at ``/sparql``."""
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


def _response(status: int, body: bytes, media: str, headers: dict | None = None):
    from starlette.responses import Response

    charset = "" if "charset" in media else "; charset=utf-8"
    return Response(body, status_code=status, headers=headers or {}, media_type=media + charset)


def _text(status: int, message: str, headers: dict | None = None):
    return _response(status, (message + "\n").encode("utf-8"), TEXT, headers)


class _Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


async def _body(request, limit: int) -> str:
    """The request body as text, refused past ``limit`` bytes (413) or when not UTF-8 (400)."""
    declared = request.headers.get("content-length")
    too_big = _Refused(413, f"request body over {limit} bytes")
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_big
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_big
        chunks.append(chunk)
    try:
        return b"".join(chunks).decode("utf-8")
    except UnicodeDecodeError:
        raise _Refused(400, "request body is not UTF-8") from None


async def _params(request, limit: int) -> tuple[dict, str | None]:
    """The protocol's parameters (URL and form) and a query sent as the body, if any."""
    params = parse_qs(request.url.query, keep_blank_values=True)
    if request.method != "POST":
        return params, None
    ctype = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if ctype == "application/sparql-update":
        raise _Refused(403, "this endpoint is read-only: SPARQL Update is refused")
    if ctype not in ("application/x-www-form-urlencoded", "application/sparql-query"):
        raise _Refused(415, "POST a form (query=) or an application/sparql-query body")
    text = await _body(request, limit)
    if ctype == "application/sparql-query":
        return params, text
    for k, v in parse_qs(text, keep_blank_values=True).items():
        params.setdefault(k, []).extend(v)
    return params, None


def make_app(pool: Pool, settings: Settings, hosts: "HostCheck"):
    """The Starlette app: /sparql, the query page, its assets; guarded by Host and CORS rules."""
    from starlette.applications import Starlette
    from starlette.routing import Route

    answers, running = AnswerCache(), {}

    async def sparql(request):
        if request.method == "OPTIONS":
            return _response(204, b"", TEXT, {"Allow": "GET, POST, OPTIONS"})
        try:
            params, body_query = await _params(request, settings.max_body)
        except _Refused as exc:     # a body left unread: close the connection after the answer
            return _text(exc.status, str(exc), {"Connection": "close"} if exc.status == 413 else None)
        if "update" in params:
            return _text(403, "this endpoint is read-only: SPARQL Update is refused")
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            return _text(400, "default-graph-uri / named-graph-uri are not supported: "
                              "the dataset is the store's default graph")
        queries = params.get("query", []) + ([body_query] if body_query is not None else [])
        if not queries:
            if "text/html" in (request.headers.get("accept") or ""):
                return _response(303, b"", TEXT, {"Location": "/"})
            return _text(400, "no query: give query= (GET or POST form) or POST application/sparql-query")
        if len(queries) > 1:
            return _text(400, "more than one query given")
        fmt = (params.get("format") or params.get("output") or [None])[0]
        job = {"query": queries[0], "accept": request.headers.get("accept"), "format": fmt}
        key = (job["query"], job["accept"], fmt)
        reply = answers.get(key)
        if reply is None:
            if key not in running:        # the same query asked meanwhile waits for this run
                running[key] = asyncio.ensure_future(pool.run(job, settings.timeout))
                running[key].add_done_callback(lambda _: running.pop(key, None))
            try:
                reply = await asyncio.shield(running[key])
            except Deadline as exc:
                return _text(503, f"query ran past the time limit of {settings.timeout:g} s ({exc}); it was stopped")
            except WorkerDied as exc:
                return _text(500, str(exc))
            answers.put(key, reply)
        return _response(*reply)

    async def page(request):
        return _response(200, query_page(), "text/html")

    async def asset(request):
        name = request.path_params["name"]
        f = ASSETS / name
        if "/" in name or name.startswith(".") or not f.is_file():
            return _text(404, "no such asset")
        media = "application/javascript" if name.endswith(".js") else "text/css"
        return _response(200, f.read_bytes(), media, {"Cache-Control": "max-age=86400"})

    app = Starlette(routes=[Route("/", page), Route("/assets/{name}", asset),
                            Route("/sparql", sparql, methods=["GET", "POST", "OPTIONS"])])
    return _Guard(app, hosts, settings.cors)


class AnswerCache:
    """The last answers (status 200) by query, Accept and format, least recently used out first.
    Sound because the store does not change while it is served (read-only, opened once)."""

    def __init__(self, max_bytes: int = 32 << 20, max_entry: int = 256 << 10):
        from collections import OrderedDict

        self.items, self.size, self.max_bytes, self.max_entry = OrderedDict(), 0, max_bytes, max_entry

    def get(self, key):
        """The cached reply for ``key``, marked as just used; None if not cached."""
        reply = self.items.get(key)
        if reply is not None:
            self.items.move_to_end(key)
        return reply

    def put(self, key, reply) -> None:
        """Keep a 200 reply unless it is larger than one entry may be; drop the least recently used
        until the total fits."""
        n = len(reply[1]) + len(key[0])
        if reply[0] != 200 or n > self.max_entry or key in self.items:
            return
        self.items[key] = reply
        self.size += n
        while self.size > self.max_bytes:
            k, old = self.items.popitem(last=False)
            self.size -= len(old[1]) + len(k[0])


class _Guard:
    """ASGI wrapper: refuse foreign Host headers (403); add the CORS headers when asked."""

    def __init__(self, app, hosts: HostCheck, cors: str | None):
        self.app, self.hosts, self.cors = app, hosts, cors

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        host = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
        if not self.hosts(host):
            resp = _text(403, f"Host {host!r} is not this server's address; use http://127.0.0.1:{self.hosts.port}/")
            return await resp(scope, receive, send)
        if not self.cors:
            return await self.app(scope, receive, send)

        async def send_cors(message):
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + [
                    (b"access-control-allow-origin", self.cors.encode("latin-1")),
                    (b"access-control-expose-headers", b"X-KG-Truncated"),
                    (b"access-control-allow-methods", b"GET, POST, OPTIONS"),
                    (b"access-control-allow-headers", b"Content-Type, Accept"), (b"vary", b"Origin")]
            await send(message)
        return await self.app(scope, receive, send_cors)


def _warm_up() -> None:
    """Import rdflib's SPARQL parser and evaluator once, before the fork: a fresh worker (one
    replacing a killed query) then answers in milliseconds, not after a second of imports."""
    import rdflib.plugins.sparql.evaluate  # noqa: F401

    inspect_query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(REGEX(STR(?o), 'x')) } GROUP BY ?s")


def serve(opener, sock: socket.socket, settings: Settings, workers: int = 8, public: bool = False,
          announce=print) -> None:
    """Answer on ``sock`` until SIGINT/SIGTERM; queries run in ``workers`` processes, each
    holding ``opener()`` (the store)."""
    import uvicorn

    def handle(store, job):
        return answer(store, job, settings.max_rows, settings.allow_federation)

    ip, port = sock.getsockname()[:2]
    _warm_up()
    pool = Pool(opener, handle, workers)
    pool.start()
    try:
        config = uvicorn.Config(make_app(pool, settings, HostCheck(port, public)), http=protocol(), lifespan="off",
                                backlog=1024, timeout_keep_alive=5, timeout_graceful_shutdown=2,
                                h11_max_incomplete_event_size=64 * 1024, server_header=False,
                                log_level="warning" if settings.quiet else "info", access_log=not settings.quiet)
        announce(f"query page {url(ip, port)}/ , endpoint {url(ip, port)}/sparql ; {workers} query workers")
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        pool.close()
        sock.close()
