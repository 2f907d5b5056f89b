"""Loading a build into an on-disk store so that the store is replaced whole or not at all.

``load_build`` loads into a new store beside the target (``.NAME.kg-load-PID-…``, same
filesystem) and exchanges the two folders in one atomic step (``kg.files.exchange``), then
removes the old one. Interrupted at any moment, the target reopens with the old graph or the
new one, never empty; the next load removes what an interrupted one left.

What this module does not do: query stores (``kg.graph.store``) or build graphs (``kg.build``).
"""
from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from pathlib import Path

from kg import files
from kg.files import cause, no_sigint, pause
from kg.graph.store import OxiStore, is_store_dir
from kg.vocab import ONTOLOGY_PATH


class StoreInterrupted(KeyboardInterrupt):
    """Ctrl-C during ``load_build``; ``swapped`` says whether the new graph was already in place."""

    def __init__(self, swapped: bool):
        super().__init__()
        self.swapped = swapped


def check_store_target(directory: str | Path) -> None:
    """Raise OSError (one line naming the path) unless ``load_build`` can put a store at
    ``directory``: a store or an empty folder or nothing there, and a writable folder around it.
    ``kg build --store`` asks before extracting anything."""
    target = Path(directory)
    if target.exists() and not target.is_dir():
        raise OSError(f"{target}: a file, not an Oxigraph store folder")
    if target.is_dir() and not is_store_dir(target) and any(target.iterdir()):
        raise OSError(f"{target}: not an Oxigraph store and not empty; kg will not replace it")
    if target.parent.exists() and not target.parent.is_dir():
        raise OSError(f"{target}: cannot create the store there ({target.parent} is a file)")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryDirectory(dir=target.parent, prefix=f".{target.name}.probe-").cleanup()
    except OSError as exc:
        raise OSError(f"{target}: cannot create the store there ({cause(exc)})") from None


def load_build(turtle_path: str | Path, directory: str | Path) -> int:
    """Load a build's graph.ttl (and the ontology) into the on-disk store at ``directory``,
    replacing what it held; returns the number of triples stored.

    The graph is loaded into a new store beside ``directory`` (``new_store_path``), which
    is then exchanged with the old one (``install_store``): interrupted at any moment,
    ``directory`` holds the old graph or the new one. Leftovers of interrupted loads are removed
    by the next load. Ctrl-C raises ``StoreInterrupted``; a folder that is neither a store nor
    empty is refused (OSError).
    """
    target = Path(directory)
    new = new_store_path(target)
    try:
        s = OxiStore(new)
        try:
            n = s.load_turtle(turtle_path)
        finally:
            del s.store        # release the database lock now, not at garbage collection
    except KeyboardInterrupt:
        shutil.rmtree(new, ignore_errors=True)
        raise StoreInterrupted(False) from None
    except OSError as exc:
        shutil.rmtree(new, ignore_errors=True)
        raise OSError(f"{target}: cannot load the store ({_why(exc)})") from None
    install_store(new, target)
    return n


def new_store_path(directory: str | Path) -> Path:
    """Where to fill the store that will replace ``directory``: a new folder beside it
    (``.NAME.kg-load-PID-…``, same filesystem), after checking the target
    (``check_store_target``) and removing what interrupted loads left."""
    target = Path(directory)
    check_store_target(target)
    _remove_stale_loads(target)
    return target.with_name(f".{target.name}.kg-load-{os.getpid()}-{secrets.token_hex(3)}")


def copy_build_store(graph, shards, new: str | Path) -> int:
    """Fill a new on-disk store at ``new`` with a build's graph and the ontology, from what the
    build made: a checkpoint of ``graph``'s own on-disk store (hard links where the filesystem
    allows) when the build has one (``shards.store_dir``), else Oxigraph's bulk loader over
    ``shards`` (``kg.graph.shards.GraphShards``). Returns the number of triples stored; on
    any failure ``new`` is removed and the error raised as it came (the caller names the store)."""
    import pyoxigraph as ox

    try:
        if shards.store_dir is not None:
            graph.store.backup(str(new))
            store = ox.Store(str(new))
        else:
            store = shards.load_store(new)
        store.bulk_load(path=str(ONTOLOGY_PATH), format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
        store.flush()
        n = len(store)
        del store
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    return n


def install_store(new: Path, directory: str | Path) -> None:
    """Put the filled store at ``new`` in place of ``directory`` in one atomic step
    (``kg.files.exchange``) and remove the old one. Ctrl-C raises ``StoreInterrupted`` saying
    whether the new store was already in place; an OSError names ``directory``."""
    target = Path(directory)
    swapped = False
    try:
        pause("store-loaded")
        with no_sigint():
            _swap_in(new, target)
            swapped = True
        pause("store-swapped")
        shutil.rmtree(new, ignore_errors=True)    # the old store, now under the new one's name
    except KeyboardInterrupt:
        if not swapped:
            shutil.rmtree(new, ignore_errors=True)
        raise StoreInterrupted(swapped) from None
    except OSError as exc:
        if not swapped:
            shutil.rmtree(new, ignore_errors=True)
        raise OSError(f"{target}: cannot load the store ({_why(exc)})") from None


def _why(exc: OSError) -> str:
    return cause(exc.__cause__) if isinstance(exc.__cause__, OSError) else cause(exc)


def _swap_in(new: Path, target: Path) -> None:
    """Put the store ``new`` at ``target``; the old one (if any) ends up at ``new``."""
    if not target.exists():
        os.rename(new, target)
        return
    try:
        files.exchange(new, target)
    except NotImplementedError:     # no atomic exchange here: the old store steps aside first
        aside = new.with_name(new.name.replace(".kg-load-", ".kg-old-"))
        os.rename(target, aside)
        os.rename(new, target)
        os.rename(aside, new)


def _remove_stale_loads(target: Path) -> None:
    """Clean up after interrupted loads into ``target`` whose process is gone: remove their new
    stores; put back an old store that had stepped aside (``_swap_in``) when none is in place."""
    for p in sorted(target.parent.glob(f".{target.name}.kg-*-*-*")):
        kind, pid = p.name.rsplit("-", 3)[-3:-1]
        try:
            if int(pid) != os.getpid():
                os.kill(int(pid), 0)
                continue        # a load still running
        except ValueError:
            continue
        except ProcessLookupError:
            pass
        except PermissionError:
            continue
        if kind == "old" and not target.exists():
            os.rename(p, target)
        else:
            shutil.rmtree(p, ignore_errors=True)
