"""kg serve under attack, against real `kg serve` processes on 127.0.0.1: malformed and oversized
requests, idle connections, DNS rebinding, CORS, federation, runaway queries (killed, others
answered meanwhile), the same bytes as `kg query`, many clients at once."""
from __future__ import annotations

import http.client
import http.server
import importlib.util
import os
import signal
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from typer.testing import CliRunner

from cli import app
from kg.graph.storeload import load_build
from serve_proc import GRAPH_TTL, ROOT, cpu_ticks, start_serve, wait_until

PROBE = "SELECT (COUNT(*) AS ?n) WHERE { ?s a kg:Body }"
PATH = "SELECT (COUNT(*) AS ?n) WHERE { ?s ((<http://x/a>|!<http://x/a>)*/(<http://x/a>|!<http://x/a>)*)* ?o }"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
OXI_RUNAWAYS = [PATH, CARTESIAN, CARTESIAN + " # 2",   # Oxigraph's regex is linear: no (a+)+$ here
                "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"]
RUNAWAYS = {   # four queries that each run far past the limit on that store (--graph: Oxigraph in memory)
    "memory": OXI_RUNAWAYS,
    "oxigraph": OXI_RUNAWAYS,
}


@pytest.fixture(scope="module")
def oxi_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("oxi")
    load_build(GRAPH_TTL, folder)
    return folder


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def served(request, oxi_dir):
    where = ["--graph", str(GRAPH_TTL)] if request.param == "memory" else ["--store", str(oxi_dir)]
    s = start_serve(*where, "--timeout", "2", "--workers", "6")
    s.kind = request.param
    yield s
    s.stop()


def get(base, query, accept=None, fmt=None, headers=None, timeout=30):
    """(status, headers, body) of a GET /sparql."""
    params = {"query": query, **({"format": fmt} if fmt else {})}
    req = urllib.request.Request(f"{base}/sparql?" + urllib.parse.urlencode(params),
                                 headers={**({"Accept": accept} if accept else {}), **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def raw(port: int, data: bytes, wait: float = 10) -> bytes:
    """Send bytes on a fresh connection; everything the server sends until it closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as c:
        c.sendall(data)
        out = b""
        while True:
            try:
                chunk = c.recv(65536)
            except socket.timeout:
                return out
            if not chunk:
                return out
            out += chunk


# --- item 1: the HTTP stack ---------------------------------------------------------------------

@pytest.mark.parametrize("length", [b"abc", b"-1", b"1, 2"])
def test_malformed_content_length_gets_400(served, length):
    head = (b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: %s\r\n\r\nASK {}" % (served.port, length))
    assert raw(served.port, head).startswith(b"HTTP/1.1 400")


def test_chunked_body_keeps_the_connection_in_step(served):
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=20)
    body = iter([b"SELECT (COUNT(*) AS ?n) ", b"WHERE { ?s a kg:Body }"])
    conn.request("POST", "/sparql", body=body, encode_chunked=True,
                 headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    first = conn.getresponse()
    assert first.status == 200 and first.read().startswith(b"n\r\n")
    conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}), headers={"Accept": "text/csv"})
    second = conn.getresponse()
    assert second.status == 200 and second.read() == b"_askResult\r\ntrue\r\n"
    conn.close()


def test_body_over_the_limit_gets_413(served):
    head = (b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: %d\r\n\r\n" % (served.port, 50 << 20))
    assert raw(served.port, head).startswith(b"HTTP/1.1 413")


def test_idle_and_half_sent_connections_are_closed(served):
    t = time.monotonic()
    got = {}
    threads = [threading.Thread(target=lambda d=d: got.update({d: raw(served.port, d, wait=20)}))
               for d in (b"", b"GET /sparql?query=ASK HTTP/1.1\r\nHost: 127")]   # nothing; a head that never ends
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert list(got.values()) == [b"", b""]
    assert time.monotonic() - t < 12       # closed after 5 s (uvicorn's keep-alive time), not 20


def test_a_crashed_worker_is_a_500_and_replaced(served):
    before = set(served.workers())
    out = {}
    t = threading.Thread(target=lambda: out.update(r=get(served.base, CARTESIAN + " # crash")))
    t.start()
    busy = _busy_workers(served, 1)
    os.kill(busy[0], signal.SIGKILL)
    t.join(10)
    assert out["r"][0] == 500 and b"ended without answering" in out["r"][2]
    assert wait_until(lambda: len(served.workers()) == 6 and busy[0] not in served.workers(), 3)
    assert set(served.workers()) != before
    assert get(served.base, PROBE)[0] == 200


# --- item 2: what a query may do ------------------------------------------------------------------

def test_one_line_prefix_construct_is_a_construct(served):
    q = "PREFIX ex: <http://example.org/ns#> CONSTRUCT { ?b rdfs:label ?l } WHERE { ?b a kg:Body ; rdfs:label ?l }"
    status, headers, body = get(served.base, q)
    assert status == 200 and headers["Content-Type"].startswith("text/turtle") and b"rdfs:label" in body


@pytest.fixture
def listener():
    """A plain HTTP server on 127.0.0.1 that counts the requests it gets (a federation target)."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            body = b'{"head": {"vars": ["s"]}, "results": {"bindings": []}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/x", hits
    server.shutdown()
    server.server_close()


def test_service_is_refused_and_nothing_is_fetched(served, listener):
    url, hits = listener
    for q in (f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
              f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }} }} LIMIT 1",
              f"ASK {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}"):
        status, _, body = get(served.base, q)
        assert status == 400 and b"--allow-federation" in body
    time.sleep(0.3)
    assert hits == []


