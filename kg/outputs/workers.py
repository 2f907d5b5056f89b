"""Queries run in worker processes that can be ended: a query past its deadline is stopped by
killing the process that runs it, so it uses no CPU or memory after its answer (503) is sent.

``Pool(open_store, handle, size)`` forks ``size`` workers. Each opens its store once (the
in-memory graph is inherited from the parent at the fork, copy-on-write; an Oxigraph folder is
opened read-only by every worker) and then answers jobs one at a time: ``handle(store, job)``
returns a picklable reply. ``await pool.run(job, timeout)`` hands the job to an idle worker and
waits on the asyncio loop (no thread per query) for the reply; past ``timeout`` seconds
(counted from the call, so waiting for a free worker counts too) it raises ``Deadline``, kills
the worker with SIGKILL, reaps it and forks a fresh one in its place.

Why processes and not threads: neither rdflib nor Oxigraph can be interrupted from outside a
query (rdflib holds the GIL through a regular expression; Oxigraph's evaluation stops only at its
next row), and a thread cannot be killed. Why ``os.fork`` and not ``multiprocessing``: the
child closes every descriptor it inherited but its own pipe (the listening socket, the other
workers' pipes), so a worker never keeps the port or a sibling alive after the server ends;
and forks happen on the event-loop thread, never from a helper thread.

What this module does not do: decide what a job means (``kg.outputs.serve``), or speak HTTP.
"""
from __future__ import annotations

import asyncio
import os
import signal
from multiprocessing.connection import Connection, Pipe


class Deadline(Exception):
    """A job that ran (or waited) past its time limit; its worker has been killed."""


class WorkerDied(Exception):
    """A worker ended without answering (killed from outside, out of memory, a crash)."""


class _Worker:
    def __init__(self, pid: int, conn: Connection):
        self.pid, self.conn = pid, conn


def _child(conn: Connection, open_store, handle) -> None:
    """A worker's life: ignore Ctrl-C (the server ends its workers), open the store, answer."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        store, failure = open_store(), None
    except Exception as exc:       # reported to the client of each job, as a 500
        store, failure = None, f"cannot open the store: {exc}"
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if failure:
            reply = (500, (failure + "\n").encode("utf-8"), "text/plain", {})
        else:
            try:
                reply = handle(store, job)
            except Exception as exc:   # a bug must cost one answer, not the worker
                reply = (500, f"internal error: {type(exc).__name__}: {exc}\n".encode("utf-8"), "text/plain", {})
        conn.send(reply)


class Pool:
    """``size`` forked workers answering jobs, each one killed and replaced at its deadline."""

    def __init__(self, open_store, handle, size: int):
        self.open_store, self.handle, self.size = open_store, handle, size
        self.workers: list[_Worker] = []
        self.idle: asyncio.Queue | None = None

    def start(self) -> None:
        """Fork the workers (before the event loop runs, or on its thread)."""
        while len(self.workers) < self.size:
            self.workers.append(self._fork())

    def _fork(self) -> _Worker:
        ours, theirs = Pipe()
        pid = os.fork()
        if pid == 0:                       # the child: keep stdio and its own pipe, nothing else
            code = 0
            try:
                keep = theirs.fileno()
                os.closerange(3, keep)
                os.closerange(keep + 1, os.sysconf("SC_OPEN_MAX"))
                _child(theirs, self.open_store, self.handle)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        theirs.close()
        return _Worker(pid, ours)

    def _queue(self) -> asyncio.Queue:
        if self.idle is None:
            self.idle = asyncio.Queue()
            for w in self.workers:
                self.idle.put_nowait(w)
        return self.idle

    async def run(self, job, timeout: float):
        """The reply to ``job``; ``Deadline`` past ``timeout`` s, ``WorkerDied`` if it crashed."""
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        try:
            worker = await asyncio.wait_for(self._queue().get(), timeout)
        except asyncio.TimeoutError:
            raise Deadline("every worker was busy until the time limit") from None
        ready = loop.create_future()
        fd = worker.conn.fileno()
        loop.add_reader(fd, lambda: ready.done() or ready.set_result(None))
        try:
            worker.conn.send(job)
            await asyncio.wait_for(ready, max(0.0, end - loop.time()))
            loop.remove_reader(fd)
            reply = worker.conn.recv()
        except asyncio.TimeoutError:
            loop.remove_reader(fd)
            await self._replace(worker)
            raise Deadline("the query ran past the time limit") from None
        except (EOFError, OSError):
            loop.remove_reader(fd)
            await self._replace(worker)
            raise WorkerDied("the worker process ended without answering") from None
        except asyncio.CancelledError:     # the server is stopping: the query must not run on
            loop.remove_reader(fd)
            _kill(worker)
            raise
        self.idle.put_nowait(worker)
        return reply

    async def _replace(self, worker: _Worker) -> None:
        """Kill a worker, reap it, and put a fresh one in its place."""
        _kill(worker)
        await asyncio.get_running_loop().run_in_executor(None, _reap, worker.pid)
        fresh = self._fork()
        self.workers[self.workers.index(worker)] = fresh
        self.idle.put_nowait(fresh)

    def close(self) -> None:
        """Kill and reap every worker."""
        for w in self.workers:
            _kill(w)
        for w in self.workers:
            _reap(w.pid)
        self.workers = []


def _kill(worker: _Worker) -> None:
    try:
        os.kill(worker.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    worker.conn.close()


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
