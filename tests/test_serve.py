"""kg serve: a SPARQL 1.1 Protocol endpoint, queried with SPARQLWrapper (a client nobody here
wrote) on a real `kg serve` process on a free loopback port, over both stores."""
from __future__ import annotations

import functools
import json
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, JSONLD, POST, TSV, TURTLE, XML, SPARQLWrapper

from kg.graph.storeload import load_build
from serve_proc import GRAPH_TTL, run_kg, start_serve

BODIES = "SELECT ?b ?l WHERE { ?b a kg:Body ; rdfs:label ?l } ORDER BY ?l"
LABELS = "CONSTRUCT { ?b rdfs:label ?l } WHERE { ?b a kg:Body ; rdfs:label ?l }"


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def endpoint(request, tmp_path_factory):
    if request.param == "memory":
        where = ["--graph", str(GRAPH_TTL)]
    else:
        folder = tmp_path_factory.mktemp("oxi")
        load_build(GRAPH_TTL, folder)
        where = ["--store", str(folder)]
    served = start_serve(*where, "--timeout", "5", "--max-rows", "50", "--workers", "4")
    yield served.base
    served.stop()


@functools.lru_cache(maxsize=1)
def expected_bodies():
    g = Graph().parse(GRAPH_TTL, format="turtle")
    return sorted(str(r.l) for r in g.query(
        "SELECT ?l WHERE { ?b a <https://w3id.org/kgpa/ontology#Body> ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?l }"))


def _wrapper(base, query, fmt, method="GET"):
    w = SPARQLWrapper(f"{base}/sparql")
    w.setQuery(query)
    w.setReturnFormat(fmt)
    w.setMethod(method)
    return w


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_select_json_by_get_and_post(endpoint, method):
    res = _wrapper(endpoint, BODIES, JSON, method).query()
    assert res.response.headers["Content-Type"].startswith("application/sparql-results+json")
    data = res.convert()
    labels = [b["l"]["value"] for b in data["results"]["bindings"]]
    assert labels == sorted(labels) and sorted(labels) == expected_bodies()
    assert data["results"]["bindings"][0]["l"]["xml:lang"] == "zh"


def test_sparql_query_body(endpoint):
    req = urllib.request.Request(f"{endpoint}/sparql", data=BODIES.encode("utf-8"), method="POST",
                                 headers={"Content-Type": "application/sparql-query",
                                          "Accept": "text/csv"})
    with urllib.request.urlopen(req) as resp:
        lines = resp.read().decode("utf-8").splitlines()
    assert lines[0] == "b,l" and sorted(ln.split(",")[1] for ln in lines[1:]) == expected_bodies()


def test_xml_csv_tsv(endpoint):
    xml = _wrapper(endpoint, BODIES, XML).query().convert()
    assert sorted(n.firstChild.data for n in xml.getElementsByTagName("literal")) == expected_bodies()
    csv_text = _wrapper(endpoint, BODIES, CSV).query().convert().decode("utf-8")
    assert len(csv_text.strip().splitlines()) == len(expected_bodies()) + 1
    tsv = _wrapper(endpoint, BODIES, TSV).query().convert().decode("utf-8").splitlines()
    assert tsv[0] == "?b\t?l" and tsv[1].startswith("<https://w3id.org/kgpa/id/body/") and '"@zh' in tsv[1]


@pytest.mark.parametrize("fmt,accept,parse_as", [
    (TURTLE, "text/turtle", "turtle"), (JSONLD, "application/ld+json", "json-ld"),
    (None, "application/n-triples", "nt")])
def test_graph_formats(endpoint, fmt, accept, parse_as):
    url = f"{endpoint}/sparql?" + urllib.parse.urlencode({"query": LABELS})
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept})) as resp:
        assert resp.headers["Content-Type"].startswith(accept)
        g = Graph().parse(data=resp.read().decode("utf-8"), format=parse_as)
    assert sorted(str(o) for o in g.objects()) == expected_bodies()
    if fmt:
        assert len(_wrapper(endpoint, LABELS, fmt).query().convert()) > 0


