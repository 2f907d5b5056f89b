"""Send a built graph to a remote triple store by the SPARQL 1.1 Graph Store Protocol, so that
the target graph is either replaced as a whole or left as it was.

``push(triples, endpoint, graph=None, ...)`` cuts the triples into batches of N-Triples lines
(valid Turtle, sent as ``text/turtle``, which every GSP server takes). One batch goes by a single
``PUT`` to the target graph. Several go into a fresh temporary graph (the target's IRI plus a
random suffix: ``PUT`` then ``POST``s), which one SPARQL 1.1 Update ``MOVE <tmp> TO <target>``
then puts over the target; if a batch or the move fails, the temporary graph is dropped (GSP
``DELETE``) and the target is untouched. The update endpoint is derived from the GSP URL
(``update_endpoint_for``) or given. With ``direct=True`` (stores without SPARQL Update) the
batches go straight into the target, and a failure says exactly which batches it now holds.

A batch counts as stored only on a 2xx answer. Redirects are never followed (a 3xx is a failure
naming its target), so credentials go only to the URLs given. HTTP Basic and Digest (MD5,
RFC 2617) are answered. Every failure is a ``PushError`` naming the batch and what the target
graph now holds; no message carries the password or a URL's user:password part (``redact``).
``progress(done, total)`` is called after every batch (``kg.progress`` shows it).

What this module does not do: query the remote store, or touch any graph but the target and
its temporary graph.
"""
from __future__ import annotations

import base64
import hashlib
import http.client
import re
import secrets
import socket
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import quote, unquote, urlencode, urlsplit, urlunsplit

from rdflib import BNode, Graph

DEFAULT_BATCH = 20000
TURTLE = "text/turtle; charset=utf-8"
FORM = "application/x-www-form-urlencoded"
# GSP URL path -> the same store's SPARQL Update endpoint (Virtuoso, GraphDB/RDF4J, Fuseki, Oxigraph)
_UPDATE_PATHS = [(r"/sparql-graph-crud-auth$", "/sparql-auth"), (r"/sparql-graph-crud$", "/sparql"),
                 (r"/rdf-graphs/service$", "/statements"), (r"/data$", "/update"), (r"^/store$", "/update")]


class PushError(Exception):
    """The server refused the graph or could not be reached; the message says what is stored."""


class _Failed(Exception):
    """One request failed; ``unknown``: it may have been applied (timeout, dropped connection)."""

    def __init__(self, cause: str, unknown: bool = False):
        super().__init__(cause)
        self.cause, self.unknown = cause, unknown


def read_triples(path: str | Path) -> list:
    """The triples of a Turtle file."""
    g = Graph()
    g.parse(str(path), format="turtle")
    return list(g)


def _ntriple(t) -> str:
    return " ".join(term.n3() for term in t) + " .\n"


def _batches(triples: Iterable, size: int) -> list[tuple[bytes, int]]:
    with_bnode, plain = [], []
    for t in triples:
        (with_bnode if any(isinstance(x, BNode) for x in t) else plain).append(_ntriple(t))
    plain.sort()
    out = [with_bnode] if with_bnode else []
    out += [plain[i:i + size] for i in range(0, len(plain), size)]
    return [("".join(b).encode("utf-8"), len(b)) for b in out] or [(b"", 0)]


def batches(triples: Iterable, size: int) -> list[bytes]:
    """N-Triples documents of at most ``size`` triples each; triples with a blank node all go
    in the first batch, so a node's blank-node label means one node (a build has none)."""
    return [doc for doc, _ in _batches(triples, size)]


def redact(url: str) -> str:
    """``url`` without its ``user:password@`` part, fit for a message."""
    return re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@", r"\1", url)


def split_credentials(endpoint: str) -> tuple[str, str | None, str | None]:
    """``(url without userinfo, user, password)`` of ``http://user:password@host/...``.

    >>> split_credentials("http://alice:s%40cret@127.0.0.1:8890/sparql-auth")
    ('http://127.0.0.1:8890/sparql-auth', 'alice', 's@cret')
    >>> split_credentials("http://127.0.0.1:8890/sparql")
    ('http://127.0.0.1:8890/sparql', None, None)
    """
    m = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*://)([^/?#]*)@", endpoint)
    if not m:
        return endpoint, None, None
    user, colon, password = m.group(2).partition(":")
    return redact(endpoint), unquote(user), unquote(password) if colon else None


