"""kg push: against a small fake Graph Store that the test runs on 127.0.0.1 (redirects, refusals,
dropped connections, timeouts, credentials), and against a real Virtuoso Open Source (Debian's
package, installed by .ci/run), started on free loopback ports in a temporary folder and stopped
at the end."""
from __future__ import annotations

import base64
import json
import os
import pty
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from rdflib import Graph
from typer.testing import CliRunner

from cli import app
from kg.outputs.push import PushError, batches, push, read_triples, redact, update_endpoint_for

ROOT = Path(__file__).resolve().parent.parent
GRAPH_TTL = ROOT / "output" / "graph.ttl"
INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
GRAPH_IRI = "https://w3id.org/kgpa/graph/test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _config(folder: Path, sql_port: int, http_port: int) -> Path:
    """Debian's virtuoso.ini with every file in ``folder`` and both ports on loopback."""
    section, out = "", []
    for line in INI.read_text(encoding="utf-8", errors="replace").splitlines():
        m = re.match(r"\s*\[(.+)\]", line)
        if m:
            section = m.group(1)
        key = line.split("=", 1)[0].strip()
        prefix = "temp-" if section == "TempDatabase" else ""
        if key in ("DatabaseFile", "ErrorLogFile", "LockFile", "TransactionFile", "xa_persistent_file"):
            name = Path(line.split("=", 1)[1].strip()).name
            line = f"{key} = {folder / (prefix + name)}"
        elif key == "ServerPort" and section == "Parameters":
            line = f"ServerPort = 127.0.0.1:{sql_port}"
        elif key == "ServerPort" and section == "HTTPServer":
            line = f"ServerPort = 127.0.0.1:{http_port}"
        out.append(line)
    ini = folder / "virtuoso.ini"
    ini.write_text("\n".join(out) + "\n", encoding="utf-8")
    return ini


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    if shutil.which("virtuoso-t") is None or not INI.is_file():
        if os.environ.get("CI"):
            raise RuntimeError("virtuoso-t is missing under CI: .ci/run installs virtuoso-opensource")
        pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource; .ci/run does it)")
    folder = tmp_path_factory.mktemp("virtuoso")
    http_port = _free_port()
    ini = _config(folder, _free_port(), http_port)
    proc = subprocess.run(["virtuoso-t", "+configfile", str(ini), "+wait"], cwd=folder,
                          capture_output=True, text=True, timeout=120)
    log = folder / "virtuoso.log"
    text = log.read_text(errors="replace") if log.is_file() else ""
    if proc.returncode != 0:
        raise RuntimeError(f"virtuoso-t did not start: {proc.stderr}\n{text[-2000:]}")
    pids = re.findall(r"pid (\d+)", text)
    try:
        yield f"http://127.0.0.1:{http_port}"
    finally:
        text = log.read_text(errors="replace") if log.is_file() else ""
        for pid in set(pids + re.findall(r"pid (\d+)", text)):
            try:
                os.kill(int(pid), signal.SIGTERM)
            except ProcessLookupError:
                pass


def _count(base: str, graph: str) -> int:
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    url = f"{base}/sparql?" + urllib.parse.urlencode({"query": q})
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        data = json.load(resp)
    return int(data["results"]["bindings"][0]["n"]["value"])


def _labels(base: str, graph: str) -> set[str]:
    q = (f"SELECT ?l WHERE {{ GRAPH <{graph}> {{ ?b a <https://w3id.org/kgpa/ontology#Body> ; "
         "<http://www.w3.org/2000/01/rdf-schema#label> ?l } }")
    url = f"{base}/sparql?" + urllib.parse.urlencode({"query": q})
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return {b["l"]["value"] for b in json.load(resp)["results"]["bindings"]}