def test_foreign_host_is_refused_and_no_cors_by_default(served):
    port = served.port
    for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1.nip.io:{port}", f"127.0.0.1:{port + 1}"):
        assert get(served.base, PROBE, headers={"Host": host})[0] == 403, host
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"):
        status, headers, _ = get(served.base, PROBE, headers={"Host": host, "Origin": "https://evil.example"})
        assert status == 200 and "Access-Control-Allow-Origin" not in headers, host


def test_cors_and_federation_when_asked(listener):
    url, hits = listener
    s = start_serve("--graph", str(GRAPH_TTL), "--workers", "2", "--cors", "https://app.example",
                    "--allow-federation")
    try:
        status, headers, _ = get(s.base, PROBE, headers={"Origin": "https://app.example"})
        assert status == 200 and headers["Access-Control-Allow-Origin"] == "https://app.example"
        status, _, _ = get(s.base, f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
        assert status == 200 and len(hits) == 1
    finally:
        s.stop()


# --- item 3: runaway queries ----------------------------------------------------------------------

def _busy_workers(served, n: int, seconds: float = 10) -> list[int]:
    """The worker processes burning CPU, once at least ``n`` are."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        before = {p: cpu_ticks(p) for p in served.workers()}
        time.sleep(0.3)
        busy = [p for p, t in before.items() if t is not None and (cpu_ticks(p) or t) - t >= 3]
        if len(busy) >= n:
            return busy
    pytest.fail(f"fewer than {n} workers got busy")


def test_runaways_are_killed_and_others_answered(served):
    answers = {}
    threads = [threading.Thread(target=lambda i=i, q=q: answers.update({i: get(served.base, q)}))
               for i, q in enumerate(RUNAWAYS[served.kind])]
    for t in threads:
        t.start()
    busy = _busy_workers(served, 4)
    t0 = time.monotonic()
    status, _, body = get(served.base, PROBE + " # while runaways run", accept="text/csv", timeout=10)
    took = time.monotonic() - t0
    assert status == 200 and int(body.split()[1]) > 0
    assert took < 1.5, f"probe answered in {took:.2f} s while four runaway queries ran"
    for t in threads:
        t.join(30)
    assert [answers[i][0] for i in range(4)] == [503] * 4
    done = time.monotonic()
    assert wait_until(lambda: all(cpu_ticks(p) is None for p in busy), 2.0), "runaway workers still alive"
    assert time.monotonic() - done < 2.0
    t0 = time.monotonic()
    assert get(served.base, PROBE + " # after", timeout=10)[0] == 200 and time.monotonic() - t0 < 1.5
    assert len(served.workers()) == 6


# --- item 4: one table of formats ----------------------------------------------------------------

SELECT_Q = ('SELECT ?b ?l (42 AS ?n) (3.5 AS ?d) ("two\\nlines, \\"quoted\\"\\ttab" AS ?s) '
            "WHERE { ?b a kg:Body ; rdfs:label ?l } ORDER BY ?l ?b LIMIT 8")
CONSTRUCT_Q = "CONSTRUCT { ?b rdfs:label ?l ; kg:n 42 } WHERE { ?b a kg:Body ; rdfs:label ?l }"


@pytest.mark.parametrize("query,fmt", [(SELECT_Q, f) for f in ("csv", "tsv", "json", "xml")]
                         + [(CONSTRUCT_Q, f) for f in ("ttl", "nt")] + [("ASK { ?s a kg:Body }", "tsv")])
def test_kg_query_and_sparql_give_the_same_bytes(served, oxi_dir, query, fmt):
    where = ["--graph", str(GRAPH_TTL)] if served.kind == "memory" else ["--store", str(oxi_dir)]
    r = CliRunner().invoke(app, ["query", query, *where, "--format", fmt])
    assert r.exit_code == 0, r.output
    status, _, body = get(served.base, query, fmt=fmt)
    assert status == 200 and body == r.stdout_bytes
    assert len(body) > 15


# --- item 5: many clients -----------------------------------------------------------------------

def test_many_clients_no_error(served):
    spec = importlib.util.spec_from_file_location("serve_bench", ROOT / "bench" / "serve_bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    latencies, errors = bench.run_clients("127.0.0.1", served.port, clients=30, per_client=5)
    assert errors == [] and len(latencies) == 150
