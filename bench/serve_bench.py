"""Many clients at once against a real ``kg serve`` on loopback (not a test: timings vary).

    python bench/serve_bench.py                       # 100 clients x 20 queries, the seeds build in memory
    python bench/serve_bench.py --store output/db     # the same against an Oxigraph store
    python bench/serve_bench.py --clients 20 --queries 5
    python bench/serve_bench.py --clients 1 --queries 50 --distinct \
        --query "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"     # one query's latency alone

Starts ``kg serve --port 0`` on 127.0.0.1, then runs every client in its own thread with its own
keep-alive connection; all start together. Each sends its queries one after another, a mix of
a COUNT, a SELECT of labels, an ASK and a CONSTRUCT (JSON, CSV, Turtle); with ``--distinct``
each text is made unique by a comment, so none is answered from the server's cache. Prints the latency
percentiles (p50, p95, p99, max), the number of errors (anything but a 200, or a failed
connection) and the throughput, then stops the server.
"""
from __future__ import annotations

import argparse
import http.client
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
QUERIES = [
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s a kg:Body }", "application/sparql-results+json"),
    ("SELECT ?b ?l WHERE { ?b a kg:Body ; rdfs:label ?l } ORDER BY ?l LIMIT 20", "text/csv"),
    ("ASK { ?r a kg:Region }", "application/sparql-results+json"),
    ("CONSTRUCT { ?r rdfs:label ?l } WHERE { ?r a kg:Region ; rdfs:label ?l } LIMIT 20", "text/turtle"),
]


def run_clients(host: str, port: int, clients: int, per_client: int, timeout: float = 30.0,
                distinct: bool = False, queries: list[tuple[str, str]] = QUERIES):
    """Latencies (seconds) of the answered queries and the list of errors. ``distinct``: every
    query text differs (a comment), so the server's answer cache never serves one."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def client(i: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
        start.wait()
        for j in range(per_client):
            query, accept = queries[(i + j) % len(queries)]
            if distinct:
                query += f"\n# client {i}, query {j}"
            t0 = time.perf_counter()
            try:
                conn.request("GET", "/sparql?" + urlencode({"query": query}), headers={"Accept": accept})
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == 200
                err = None if ok else f"HTTP {resp.status}"
            except (OSError, http.client.HTTPException) as exc:
                err = f"{type(exc).__name__}: {exc}"
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=timeout)
            took = time.perf_counter() - t0
            with lock:
                (errors.append(err) if err else latencies.append(took))
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors


def percentile(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))] if s else float("nan")


def start_server(where: list[str], workers: int) -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen([sys.executable, "-c", "import cli; cli.main()", "serve", "--port", "0", "-q",
                             "--workers", str(workers), *where],
                            cwd=ROOT, stderr=subprocess.PIPE, text=True, start_new_session=True)
    for line in proc.stderr:
        if "serving" in line:
            threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
            return proc, int(line.split("http://127.0.0.1:")[1].split("/")[0])
    raise SystemExit("kg serve did not start")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graph", default=str(ROOT / "output" / "graph.ttl"))
    ap.add_argument("--store")
    ap.add_argument("--clients", type=int, default=100)
    ap.add_argument("--queries", type=int, default=20, help="queries per client")
    ap.add_argument("--workers", type=int, default=8, help="kg serve --workers")
    ap.add_argument("--distinct", action="store_true", help="every query text unique: no answer from the cache")
    ap.add_argument("--query", help="send only this SELECT (JSON answers) instead of the mix")
    args = ap.parse_args()
    queries = [(args.query, "application/sparql-results+json")] if args.query else QUERIES
    where = ["--store", args.store] if args.store else ["--graph", args.graph]
    proc, port = start_server(where, args.workers)
    try:
        t0 = time.perf_counter()
        lat, errors = run_clients("127.0.0.1", port, args.clients, args.queries, distinct=args.distinct,
                                 queries=queries)
        wall = time.perf_counter() - t0
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    n = len(lat) + len(errors)
    print(f"{args.clients} clients x {args.queries} {'distinct ' if args.distinct else ''}queries "
          f"({'store' if args.store else 'memory'}, "
          f"{args.workers} workers, {os.cpu_count()} cores): {n} requests in {wall:.1f} s, {n / wall:.0f}/s")
    print(f"p50 {percentile(lat, 50) * 1000:.0f} ms  p95 {percentile(lat, 95) * 1000:.0f} ms  "
          f"p99 {percentile(lat, 99) * 1000:.0f} ms  max {max(lat, default=0) * 1000:.0f} ms  "
          f"mean {statistics.fmean(lat) * 1000 if lat else 0:.0f} ms  errors {len(errors)}")
    for e in sorted(set(errors))[:5]:
        print("  error:", e)


if __name__ == "__main__":
    main()