def test_batches_cover_every_triple_once():
    triples = read_triples(GRAPH_TTL)
    docs = batches(triples, 1000)
    assert len(docs) == -(-len(triples) // 1000)
    back = Graph()
    for d in docs:
        back.parse(data=d.decode("utf-8"), format="turtle")
    assert len(back) == len(triples)


def test_push_in_batches_to_virtuoso(virtuoso):
    """Several batches go into a temporary graph, then MOVE (at /sparql-auth) puts it over the target."""
    triples = read_triples(GRAPH_TTL)
    crud = f"{virtuoso}/sparql-graph-crud-auth"
    push(triples[:7], crud, graph=GRAPH_IRI, user="dba", password="dba")        # old content, one PUT
    assert _count(virtuoso, GRAPH_IRI) == 7
    seen = []
    n = push(triples, crud, graph=GRAPH_IRI, user="dba", password="dba", batch_size=3000,
             progress=lambda done, total: seen.append((done, total)))
    assert n == -(-len(triples) // 3000) and n > 1
    assert seen[-1] == (n, n) and [d for d, _ in seen] == list(range(1, n + 1))
    assert _count(virtuoso, GRAPH_IRI) == len(triples)                          # replaced, not added to
    assert _graphs_like(virtuoso, GRAPH_IRI + "-kg-push-tmp-") == set()          # no temporary graph left
    g = Graph().parse(GRAPH_TTL, format="turtle")
    want = {str(r.l) for r in g.query("SELECT ?l WHERE { ?b a <https://w3id.org/kgpa/ontology#Body> ; "
                                      "<http://www.w3.org/2000/01/rdf-schema#label> ?l }")}
    assert want and _labels(virtuoso, GRAPH_IRI) == want          # Chinese labels intact
    # pushing again replaces the graph (one batch: a single PUT), it does not double it
    push(triples, crud, graph=GRAPH_IRI, user="dba", password="dba", batch_size=50000)
    assert _count(virtuoso, GRAPH_IRI) == len(triples)


def test_failed_move_on_virtuoso_leaves_the_target(virtuoso):
    """An update endpoint that refuses the MOVE: the target keeps its content, the temporary graph
    is dropped by GSP DELETE."""
    triples = read_triples(GRAPH_TTL)
    crud, iri = f"{virtuoso}/sparql-graph-crud-auth", GRAPH_IRI + "/move"
    push(triples[:5], crud, graph=iri, user="dba", password="dba")
    with pytest.raises(PushError) as err:
        push(triples[:30], crud, graph=iri, user="dba", password="dba", batch_size=10,
             update_endpoint=f"{virtuoso}/no-such-update")
    assert "HTTP 404" in str(err.value) and f"graph <{iri}> is as it was (temporary graph dropped)" in str(err.value)
    assert _count(virtuoso, iri) == 5
    assert _graphs_like(virtuoso, iri + "-kg-push-tmp-") == set()


def test_refusal_is_a_clear_error(virtuoso):
    triples = read_triples(GRAPH_TTL)[:10]
    with pytest.raises(PushError, match=r"HTTP 401.*--user"):
        push(triples, f"{virtuoso}/sparql-graph-crud-auth", graph=GRAPH_IRI)
    with pytest.raises(PushError, match="HTTP 401"):
        push(triples, f"{virtuoso}/sparql-graph-crud-auth", graph=GRAPH_IRI, user="dba", password="wrong")


def test_unreachable_server_is_a_clear_error():
    with pytest.raises(PushError, match=r"^batch 1/1 to .*: cannot reach the server: .*; graph <.*> is as it was$"):
        push(read_triples(GRAPH_TTL)[:5], f"http://127.0.0.1:{_free_port()}/store", graph=GRAPH_IRI)


def test_cli_push(virtuoso, monkeypatch):
    monkeypatch.setenv("KG_PASSWORD", "dba")
    res = CliRunner().invoke(app, ["push", "--endpoint", f"{virtuoso}/sparql-graph-crud-auth",
                                   "--named-graph", GRAPH_IRI + "/cli", "--user", "dba",
                                   "--graph", str(GRAPH_TTL), "--batch-size", "4000"])
    assert res.exit_code == 0, res.output
    assert "batches" in res.output and "every batch confirmed" in res.output
    assert _count(virtuoso, GRAPH_IRI + "/cli") == len(read_triples(GRAPH_TTL))
    res = CliRunner().invoke(app, ["push", "--endpoint", f"{virtuoso}/sparql-graph-crud-auth",
                                   "--named-graph", GRAPH_IRI, "--graph", str(GRAPH_TTL)])
    assert res.exit_code == 1 and "HTTP 401" in res.output


def _graphs_like(base: str, prefix: str) -> set[str]:
    q = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), {json.dumps(prefix)})) }}"
    url = f"{base}/sparql?" + urllib.parse.urlencode({"query": q})
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return {b["g"]["value"] for b in json.load(resp)["results"]["bindings"]}


