"""The output folder of a build changes as a whole and says which build it holds.

Layout of an output folder ``OUT`` (README, "The output folder"):

    OUT/graph.ttl  -> .current/graph.ttl       one symlink per output, made once
    OUT/build.json -> .current/build.json      the manifest of the build shown
    OUT/.current   -> .builds/<build id>       the pointer: replaced by one atomic rename
    OUT/.builds/<build id>/                    one build's files
    OUT/.kg-build.lock                         locked (fcntl) by the build writing OUT; its pid

A build takes the lock, creates its staging folder ``.builds/.staging-…`` and writes a probe
file there before extracting anything (so a folder it cannot write is found first), writes every
output into it, fsyncs them, writes ``build.json`` (the manifest: inputs, versions, each
output's sha256 and size, and the build id, a digest of the rest) last, renames the folder to
``.builds/<build id>``, then renames a new ``.current`` over the old one. The same inputs built
by the same kg give the same id and the same bytes (a folder kept in git stays clean). Every output
path switches at that one rename: whatever stops the build (SIGKILL, Ctrl-C, a full disk), the
files in ``OUT`` are one build's, the old or the new. The next build removes what an
interrupted one left in ``.builds``. Outputs written by an older kg (regular files) are first
gathered into a ``.builds/legacy-…`` folder with a manifest, so even that change is never mixed.

What this module does not do: produce the outputs (``kg.build``).
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
import shutil
from pathlib import Path

from kg.files import cause, no_sigint, pause, write_atomic

MANIFEST = "build.json"
BUILDS = ".builds"
CURRENT = ".current"
LOCK = ".kg-build.lock"
PROBE_BYTES = 64 * 1024


class OutputError(Exception):
    """A failure on the output folder a user can cause; ``str()`` is one line naming the path."""


def new_staging_id() -> str:
    """The name of a build's folder while it is written: .staging-3fa9c1d2."""
    return ".staging-" + secrets.token_hex(4)


