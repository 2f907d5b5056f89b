"""Send a built graph to a remote triple store by the SPARQL 1.1 Graph Store Protocol.

``push(triples, endpoint, graph=None, user=None, password=None, batch_size=...)`` sends the
triples in batches of N-Triples lines (valid Turtle, sent as ``text/turtle``, which every GSP
server takes): the first batch by ``PUT`` (replacing the target graph), the rest by ``POST``
(adding to it). The target is ``?graph=IRI`` (``?default`` without one); servers that name the
parameter differently (Virtuoso's ``/sparql-graph-crud-auth`` takes ``graph-uri``) get both.
HTTP Basic and Digest authentication are both answered (Digest with MD5, as RFC 2617). A refusal (401, 403, 4xx/5xx) or an
unreachable server raises ``PushError`` with the status and the server's own words.
``progress(done, total)`` is called after every batch; ``ProgressBar`` draws one on stderr.

Works with Apache Jena Fuseki (``.../ds/data``), GraphDB (``.../repositories/R/rdf-graphs/service``),
Oxigraph server (``/store``) and Virtuoso (``/sparql-graph-crud-auth``); tested on Virtuoso.

What this module does not do: query the remote store, or delete anything but the target graph's
old content (which ``PUT`` replaces).
"""
from __future__ import annotations

import base64
import hashlib
import secrets
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import urlencode, urlsplit, urlunsplit

from rdflib import BNode, Graph

DEFAULT_BATCH = 20000


class PushError(Exception):
    """The server refused the graph, or could not be reached."""


def read_triples(path: str | Path) -> list:
    """The triples of a Turtle file, in a stable order (sorted N-Triples lines)."""
    g = Graph()
    g.parse(str(path), format="turtle")
    return list(g)


def _ntriple(t) -> str:
    return " ".join(term.n3() for term in t) + " .\n"


def batches(triples: Iterable, size: int) -> list[bytes]:
    """N-Triples documents of at most ``size`` triples each; triples with a blank node all go
    in the first batch, so a node's blank-node label means one node (a build has none)."""
    with_bnode, plain = [], []
    for t in triples:
        (with_bnode if any(isinstance(x, BNode) for x in t) else plain).append(_ntriple(t))
    plain.sort()
    out = ["".join(with_bnode)] if with_bnode else []
    for i in range(0, len(plain), size):
        out.append("".join(plain[i:i + size]))
    return [b.encode("utf-8") for b in out] or [b""]


def target_url(endpoint: str, graph: str | None) -> str:
    parts = urlsplit(endpoint)
    if graph:
        extra = urlencode({"graph": graph, "graph-uri": graph}) if "virtuoso" in endpoint or \
            "graph-crud" in parts.path else urlencode({"graph": graph})
    else:
        extra = "default"
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


class _Auth:
    """HTTP Basic or Digest credentials, answered up front: the challenge is fetched once with
    an empty request, so a large batch is never cut off by a 401 mid-upload."""

    def __init__(self, user: str, password: str):
        self.user, self.password, self.challenge, self.nc = user, password, None, 0

    def learn(self, header: str | None) -> None:
        if not header:
            raise PushError("the server asked for credentials without saying how (no WWW-Authenticate)")
        scheme, _, rest = header.strip().partition(" ")
        params = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
        self.challenge = (scheme.lower(), params)
        self.nc = 0

    def header(self, method: str, url: str) -> dict:
        if self.challenge is None:
            return {}
        scheme, c = self.challenge
        if scheme == "basic":
            token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
            return {"Authorization": f"Basic {token}"}
        parts = urlsplit(url)
        uri = parts.path + (f"?{parts.query}" if parts.query else "")
        self.nc += 1
        nc, cnonce = f"{self.nc:08x}", secrets.token_hex(8)
        h = lambda x: hashlib.md5(x.encode("utf-8")).hexdigest()   # noqa: E731 (RFC 2617 digest)
        ha1 = h(f"{self.user}:{c.get('realm', '')}:{self.password}")
        ha2 = h(f"{method}:{uri}")
        qop = "auth" if "auth" in c.get("qop", "").split(",") else None
        resp = h(f"{ha1}:{c['nonce']}:{nc}:{cnonce}:{qop}:{ha2}") if qop else h(f"{ha1}:{c['nonce']}:{ha2}")
        fields = [f'username="{self.user}"', f'realm="{c.get("realm", "")}"', f'nonce="{c["nonce"]}"',
                  f'uri="{uri}"', f'response="{resp}"', "algorithm=MD5"]
        if qop:
            fields += [f"qop={qop}", f"nc={nc}", f'cnonce="{cnonce}"']
        if "opaque" in c:
            fields.append(f'opaque="{c["opaque"]}"')
        return {"Authorization": "Digest " + ", ".join(fields)}