# --- a fake Graph Store on 127.0.0.1 --------------------------------------------------------------

TARGET = "http://example.org/target"
OLD = {"<http://example.org/old> <http://example.org/p> \"old\" ."}
SECRET = "s3cret-Pw"


def _small_triples(n: int) -> list:
    g = Graph()
    g.parse(data="".join(f"<http://example.org/s{i}> <http://example.org/p> \"{i}\" .\n" for i in range(n)),
            format="nt")
    return list(g)


class FakeStore:
    """GSP at /store (?graph=IRI or ?default), SPARQL Update MOVE at /update, Basic auth when
    ``user`` is set; ``fault`` ("redirect", "500", "drop", "slow": 8 s) hits the data-bearing request
    number ``fault_at`` (1-based) to the path ``fault_path``. A second listener ("elsewhere")
    records whatever reaches it."""

    def __init__(self, user=None, password=None, fault=None, fault_at=2, fault_path="/store"):
        self.user, self.password = user, password
        self.fault, self.fault_at, self.fault_path = fault, fault_at, fault_path
        self.graphs = {TARGET: set(OLD)}
        self.requests, self.elsewhere, self.counts = [], [], {}
        self.servers = []

    def start(self):
        self.port = self._serve(self._handler())
        self.other = self._serve(self._recorder())
        return self

    def stop(self):
        for server in self.servers:
            server.shutdown()
            server.server_close()

    def _serve(self, handler) -> int:
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads, server.block_on_close = True, False
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
        self.servers.append(server)
        return server.server_address[1]

    def _recorder(self):
        store = self

        class Recorder(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def _any(self):
                store.elsewhere.append((self.command, self.path, dict(self.headers)))
                self.send_response(204)
                self.end_headers()
            do_GET = do_PUT = do_POST = do_DELETE = _any
        return Recorder

    def _handler(self):
        store = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def _answer(self, code, text="", headers=()):
                body = text.encode()
                self.send_response(code)
                for k, v in headers:
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _any(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                store.requests.append((self.command, self.path, dict(self.headers)))
                if store.user is not None:
                    token = base64.b64encode(f"{store.user}:{store.password}".encode()).decode()
                    if self.headers.get("Authorization") != f"Basic {token}":
                        return self._answer(401, "who are you", [("WWW-Authenticate", 'Basic realm="fake"')])
                url = urllib.parse.urlsplit(self.path)
                if body:
                    n = store.counts[url.path] = store.counts.get(url.path, 0) + 1
                    if store.fault and url.path == store.fault_path and n == store.fault_at:
                        return self._fault(url)
                if url.path == "/update":
                    return self._update(body)
                q = urllib.parse.parse_qs(url.query, keep_blank_values=True)
                graph = q["graph"][0] if "graph" in q else ""
                lines = set(body.decode().splitlines()) - {""}
                if self.command == "PUT":
                    store.graphs[graph] = lines
                elif self.command == "POST":
                    store.graphs.setdefault(graph, set()).update(lines)
                elif self.command == "DELETE" and store.graphs.pop(graph, None) is None:
                    return self._answer(404, "no such graph")
                self._answer(204)
            do_PUT = do_POST = do_DELETE = _any

            def _fault(self, url):
                if store.fault == "redirect":
                    where = f"http://127.0.0.1:{store.other}{self.path}"
                    return self._answer(302, "", [("Location", where)])
                if store.fault == "500":
                    return self._answer(500, "disk on fire")
                if store.fault == "slow":
                    time.sleep(8)
                    try:
                        return self._answer(204)
                    except OSError:                     # kg push gave up long ago
                        return None
                self.close_connection = True            # "drop": no answer at all

            def _update(self, body):
                text = urllib.parse.parse_qs(body.decode()).get("update", [""])[0]
                m = re.fullmatch(r"MOVE <([^>]+)> TO (?:<([^>]+)>|DEFAULT)", text)
                if not m or m.group(1) not in store.graphs:
                    return self._answer(400, "bad update")
                store.graphs[m.group(2) or ""] = store.graphs.pop(m.group(1))
                self._answer(204)
        return Handler


@pytest.fixture
def fake(request):
    stores = []

    def make(**kw):
        store = FakeStore(**kw).start()
        stores.append(store)
        return store
    yield make
    for store in stores:
        store.stop()


def _cli(args, env=None):
    return CliRunner().invoke(app, ["push", *args], env=env or {})


def _err(res) -> str:
    """The one error line on stderr (after the progress bar's lines)."""
    lines = res.stderr.strip().splitlines()
    assert lines and [ln for ln in lines if not ln.startswith("[")] == lines[-1:], res.stderr
    return lines[-1]


def _ttl(tmp_path, n) -> Path:
    path = tmp_path / "g.ttl"
    path.write_text("".join(f"<http://example.org/s{i}> <http://example.org/p> \"{i}\" .\n" for i in range(n)))
    return path


def test_redirect_is_refused_and_gets_no_credentials(fake, tmp_path):
    store = fake(user="alice", password=SECRET, fault="redirect")
    res = _cli(["--endpoint", f"http://127.0.0.1:{store.port}/store", "--named-graph", TARGET, "--user", "alice",
                "--graph", str(_ttl(tmp_path, 25)), "--batch-size", "10"], env={"KG_PASSWORD": SECRET})
    assert res.exit_code == 1
    line = _err(res)
    assert line.startswith(f"error: batch 2/3 to http://127.0.0.1:{store.port}/store: HTTP 302 Found, a redirect to "
                           f"http://127.0.0.1:{store.other}/store?graph=")
    assert line.endswith(f"graph <{TARGET}> is as it was (temporary graph dropped)") and "\n" not in line
    assert store.elsewhere == []                                   # nothing followed the redirect
    assert store.graphs == {TARGET: OLD}                            # target untouched, no temporary graph
    assert SECRET not in res.output


def test_server_error_on_batch_2_leaves_the_target(fake, tmp_path):
    store = fake(fault="500")
    res = _cli(["--endpoint", f"http://127.0.0.1:{store.port}/store", "--named-graph", TARGET,
                "--graph", str(_ttl(tmp_path, 25)), "--batch-size", "10"])
    assert res.exit_code == 1
    assert _err(res) == (f"error: batch 2/3 to http://127.0.0.1:{store.port}/store: HTTP 500 Internal "
                                  f"Server Error: disk on fire; graph <{TARGET}> is as it was (temporary graph dropped)")
    assert store.graphs == {TARGET: OLD}
    assert "pushed" not in res.output


def test_dropped_connection_and_timeout_name_the_batch(fake):
    triples = _small_triples(25)
    store = fake(fault="drop")
    with pytest.raises(PushError) as err:
        push(triples, f"http://127.0.0.1:{store.port}/store", graph=TARGET, batch_size=10)
    assert str(err.value) == (f"batch 2/3 to http://127.0.0.1:{store.port}/store: the server closed the connection "
                              "mid-request (if it limits request size, try a smaller --batch-size); "
                              f"graph <{TARGET}> is as it was (temporary graph dropped)")
    assert store.graphs == {TARGET: OLD}
    store = fake(fault="slow", fault_at=3)
    started = time.monotonic()
    with pytest.raises(PushError, match=r"^batch 3/3 to .*: no answer within 2 s; graph <.*> is as it was "
                                        r"\(temporary graph dropped\)$"):
        push(triples, f"http://127.0.0.1:{store.port}/store", graph=TARGET, batch_size=10, timeout=2)
    assert time.monotonic() - started < 7                           # the store would take 8 s
    assert store.graphs == {TARGET: OLD}


def test_every_batch_lands_then_one_move(fake):
    store = fake(user="alice", password=SECRET)
    seen = []
    n = push(_small_triples(25), f"http://127.0.0.1:{store.port}/store", graph=TARGET, user="alice",
             password=SECRET, batch_size=10, progress=lambda d, t: seen.append((d, t)))
    assert n == 3 and seen == [(1, 3), (2, 3), (3, 3)]
    assert set(store.graphs) == {TARGET} and len(store.graphs[TARGET]) == 25
    moves = [p for m, p, _ in store.requests if p == "/update"]
    assert len(moves) == 2                                          # the auth probe and the MOVE
    assert update_endpoint_for(f"http://127.0.0.1:{store.port}/store") == f"http://127.0.0.1:{store.port}/update"


def test_failed_move_leaves_the_target(fake):
    store = fake(fault="500", fault_at=1, fault_path="/update")
    with pytest.raises(PushError) as err:
        push(_small_triples(25), f"http://127.0.0.1:{store.port}/store", graph=TARGET, batch_size=10)
    upd = f"http://127.0.0.1:{store.port}/update"
    assert str(err.value) == (f"all 3 batches stored in a temporary graph, but moving it over graph <{TARGET}> at "
                              f"{upd}: HTTP 500 Internal Server Error: disk on fire; graph <{TARGET}> is as it was "
                              "(temporary graph dropped); give --update-endpoint URL, or --direct")
    assert store.graphs == {TARGET: OLD}


def test_direct_push_says_what_the_target_holds(fake):
    store = fake(fault="500", fault_at=3)
    with pytest.raises(PushError) as err:
        push(_small_triples(25), f"http://127.0.0.1:{store.port}/store", graph=TARGET, batch_size=10, direct=True)
    assert str(err.value).endswith(f"graph <{TARGET}> now holds batches 1–2 of 3 (20 triples)")
    assert len(store.graphs[TARGET]) == 20 and not store.graphs[TARGET] & OLD


def test_no_update_endpoint_sends_nothing(fake):
    store = fake()
    with pytest.raises(PushError, match=r"no SPARQL Update endpoint is known .* nothing was sent: .*--batch-size 25"):
        push(_small_triples(25), f"http://127.0.0.1:{store.port}/elsewhere/gsp", graph=TARGET, batch_size=10)
    assert store.requests == []
    push(_small_triples(5), f"http://127.0.0.1:{store.port}/store", graph=TARGET, batch_size=10)
    assert [m for m, p, _ in store.requests if m != "POST"] == ["PUT"]   # one batch: one PUT to the target
    assert len(store.graphs[TARGET]) == 5


def test_password_from_environment_never_printed(fake, tmp_path):
    store = fake(user="alice", password=SECRET)
    ttl = _ttl(tmp_path, 25)
    res = _cli(["--endpoint", f"http://127.0.0.1:{store.port}/store", "--named-graph", TARGET, "--user", "alice",
                "--graph", str(ttl), "--batch-size", "10"], env={"KG_PASSWORD": SECRET})
    assert res.exit_code == 0, res.output
    assert "pushed 25 triples in 3 batches" in res.stdout and SECRET not in res.output
    assert len(store.graphs[TARGET]) == 25
    res = _cli(["--endpoint", f"http://127.0.0.1:{store.port}/store", "--user", "alice", "--graph", str(ttl)],
               env={"KG_PASSWORD": "wrong"})
    assert res.exit_code == 1 and "HTTP 401 Unauthorized (check --user and the password)" in res.stderr
    res = _cli(["--endpoint", f"http://127.0.0.1:{store.port}/store", "--user", "alice", "--graph", str(ttl)],
               env={"KG_PASSWORD": ""})
    assert res.exit_code == 2 and _err(res) == (
        "error: no password for alice: set KG_PASSWORD (or run in a terminal to be asked)")
    res = _cli(["--endpoint", f"http://127.0.0.1:{store.port}/store", "--user", "alice", "--password", SECRET,
                "--graph", str(ttl)])
    assert res.exit_code == 2 and SECRET not in res.output and "KG_PASSWORD" in res.stderr


def test_credentials_in_the_url_are_used_and_never_printed(fake, tmp_path):
    store = fake(user="alice", password=SECRET, fault="500")
    endpoint = f"http://alice:{urllib.parse.quote(SECRET)}@127.0.0.1:{store.port}/store"
    res = _cli(["--endpoint", endpoint, "--named-graph", TARGET, "--graph", str(_ttl(tmp_path, 25)), "--batch-size", "10"])
    assert res.exit_code == 1 and _err(res).startswith(f"error: batch 2/3 to http://127.0.0.1:{store.port}/store:")
    assert SECRET not in res.output and "alice" not in res.output
    assert redact(endpoint) == f"http://127.0.0.1:{store.port}/store"
    res = _cli(["--endpoint", f"ftp://alice:{SECRET}@127.0.0.1/x", "--graph", str(_ttl(tmp_path, 1))])
    assert res.exit_code == 1 and _err(res) == "error: ftp://127.0.0.1/x: not an http(s) URL"


def test_password_prompt_is_hidden(fake, tmp_path):
    """Without KG_PASSWORD, on a terminal, kg push asks; what is typed is not echoed."""
    store = fake(user="alice", password=SECRET)
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "KG_PASSWORD"}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "push", "--endpoint",
                             f"http://127.0.0.1:{store.port}/store", "--user", "alice", "--graph", str(_ttl(tmp_path, 3))],
                            stdin=slave, stdout=slave, stderr=slave, start_new_session=True, env=env, cwd=tmp_path)
    os.close(slave)
    seen, typed, deadline = b"", False, time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:                         # the child closed the terminal
                    break
                if not chunk:
                    break
                seen += chunk
            # click writes "password for alice:", then getpass turns echo off and writes " "
            if not typed and b"password for alice: " in seen:
                os.write(master, SECRET.encode() + b"\n")
                typed = True
            if proc.poll() is not None and not ready:
                break
        assert proc.wait(timeout=10) == 0, seen
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        os.close(master)
    assert typed and b"pushed 3 triples" in seen and SECRET.encode() not in seen
    assert len(store.graphs[""]) == 3


def test_graph_is_the_file_and_an_iri_there_points_to_named_graph(fake, tmp_path):
    """`--graph` is the Turtle file, as in every kg command; the old `--graph IRI` gets one line."""
    res = _cli(["--endpoint", "http://127.0.0.1:9/store", "--graph", "https://example.org/kgpa"])
    assert res.exit_code == 2 and res.stderr.strip() == (
        "error: --graph https://example.org/kgpa: --graph is now the Turtle file to send (as in every kg "
        "command); give the named graph's IRI as --named-graph IRI")
    res = _cli(["--endpoint", "http://127.0.0.1:9/store", "--graph", str(tmp_path / "none.ttl")])
    assert res.exit_code == 2 and res.stderr.strip() == f"error: {tmp_path / 'none.ttl'}: no such graph file; run `kg build` first"
    store = fake()
    res = _cli(["--endpoint", f"http://127.0.0.1:{store.port}/store", "--named-graph", TARGET,
                "--graph", str(_ttl(tmp_path, 25)), "--batch-size", "10"])
    assert res.exit_code == 0, res.output
    assert res.stderr.splitlines() == ["[1/3] batches", "[2/3] batches", "[3/3] batches"]   # no terminal: plain lines
    assert len(store.graphs[TARGET]) == 25