def target_url(endpoint: str, graph: str | None) -> str:
    """The GSP URL of ``graph`` (``?graph=IRI``; Virtuoso's ``graph-uri`` too; ``?default``)."""
    parts = urlsplit(endpoint)
    if graph:
        extra = urlencode({"graph": graph, "graph-uri": graph}) if "virtuoso" in endpoint or \
            "graph-crud" in parts.path else urlencode({"graph": graph})
    else:
        extra = "default"
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def update_endpoint_for(endpoint: str) -> str | None:
    """The SPARQL Update URL of the store whose GSP URL is ``endpoint``, or None if unknown."""
    parts = urlsplit(endpoint)
    for pattern, replacement in _UPDATE_PATHS:
        if re.search(pattern, parts.path):
            path = re.sub(pattern, replacement, parts.path)
            return urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    return None


def temporary_graph(graph: str | None) -> str:
    """A fresh graph IRI beside ``graph`` (a random suffix, so concurrent pushes never share it)."""
    token = secrets.token_hex(8)
    return f"{graph}-kg-push-tmp-{token}" if graph else f"urn:kg-push-tmp:{token}"


class _Auth:
    """HTTP Basic or Digest credentials for one URL, answered up front: the challenge is fetched
    once with an empty request, so a large batch is never cut off by a 401 mid-upload."""

    def __init__(self, user: str, password: str):
        self.user, self.password, self.challenge, self.nc = user, password, None, 0

    def learn(self, header: str | None) -> None:
        if not header:
            raise _Failed("the server asked for credentials without saying how (no WWW-Authenticate)")
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


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A 3xx stays an error: following it would send the batch (and credentials) elsewhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


class _Client:
    """Requests to one store: credentials per URL, a timeout, and failures put in words."""

    def __init__(self, user: str | None, password: str | None, timeout: float):
        self.user, self.password, self.timeout, self.auths = user, password or "", timeout, {}

    def _open(self, url: str, method: str, body: bytes, ctype: str, auth: _Auth | None) -> None:
        headers = {"Content-Type": ctype, **(auth.header(method, url) if auth else {})}
        req = urllib.request.Request(url, data=body, method=method, headers=headers)
        with _OPENER.open(req, timeout=self.timeout) as resp:
            resp.read()

    def _auth_for(self, url: str, ctype: str) -> _Auth | None:
        """Fetch the server's challenge with an empty POST (which adds nothing), once per URL."""
        if url in self.auths:
            return self.auths[url]
        auth = _Auth(self.user, self.password) if self.user is not None else None
        try:
            self._open(url, "POST", b"", ctype, None)
        except urllib.error.HTTPError as exc:
            if exc.code == 401:
                if auth is None:
                    raise _Failed(self._http_cause(exc)) from exc
                auth.learn(exc.headers.get("WWW-Authenticate"))
            # any other refusal: the real request meets it and reports it
        except (OSError, http.client.HTTPException, ValueError) as exc:
            raise self._net_failure(exc) from exc
        self.auths[url] = auth
        return auth

    def send(self, url: str, method: str, body: bytes, ctype: str = TURTLE) -> None:
        """Send one request; raise ``_Failed`` unless the answer is a 2xx."""
        auth = self._auth_for(url, ctype)
        try:
            self._open(url, method, body, ctype, auth)
        except urllib.error.HTTPError as exc:
            raise _Failed(self._http_cause(exc)) from exc
        except (OSError, http.client.HTTPException, ValueError) as exc:
            raise self._net_failure(exc) from exc

    def _http_cause(self, exc: urllib.error.HTTPError) -> str:
        status = f"HTTP {exc.code} {exc.reason}"
        if 300 <= exc.code < 400:
            where = redact(exc.headers.get("Location") or "nowhere")
            return (f"{status}, a redirect to {where}, not followed (a redirect confirms nothing and "
                    "credentials go only to the URL given): give the final URL")
        said = exc.read().decode("utf-8", errors="replace").strip()[:300]
        hint = ""
        if exc.code == 401:
            hint = " (check --user and the password)" if self.user is not None else " (give --user)"
        return status + hint + (f": {' '.join(said.split())}" if said else "")

    def _net_failure(self, exc: BaseException) -> _Failed:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, (socket.timeout, TimeoutError)):
            return _Failed(f"no answer within {self.timeout:g} s", unknown=True)
        if isinstance(reason, (ConnectionResetError, BrokenPipeError, http.client.HTTPException)) \
                and not isinstance(reason, http.client.InvalidURL):
            return _Failed("the server closed the connection mid-request "
                           "(if it limits request size, try a smaller --batch-size)", unknown=True)
        return _Failed(f"cannot reach the server: {reason}")

    def scrub(self, text: str) -> str:
        """``text`` with the password (raw or percent-encoded) blanked out."""
        for secret in {self.password, quote(self.password, safe="")} - {""}:
            text = text.replace(secret, "***")
        return text


def _check_iri(graph: str | None) -> None:
    if graph is not None and (not graph or re.search(r'[\s<>"{}|^`\\]', graph) or ":" not in graph):
        raise PushError(f"--named-graph {graph!r}: not an absolute IRI")