def _send(url: str, method: str, body: bytes, auth: _Auth | None, timeout: float) -> None:
    headers = {"Content-Type": "text/turtle; charset=utf-8"}
    if auth:
        headers.update(auth.header(method, url))
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        resp.read()


def _authenticate(url: str, auth: _Auth | None, timeout: float) -> None:
    """Fetch the server's challenge with an empty POST (which adds nothing to the graph), so a
    request for credentials is known before any large batch is sent."""
    try:
        _send(url, "POST", b"", None, timeout)
    except urllib.error.HTTPError as exc:
        if exc.code != 401:
            return                  # the batch itself will meet the refusal and report it
        if auth is None:
            raise
        auth.learn(exc.headers.get("WWW-Authenticate"))


def push(triples: Iterable, endpoint: str, graph: str | None = None, user: str | None = None,
         password: str | None = None, batch_size: int = DEFAULT_BATCH,
         progress: Callable[[int, int], None] | None = None, timeout: float = 120.0) -> int:
    """Send ``triples`` to ``endpoint`` (a GSP service URL); returns the number of batches."""
    if not endpoint.startswith(("http://", "https://")):
        raise PushError(f"{endpoint}: not an http(s) URL")
    docs = batches(triples, max(1, batch_size))
    url = target_url(endpoint, graph)
    auth = _Auth(user, password or "") if user is not None else None
    for i, doc in enumerate(docs):
        try:
            if i == 0:
                _authenticate(url, auth, timeout)
            _send(url, "PUT" if i == 0 else "POST", doc, auth, timeout)
        except urllib.error.HTTPError as exc:
            said = exc.read().decode("utf-8", errors="replace").strip()[:300]
            hint = " (give --user and --password)" if exc.code == 401 and user is None else (
                " (check --user and --password)" if exc.code == 401 else "")
            raise PushError(f"{endpoint} refused batch {i + 1}/{len(docs)}: HTTP {exc.code} "
                            f"{exc.reason}{hint}" + (f": {said}" if said else "")) from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, (BrokenPipeError, ConnectionResetError)):
                raise PushError(f"{endpoint} closed the connection during batch {i + 1}/{len(docs)} "
                                f"(it refused the request; try a smaller --batch-size)") from exc
            raise PushError(f"cannot reach {endpoint}: {reason}") from exc
        if progress:
            progress(i + 1, len(docs))
    return len(docs)


class ProgressBar:
    """``[#####.....] 3/6 batches`` on stderr, redrawn in place on a terminal."""

    def __init__(self, stream=None, width: int = 30):
        self.stream, self.width = stream or sys.stderr, width

    def __call__(self, done: int, total: int) -> None:
        filled = self.width * done // max(total, 1)
        line = f"[{'#' * filled}{'.' * (self.width - filled)}] {done}/{total} batches"
        tty = getattr(self.stream, "isatty", lambda: False)()
        self.stream.write(("\r" + line + ("\n" if done == total else "")) if tty else line + "\n")
        self.stream.flush()
