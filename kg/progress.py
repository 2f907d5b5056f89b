"""Progress of long work on stderr: a rich progress display on a terminal, short plain lines
everywhere else (a pipe, a log file, CI). The one module that imports rich.

``Progress`` is a context manager; its ``counter(label)`` and ``steps(label, names)`` give the
callbacks that the library calls (``kg.build.build``'s ``progress`` and ``step``,
``kg.outputs.push.push``'s ``progress``, ``kg.analysis.analyze.write_analysis``'s ``step``), so no
stage knows how progress is shown. On a terminal each label is one bar, redrawn in place; without
one, every call prints one line: ``[3/40] seeds/a.txt`` for a counter, ``analysis: communities
(3/8)`` for a step. The live display needs a real terminal: FORCE_COLOR or TTY_COMPATIBLE alone
(set by some CI runners for colours) still get plain lines, since a log cannot redraw a line.

What this module does not do: decide what is worth reporting (the callers do), or log.
"""
from __future__ import annotations

import sys
from typing import Callable, Sequence

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress as RichProgress, TextColumn, TimeElapsedColumn


def _is_tty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):       # no isatty, or a closed file
        return False


class Progress:
    """Progress of one command on stderr (or ``console``); ``enabled=False`` shows nothing.

    ``console``: a rich Console to draw on (tests pass ``Console(force_terminal=True)``); by
    default stderr, drawn live only when stderr is a terminal that is not ``TERM=dumb``.
    """

    def __init__(self, enabled: bool = True, console: Console | None = None):
        self.enabled = enabled
        given = console is not None
        self.console = console or Console(stderr=True)
        self.live = enabled and self.console.is_terminal and not self.console.is_dumb_terminal \
            and (given or _is_tty(sys.stderr))
        self._bars: RichProgress | None = None
        self._tasks: dict[str, int] = {}

    def __enter__(self) -> "Progress":
        if self.live:
            self._bars = RichProgress(TextColumn("{task.fields[label]:<9}"), BarColumn(), MofNCompleteColumn(),
                                      TimeElapsedColumn(), TextColumn("{task.description}"),
                                      console=self.console, transient=False)
            self._bars.start()
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if self._bars is not None:
            if exc_type is None:      # done: a steps bar counts started steps, so fill it up
                self._finish()
            self._bars.stop()
            self._bars = None

    def counter(self, label: str, min_total: int = 1) -> Callable[..., None]:
        """A callback ``(done, total, name="")``: ``done`` of ``total`` items finished, the last
        being ``name``. Nothing is shown while ``total < min_total``."""
        def update(done: int, total: int, name: str = "") -> None:
            if total >= min_total:
                self._show(label, done, total, name, f"[{done}/{total}] {name or label}")
        return update

    def steps(self, label: str, names: Sequence[str]) -> Callable[[str], None]:
        """A callback ``(name)`` called as each of the steps ``names`` starts (others are shown
        without a count)."""
        names = list(names)

        def step(name: str) -> None:
            done = names.index(name) if name in names else 0
            where = f" ({done + 1}/{len(names)})" if name in names else ""
            self._show(label, done, len(names), name, f"{label}: {name}{where}")
        return step

    def _show(self, label: str, done: int, total: int, name: str, line: str) -> None:
        if not self.enabled:
            return
        if self._bars is None:
            stream = self.console.file
            stream.write(line + "\n")
            stream.flush()
            return
        if label not in self._tasks:
            self._finish()            # a new phase: the ones before it are done
            self._tasks[label] = self._bars.add_task(name, total=total, label=label)
        self._bars.update(self._tasks[label], completed=done, total=total, description=name)

    def _finish(self) -> None:
        for task in self._bars.tasks:
            self._bars.update(task.id, completed=task.total)