def content_id(manifest: dict) -> str:
    """A build's id: a digest of its manifest (inputs, versions, each output's sha256), so the
    same inputs built by the same kg give the same id and a byte-identical folder."""
    text = json.dumps(manifest, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def file_digest(path: Path) -> dict:
    """``{"sha256": …, "size": …}`` of a file."""
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return {"sha256": h.hexdigest(), "size": size}


def current_build(out: str | Path) -> dict | None:
    """The manifest of the build ``out`` holds, or None (no build, or not readable)."""
    try:
        data = json.loads((Path(out) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and "build" in data else None


def interrupted_message(out: str | Path, before: str | None) -> str:
    """What Ctrl-C says: the build ``out`` holds now, ``before`` being the one it held at the start."""
    held = (current_build(out) or {}).get("build")
    if held == before:
        return f"interrupted: {out}/ left as it was before this build ({'build ' + held if held else 'no build'})"
    return f"interrupted after the switch: {out}/ holds this build ({held}), complete"


def check(out: str | Path, names: tuple[str, ...]) -> list[str]:
    """What in ``out`` disagrees with its manifest: outputs among ``names`` that are missing,
    changed or not listed. Empty when the folder is exactly one build."""
    out = Path(out)
    manifest = current_build(out)
    if manifest is None:
        return [f"{out / MANIFEST}: missing or unreadable"]
    listed = manifest.get("outputs", {})
    problems = []
    for name in sorted(set(names) | set(listed)):
        p = out / name
        if name not in listed:
            if p.exists():
                problems.append(f"{p}: not in build {manifest['build']}")
        elif not p.exists():
            problems.append(f"{p}: missing")
        elif file_digest(p) != listed[name]:
            problems.append(f"{p}: not the file of build {manifest['build']}")
    return problems


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _relink(path: Path, target: str, tag: str) -> None:
    """Make ``path`` a symlink to ``target`` in one rename (whatever it was before)."""
    tmp = path.with_name(f".{path.name}.link-{tag}")
    if tmp.is_symlink():
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, path)


class Staging:
    """One build's write into an output folder: ``with Staging(out, names) as st: … st.commit(info)``.

    ``names`` are the outputs a build may write (each gets its symlink). Entering takes the lock,
    cleans up after interrupted builds and probes the staging folder ``st.path``; ``commit``
    writes the manifest and swaps the build in; leaving without a commit removes the staging
    folder and leaves ``out`` as it was. Failures raise ``OutputError``.
    """

    def __init__(self, out: str | Path, names: tuple[str, ...]):
        self.out = Path(out)
        self.names = tuple(names) + (MANIFEST,)
        self.id = new_staging_id()     # the content id once the outputs are written
        self.path = self.out / BUILDS / self.id
        self.committed = False
        self.created = False          # the folder did not exist: remove it if nothing is built
        self._lock_fd: int | None = None

    def __enter__(self) -> "Staging":
        self._make_folder()
        try:
            self._lock()
            self._clean(keep=self._current_id())
            self._probe()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            if not self.committed and self._current_id() != self.id:
                shutil.rmtree(self.path, ignore_errors=True)
                if self.created:
                    self._remove_folder()
        finally:
            self._unlock()

    def _remove_folder(self) -> None:
        """Undo creating the folder when no build came of it (only what this build made)."""
        for p in (self.out / BUILDS, self.out / LOCK, self.out):
            try:
                p.rmdir() if p.is_dir() else p.unlink()
            except FileNotFoundError:
                continue
            except OSError:
                return

    # --- before the build ------------------------------------------------------------------

    def _make_folder(self) -> None:
        if self.out.exists() and not self.out.is_dir():
            raise OutputError(f"{self.out}: not a folder; give --out a folder")
        self.created = not self.out.exists()
        try:
            self.out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"{self.out}: cannot create the output folder ({cause(exc)})") from None

    def _lock(self) -> None:
        path = self.out / LOCK
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputError(f"{self.out}: cannot write in the output folder ({cause(exc)})") from None
        try:    # a POSIX record lock: worker processes forked later do not inherit it
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            other = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise OutputError(f"{self.out}: another build (pid {other}) is writing this folder; "
                              "wait for it to end or choose another --out") from None
        self._lock_fd = fd
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except OSError as exc:
            raise OutputError(f"{self.out}: cannot write the build there ({cause(exc)})") from None

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)     # releases the lock; the file stays (removing it would race)
            self._lock_fd = None

    def _current_id(self) -> str | None:
        try:
            return Path(os.readlink(self.out / CURRENT)).name
        except OSError:
            return None

    def _clean(self, keep: str | None) -> None:
        """Remove what interrupted builds left: staging folders and half-made symlinks."""
        builds = self.out / BUILDS
        if builds.is_dir():
            for d in builds.iterdir():
                if d.name != keep and d.name != self.id:
                    shutil.rmtree(d, ignore_errors=True)
        for p in self.out.glob(".*.link-*"):
            if p.is_symlink():
                p.unlink()

    def _probe(self) -> None:
        probe = self.path / ".probe"
        try:
            self.path.mkdir(parents=True)
            with open(probe, "wb") as fh:
                fh.write(b"\0" * PROBE_BYTES)
                fh.flush()
                os.fsync(fh.fileno())
            probe.unlink()
        except OSError as exc:
            raise OutputError(f"{self.out}: cannot write the build there ({cause(exc)})") from None

    # --- the swap --------------------------------------------------------------------------

    def commit(self, info: dict) -> dict:
        """Write the manifest (``info`` plus the build id and each output's sha256 and size)
        last, then make this build the one ``out`` shows. Returns the manifest."""
        try:
            return self._commit(info)
        except OSError as exc:
            held = (current_build(self.out) or {}).get("build", "none")
            raise OutputError(f"{self.out}: cannot write the build ({cause(exc)}); "
                              f"the folder still holds build {held}") from None

    def _commit(self, info: dict) -> dict:
        outputs = {}
        for p in sorted(self.path.iterdir()):
            if p.name in self.names and p.name != MANIFEST:
                with open(p, "rb") as fh:
                    os.fsync(fh.fileno())
                outputs[p.name] = file_digest(p)
        manifest = {**info, "outputs": outputs}
        manifest = {"build": content_id(manifest), **manifest}
        write_atomic(self.path / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1) + "\n",
                     fsync=True)
        _fsync_dir(self.path)
        final = self.out / BUILDS / manifest["build"]
        if self._current_id() == manifest["build"]:     # the folder already shows this very build
            shutil.rmtree(self.path, ignore_errors=True)
            self.id, self.path, self.committed = manifest["build"], final, True
            return manifest
        shutil.rmtree(final, ignore_errors=True)        # a leftover of an interrupted build
        os.rename(self.path, final)
        self.id, self.path = manifest["build"], final
        _fsync_dir(self.out / BUILDS)
        pause("manifest")
        self._adopt_loose_files()
        for name in self.names:        # links through .current (dangling while there is none)
            link = self.out / name
            if not (link.is_symlink() and os.readlink(link) == f"{CURRENT}/{name}"):
                _relink(link, f"{CURRENT}/{name}", self.id)
        pause("linked")
        with no_sigint():
            _relink(self.out / CURRENT, f"{BUILDS}/{self.id}", self.id)     # the switch
            self.committed = True
        pause("swapped")
        try:            # done: what follows only tidies up
            _fsync_dir(self.out)
            self._clean(keep=self.id)
        except OSError:
            pass
        return manifest

    def _adopt_loose_files(self) -> None:
        """Outputs that are regular files (an older kg's build, or a file written over a
        link) are gathered with the rest of what ``out`` shows into a build of their own, so
        that turning them into links changes nothing a reader sees."""
        loose = [n for n in self.names if (self.out / n).is_file() and not (self.out / n).is_symlink()]
        if not loose:
            return
        lid = "legacy-" + secrets.token_hex(4)
        d = self.out / BUILDS / lid
        d.mkdir(parents=True)
        for name in self.names:
            src = self.out / name
            if name == MANIFEST or not src.is_file():
                continue
            try:
                os.link(src.resolve(), d / name)
            except OSError:
                shutil.copy2(src, d / name)
        outputs = {p.name: file_digest(p) for p in sorted(d.iterdir())}
        write_atomic(d / MANIFEST, json.dumps({"build": lid, "note": "outputs found in the folder, "
                                               "gathered by a later build", "outputs": outputs},
                                              ensure_ascii=False, indent=1) + "\n", fsync=True)
        _fsync_dir(d)
        _relink(self.out / CURRENT, f"{BUILDS}/{lid}", lid)
