"""The gazetteer of the process (``gazetteer()``), kept in kg's resource cache as JSON data.

Every division is written once, in columns, and the gazetteer's tables point at divisions by
position, so the divisions that are one object in the gazetteer are one object again after
loading. Reading checks the shape (ValueError and the like for anything else), and rebuilds the
scan tables; the segmenters are built on first need, as in a fresh gazetteer.

``gazetteer()`` loads it from the resource cache (``kg.resources.cached_resource``) or builds it.

Does not: decide what the gazetteer holds (``kg.ingest.gazetteer``).
"""
from __future__ import annotations

from functools import lru_cache
from itertools import accumulate

from kg.ingest.gazetteer import KIND_RANK, LEVEL_RANK, Gazetteer
from kg.model import Division
from kg.resources import cached_resource


def _s(x) -> str:
    if not isinstance(x, str):
        raise ValueError("expected a string")
    return x


def _kind(x) -> str:
    if x not in KIND_RANK:
        raise ValueError("expected a surface kind")
    return x


def to_data(g: Gazetteer) -> dict:
    """The gazetteer's tables as JSON data. Names and codes hold no line break, so a column of
    them is stored joined by one (several times faster to load than a list)."""
    g._townships()
    divisions: list[Division] = []
    at: dict[int, int] = {}

    def ref(d: Division) -> int:
        if id(d) not in at:
            at[id(d)] = len(divisions)
            divisions.append(d)
        return at[id(d)]

    data = {"ethnic": list(g._ethnic), "stop": sorted(g._stop),
            "index": [[s, [[ref(d), k] for d, k in es]] for s, es in g._index.items()],
            "by_code": ["\n".join(g._by_code), [ref(d) for d in g._by_code.values()]],
            "areas": [[n, [ref(d) for d in ds]] for n, ds in g._areas.items()],
            "abbr": [[c, ref(d)] for c, d in g._abbr.items()],
            "towns": ["\n".join(g._towns), [len(ds) for ds in g._towns.values()],
                      [ref(d) for ds in g._towns.values() for d in ds]]}
    data["divisions"] = {"code": "\n".join(d.code for d in divisions),
                         "name": "\n".join(d.name for d in divisions),
                         "level": "\n".join(d.level for d in divisions),
                         "parent": [d.parent for d in divisions],
                         "province": [d.province for d in divisions]}
    return data

def from_data(data: dict) -> Gazetteer:
    """The gazetteer ``to_data`` wrote, checked: ValueError (or KeyError, IndexError,
    TypeError) for data of another shape."""
    cols = data["divisions"]
    codes, names, levels = (_s(cols[k]).split("\n") for k in ("code", "name", "level"))
    parents, provinces = cols["parent"], cols["province"]
    if not (len(codes) == len(names) == len(levels) == len(parents) == len(provinces)) or \
            not set(levels) <= LEVEL_RANK.keys() or \
            not set(map(type, parents)) | set(map(type, provinces)) <= {str, type(None)}:
        raise ValueError("bad division columns")
    divisions = list(map(Division, codes, names, levels, parents, provinces))

    def refs(xs) -> list[Division]:
        if not isinstance(xs, list) or not set(map(type, xs)) <= {int} or (xs and min(xs) < 0):
            raise ValueError("bad division references")
        return [divisions[i] for i in xs]

    def strings(xs) -> list[str]:
        if not isinstance(xs, list) or not set(map(type, xs)) <= {str}:
            raise ValueError("expected a list of strings")
        return xs

    def pairs(xs) -> list:
        if not isinstance(xs, list) or not all(isinstance(x, list) and len(x) == 2 for x in xs):
            raise ValueError("expected [key, value] pairs")
        return [(_s(k), v) for k, v in xs]

    def joined(x) -> tuple[list[str], list]:
        keys, values = x
        keys = _s(keys).split("\n") if keys else []
        if not isinstance(values, list) or len(keys) != len(values):
            raise ValueError("bad joined table")
        return keys, values

    g = Gazetteer.__new__(Gazetteer)
    g._ethnic, g._stop = tuple(strings(data["ethnic"])), set(strings(data["stop"]))
    g._index = {s: [(refs([i])[0], _kind(k)) for i, k in es] for s, es in pairs(data["index"])}
    g._by_code = dict(zip(joined(data["by_code"])[0], refs(joined(data["by_code"])[1])))
    g._areas = {n: tuple(refs(ds)) for n, ds in pairs(data["areas"])}
    g._abbr = {c: refs([i])[0] for c, i in pairs(data["abbr"])}
    names, counts, flat = data["towns"]          # one list of references, cut by the counts
    names, counts = joined([names, counts])
    flat, ends = refs(flat), list(accumulate(counts))
    if not set(map(type, counts)) <= {int} or min(counts, default=1) < 1 or ends[-1:] != [len(flat)][:len(ends)]:
        raise ValueError("bad township counts")
    g._towns = {n: flat[e - k:e] for n, k, e in zip(names, counts, ends)}
    g._scan_cache, g._segmenters = {}, {}
    g._scan_tables(True)
    g._scan_tables(False)
    return g


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer with every table built, shared by the process (from the resource cache)."""
    return cached_resource("gazetteer", Gazetteer.prepared, to_data, from_data)