def test_ask(endpoint):
    assert _wrapper(endpoint, "ASK { ?b a kg:Body }", JSON).query().convert()["boolean"] is True


def test_update_refused(endpoint):
    w = SPARQLWrapper(f"{endpoint}/sparql", updateEndpoint=f"{endpoint}/sparql")
    w.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    w.setMethod(POST)
    with pytest.raises(urllib.error.HTTPError) as err:
        w.query()
    assert err.value.code == 403
    req = urllib.request.Request(f"{endpoint}/sparql", data=b"DELETE WHERE { ?s ?p ?o }", method="POST",
                                 headers={"Content-Type": "application/sparql-update"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req)
    assert err.value.code == 403
    # an update smuggled in as a query does not parse as one
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"{endpoint}/sparql?" + urllib.parse.urlencode({"query": "DELETE WHERE { ?s ?p ?o }"}))
    assert err.value.code == 400
    ask = _wrapper(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", JSON).query().convert()
    assert int(ask["results"]["bindings"][0]["n"]["value"]) > 5000


def test_bad_query_and_unacceptable_format(endpoint):
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"{endpoint}/sparql?" + urllib.parse.urlencode({"query": "SELEC ?x"}))
    assert err.value.code == 400 and "bad query" in err.value.read().decode()
    req = urllib.request.Request(f"{endpoint}/sparql?" + urllib.parse.urlencode({"query": BODIES}),
                                 headers={"Accept": "image/png"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req)
    assert err.value.code == 406


def test_result_size_limit(endpoint):
    res = _wrapper(endpoint, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", JSON).query()
    assert len(res.convert()["results"]["bindings"]) == 50
    assert res.response.headers["X-KG-Truncated"] == "max-rows=50"


def test_concurrent_clients(endpoint):
    def one(i):
        q = BODIES if i % 2 else "SELECT (COUNT(*) AS ?n) WHERE { ?s a kg:Region }"
        return i, _wrapper(endpoint, q, JSON, "POST" if i % 3 else "GET").query().convert()

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(one, range(16)))
    first = {i % 2: json.dumps(a, sort_keys=True) for i, a in answers}
    assert all(json.dumps(a, sort_keys=True) == first[i % 2] for i, a in answers)


def test_query_page_and_assets_are_local(endpoint):
    with urllib.request.urlopen(f"{endpoint}/") as resp:
        page = resp.read().decode("utf-8")
    assert "/assets/yasgui.min.js" in page and "/sparql" in page
    assert "src=\"http" not in page and "href=\"http" not in page
    for asset in ("yasgui.min.js", "yasgui.min.css"):
        with urllib.request.urlopen(f"{endpoint}/assets/{asset}") as resp:
            assert len(resp.read()) > 10000


def test_time_limit():
    served = start_serve("--graph", str(GRAPH_TTL), "--timeout", "0.3", "--workers", "2")
    try:
        slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
        with pytest.raises(urllib.error.HTTPError) as err:
            _wrapper(served.base, slow, JSON).query()
        assert err.value.code == 503
        assert _wrapper(served.base, "ASK { ?s ?p ?o }", JSON).query().convert()["boolean"] is True
    finally:
        served.stop()


@pytest.mark.parametrize("host", ["0.0.0.0", "", "::"])
def test_binding_beyond_loopback_needs_public(host):
    r = run_kg("serve", "--graph", str(GRAPH_TTL), "--host", host, "--port", "0")
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 1 and len(lines) == 1 and "--public" in lines[0], r.stderr


def test_port_in_use_is_one_line(endpoint):
    port = endpoint.rsplit(":", 1)[1]
    r = run_kg("serve", "--graph", str(GRAPH_TTL), "--port", port)
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 1 and len(lines) == 1 and f"127.0.0.1:{port}" in lines[0], r.stderr
