"""Running the extraction on a Dask distributed cluster (``kg build --cluster``): the one module
that imports Dask.

``connect`` opens a client to a running scheduler (``tcp://host:8786``) or, for ``local``, to a
``LocalCluster`` of processes on this machine, and checks that every worker runs the same
extractor version as this process (``kg.resources.extractor_version``: the hash of kg's code and
data). ``map_batches`` sends items (the articles' bytes and metadata, never paths: workers need
not share the filesystem) to the workers in batches, a bounded number in flight, and hands each
result back as it arrives. A task of a worker that dies is run again by Dask on another worker;
a worker that joins later with another version is refused when its first task runs.

Everything a user can cause (an unreachable scheduler, a worker of another version, a cluster
that lost its workers) is a ``ClusterError`` whose text is one line.

Does not: cache (the client does, ``kg.pipeline``), order results (the caller sorts them) or
start workers anywhere but on this machine (see README, "Running on a cluster").
"""
from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from functools import partial
from typing import Callable, Iterator, Sequence

from kg.files import pause
from kg.resources import extractor_version

LOCAL = "local"
_ONE_AT_A_TIME = threading.Lock()    # per worker process: the extraction's caches are not made for threads


class ClusterError(Exception):
    """A cluster that cannot run the build; ``str()`` is one line for the user."""


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


@contextmanager
def connect(address: str, workers: int = 1) -> Iterator:
    """A ``distributed.Client`` for ``address`` (``local``: a LocalCluster of ``workers``
    single-threaded processes), closed on leaving; raises ``ClusterError`` when the scheduler
    cannot be reached or a worker's extractor version differs from ours. The connect timeout is
    Dask's (``distributed.comm.timeouts.connect``, e.g. ``DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT=5s``)."""
    import distributed

    quiet = logging.getLogger("distributed")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)    # Dask's logs (a lost worker, retries): what matters ends in a ClusterError
    client = None
    try:
        try:
            if address == LOCAL:
                client = distributed.Client(distributed.LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                    dashboard_address="127.0.0.1:0", silence_logs=logging.CRITICAL))
            else:
                client = distributed.Client(address)
        except (OSError, ValueError, TypeError, RuntimeError) as exc:   # RuntimeError: a LocalCluster that did not start
            where = "start a local Dask cluster" if address == LOCAL else f"reach the Dask scheduler at {address}"
            raise ClusterError(f"cannot {where}: {_one_line(exc)}") from None
        check_versions(client, address)
        yield client
    finally:
        if client is not None:
            disconnect(client)
        quiet.setLevel(level)


def disconnect(client) -> None:
    """Close ``client`` and the local cluster it started, if any (again: nothing happens)."""
    client.close()
    if client.cluster is not None:      # a LocalCluster of ``connect``: its workers stop
        client.cluster.close()


def check_versions(client, address: str) -> None:
    """Raise ``ClusterError`` naming the workers whose extractor version is not ours (or when
    no worker joins the scheduler within Dask's connect timeout)."""
    import dask
    from dask.utils import parse_timedelta

    wait = parse_timedelta(dask.config.get("distributed.comm.timeouts.connect"))
    try:
        client.wait_for_workers(1, timeout=wait)       # a cluster just started: its first worker
    except TimeoutError:
        raise ClusterError(f"the Dask scheduler at {address} has no workers (waited {wait:g} s)") from None
    ours = extractor_version()
    try:
        theirs = client.run(extractor_version)
    except Exception as exc:     # a worker that cannot import kg at all
        raise ClusterError(f"the workers at {address} cannot run kg: {_one_line(exc)}") from None
    wrong = sorted(w for w, v in theirs.items() if v != ours)
    if wrong:
        versions = ", ".join(sorted({theirs[w] for w in wrong}))
        raise ClusterError(f"worker(s) {', '.join(wrong)} run extractor version {versions}, this kg is "
                           f"{ours}: install the same kg on every worker")


def _run_batch(fn: Callable, items: Sequence, version: str) -> tuple[str, list]:
    """On a worker: ``("ok", [fn(item) …])``, or ``("version", [its version, its address])``
    when this worker's extractor version is not ``version``."""
    mine = extractor_version()
    if mine != version:
        from distributed import get_worker

        return "version", [mine, get_worker().address]
    pause("cluster-task")                  # tests: a slow task, so a worker can be killed mid-build
    with _ONE_AT_A_TIME:
        return "ok", [fn(item) for item in items]


def threads(client) -> int:
    """The worker threads of the cluster ``client`` is connected to (at least 1)."""
    return max(1, sum(client.nthreads().values()))


def map_batches(client, fn: Callable, items: Sequence, take: Callable[[int, object], None], size: int) -> None:
    """Run ``fn`` on every item on the cluster, ``size`` items a task, and call ``take(index,
    result)`` for each, in the order batches finish. ``fn`` must be importable on the workers
    (a module-level function, or a ``functools.partial`` of one). Raises ``ClusterError`` when a worker of another version
    takes a task or a task cannot be run (its workers keep dying, the scheduler is gone)."""
    from distributed import as_completed

    if not items:
        return
    batches = [range(i, min(i + size, len(items))) for i in range(0, len(items), size)]
    run = partial(_run_batch, fn, version=extractor_version())
    pending = iter(batches)
    futures: dict = {}
    done = as_completed()

    def submit() -> None:
        rows = next(pending, None)
        if rows is not None:
            fut = client.submit(run, [items[i] for i in rows], pure=False, key=f"kg-extract-{rows[0]}-{_token()}")
            futures[fut.key] = rows
            done.add(fut)

    for _ in range(threads(client) * 2):   # bounded: the scheduler holds a few batches, not the corpus
        submit()
    try:
        for fut in done:
            rows = futures.pop(fut.key)
            try:
                kind, results = fut.result()
            except Exception as exc:
                raise ClusterError(f"the cluster could not run the extraction: {type(exc).__name__}: "
                                   f"{_one_line(exc)}") from None
            if kind == "version":
                raise ClusterError(f"worker {results[1]} runs extractor version {results[0]}, this kg is "
                                   f"{extractor_version()}: install the same kg on every worker")
            fut.release()
            for i, result in zip(rows, results):
                take(i, result)
            submit()
    finally:
        left = list(done.futures)
        if left:                            # stopped early (an error, Ctrl-C): the rest is not wanted
            try:
                client.cancel(left)
            except Exception:               # a scheduler already gone has nothing to cancel
                pass


def _token() -> str:
    import uuid

    return uuid.uuid4().hex[:12]
