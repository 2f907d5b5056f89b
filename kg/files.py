"""Writing output files and folders so that no reader ever sees half of one.

What this module does not do: decide what goes into the files.
"""
from __future__ import annotations

import ctypes
import errno
import os
import signal
import sys
import tempfile
import time
from typing import BinaryIO, Callable
from contextlib import contextmanager
from pathlib import Path

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def write_atomic(path: str | Path, data: bytes | str | Callable[[BinaryIO], None], *, fsync: bool = False) -> None:
    """Write to a temporary file beside ``path``, then rename it into place (``fsync``: and
    flush it to the disk first). ``data``: the bytes or text, or a function that writes them
    to the open binary file (for a large output never held whole)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            if callable(data):
                data(fh)
            else:
                fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            if fsync:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)    # mkstemp makes it 0600; outputs are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def exchange(a: str | Path, b: str | Path) -> None:
    """Swap two existing paths (folders too) in one atomic step: Linux ``renameat2`` with
    ``RENAME_EXCHANGE``. Raises ``NotImplementedError`` where the system or the filesystem
    cannot, ``OSError`` on other failures."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        raise NotImplementedError("renameat2 is not available") from None
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        err = ctypes.get_errno()
        if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):    # not on this filesystem
            raise NotImplementedError(os.strerror(err))
        raise OSError(err, os.strerror(err), str(a))


def cause(exc: OSError) -> str:
    """The system's words for an OSError, without its Python dressing."""
    return exc.strerror or str(exc)


def pause(stage: str) -> None:
    """For tests only: with ``KG_TEST_PAUSE_AT=stage``, say so on stderr and wait here
    (``KG_TEST_PAUSE_SECONDS``, default 60) so a test can interrupt the build at that stage."""
    if os.environ.get("KG_TEST_PAUSE_AT") == stage:
        print(f"kg: paused at {stage}", file=sys.stderr, flush=True)
        time.sleep(float(os.environ.get("KG_TEST_PAUSE_SECONDS", "60")))


@contextmanager
def no_sigint():
    """Hold Ctrl-C back for a few statements (a switch and the note that it happened)."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
