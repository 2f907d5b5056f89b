"""kg push against a real Virtuoso Open Source (Debian's package, installed by .ci/run), started
by the test on free loopback ports in a temporary folder and stopped at the end."""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph

from kg.push import PushError, batches, push, read_triples

ROOT = Path(__file__).resolve().parent.parent
GRAPH_TTL = ROOT / "output" / "graph.ttl"
INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
GRAPH_IRI = "https://w3id.org/kgpa/graph/test"

if shutil.which("virtuoso-t") is None or not INI.is_file():
    if os.environ.get("CI"):
        raise RuntimeError("virtuoso-t is missing under CI: .ci/run installs virtuoso-opensource")
    pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource; .ci/run does it)",
                allow_module_level=True)


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
    triples = read_triples(GRAPH_TTL)
    seen = []
    n = push(triples, f"{virtuoso}/sparql-graph-crud-auth", graph=GRAPH_IRI, user="dba",
             password="dba", batch_size=3000, progress=lambda done, total: seen.append((done, total)))
    assert n == -(-len(triples) // 3000) and n > 1
    assert seen[-1] == (n, n) and [d for d, _ in seen] == list(range(1, n + 1))
    assert _count(virtuoso, GRAPH_IRI) == len(triples)
    g = Graph().parse(GRAPH_TTL, format="turtle")
    want = {str(r.l) for r in g.query("SELECT ?l WHERE { ?b a <https://w3id.org/kgpa/ontology#Body> ; "
                                      "<http://www.w3.org/2000/01/rdf-schema#label> ?l }")}
    assert want and _labels(virtuoso, GRAPH_IRI) == want          # Chinese labels intact
    # pushing again replaces the graph (first batch is a PUT), it does not double it
    push(triples, f"{virtuoso}/sparql-graph-crud-auth", graph=GRAPH_IRI, user="dba",
         password="dba", batch_size=50000)
    assert _count(virtuoso, GRAPH_IRI) == len(triples)


def test_refusal_is_a_clear_error(virtuoso):
    triples = read_triples(GRAPH_TTL)[:10]
    with pytest.raises(PushError, match=r"HTTP 401.*--user"):
        push(triples, f"{virtuoso}/sparql-graph-crud-auth", graph=GRAPH_IRI)
    with pytest.raises(PushError, match="HTTP 401"):
        push(triples, f"{virtuoso}/sparql-graph-crud-auth", graph=GRAPH_IRI, user="dba", password="wrong")


def test_unreachable_server_is_a_clear_error():
    with pytest.raises(PushError, match="cannot reach"):
        push(read_triples(GRAPH_TTL)[:5], f"http://127.0.0.1:{_free_port()}/store", graph=GRAPH_IRI)


def test_cli_push(virtuoso, tmp_path):
    from typer.testing import CliRunner

    from cli import app

    res = CliRunner().invoke(app, ["push", "--endpoint", f"{virtuoso}/sparql-graph-crud-auth",
                                   "--graph", GRAPH_IRI + "/cli", "--user", "dba", "--password", "dba",
                                   "--from", str(GRAPH_TTL), "--batch-size", "4000"])
    assert res.exit_code == 0, res.output
    assert "batches" in res.output
    assert _count(virtuoso, GRAPH_IRI + "/cli") == len(read_triples(GRAPH_TTL))
    res = CliRunner().invoke(app, ["push", "--endpoint", f"{virtuoso}/sparql-graph-crud-auth",
                                   "--graph", GRAPH_IRI, "--from", str(GRAPH_TTL)])
    assert res.exit_code == 1 and "HTTP 401" in res.output