def push(triples: Iterable, endpoint: str, graph: str | None = None, user: str | None = None,
         password: str | None = None, batch_size: int = DEFAULT_BATCH,
         progress: Callable[[int, int], None] | None = None, timeout: float = 120.0,
         update_endpoint: str | None = None, direct: bool = False) -> int:
    """Replace ``graph`` (None: the default graph) at the GSP service ``endpoint`` with ``triples``;
    returns the number of batches. Raises ``PushError`` saying what the target now holds."""
    url, url_user, url_password = split_credentials(endpoint)
    user = user if user is not None else url_user
    client = _Client(user, password if password is not None else url_password, timeout)
    try:
        if not url.lower().startswith(("http://", "https://")):
            raise PushError(f"{url}: not an http(s) URL")
        _check_iri(graph)
        docs = _batches(triples, max(1, batch_size))
        if len(docs) == 1 or direct:
            _push_direct(client, docs, url, graph, progress)
        else:
            upd = update_endpoint or update_endpoint_for(url)
            if upd is None:
                raise PushError(
                    f"{url}: no SPARQL Update endpoint is known for this store to move the batches "
                    f"over the target, so nothing was sent: give --update-endpoint URL, --direct, or "
                    f"--batch-size {sum(n for _, n in docs)} (one PUT)")
            _push_via_temporary(client, docs, url, graph, split_credentials(upd)[0], progress)
    except PushError as exc:
        raise PushError(client.scrub(str(exc))) from None
    return len(docs)


def _where(graph: str | None) -> str:
    return f"graph <{graph}>" if graph else "the default graph"


def _push_direct(client: _Client, docs: list, url: str, graph: str | None, progress) -> None:
    """Batches straight into the target: ``PUT`` then ``POST``s."""
    _send_batches(client, docs, url, target_url(url, graph), progress,
                  lambda i, f: _direct_state(graph, docs, i, f.unknown))


def _send_batches(client: _Client, docs: list, url: str, target: str, progress, state) -> None:
    """``PUT`` the first batch to ``target``, ``POST`` the rest; on a failure, a PushError naming
    the batch, its cause and ``state(i, failure)``: what the store holds then."""
    for i, (doc, _) in enumerate(docs):
        try:
            client.send(target, "PUT" if i == 0 else "POST", doc)
        except _Failed as f:
            raise PushError(f"batch {i + 1}/{len(docs)} to {url}: {f.cause}; {state(i, f)}") from None
        if progress:
            progress(i + 1, len(docs))


def _direct_state(graph: str | None, docs: list, failed: int, unknown: bool) -> str:
    """What the target holds when batch ``failed`` (0-based) of a direct push failed."""
    where, total = _where(graph), len(docs)
    if failed == 0:
        return (f"{where} is either as it was or replaced by batch 1 (the server may have applied it)"
                if unknown else f"{where} is as it was")
    stored = sum(n for _, n in docs[:failed])
    held = f"batch 1 of {total}" if failed == 1 else f"batches 1–{failed} of {total}"
    maybe = f", and perhaps some or all of batch {failed + 1}" if unknown else ""
    return f"{where} now holds {held} ({stored} triples){maybe}"


def _push_via_temporary(client: _Client, docs: list, url: str, graph: str | None, upd: str,
                        progress) -> None:
    """Batches into a fresh temporary graph, then one ``MOVE`` over the target."""
    tmp = temporary_graph(graph)
    tmp_url, where = target_url(url, tmp), _where(graph)
    _send_batches(client, docs, url, tmp_url, progress,
                  lambda i, f: f"{where} is as it was ({_drop(client, tmp_url, tmp)})")
    move = f"MOVE <{tmp}> TO {f'<{graph}>' if graph else 'DEFAULT'}"
    try:
        client.send(upd, "POST", urlencode({"update": move}).encode("ascii"), FORM)
    except _Failed as f:
        doing = f"all {len(docs)} batches stored in a temporary graph, but moving it over {where} at {upd}"
        if f.unknown:
            raise PushError(f"{doing}: {f.cause}; {where} holds either its old content or the new "
                            f"graph, and the temporary graph <{tmp}> may remain") from None
        raise PushError(f"{doing}: {f.cause}; {where} is as it was ({_drop(client, tmp_url, tmp)}); "
                        "give --update-endpoint URL, or --direct") from None


def _drop(client: _Client, tmp_url: str, tmp: str) -> str:
    """Drop the temporary graph by GSP ``DELETE``; say how that went."""
    try:
        client.send(tmp_url, "DELETE", b"")
    except _Failed as f:
        if f.cause.startswith("HTTP 404"):
            return "no temporary graph left"
        return f"the temporary graph <{tmp}> could not be dropped ({f.cause}): drop it by hand"
    return "temporary graph dropped"
