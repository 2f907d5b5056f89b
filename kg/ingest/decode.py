"""Decoding an article's bytes: UTF-8 (with or without a byte-order mark), else GB18030 or Big5,
chosen by the share of common Chinese characters each decode gives; and the checks that make an
input an article at all (not empty, not binary, some Chinese).

What this module does not do: clean the text or read its metadata (``kg.ingest.read``).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from kg.resources import load_table, split_list


class InputError(Exception):
    """An input that cannot be read as a Chinese article."""

    def __init__(self, path: str | Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"



HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")   # CJK ideographs, extension A and compatibility
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
# Tried in order; a tie keeps the earlier one (GB text is the common case).
_LEGACY = ("gb18030", "big5", "big5hkscs")


@lru_cache(maxsize=1)
def _common_chars() -> frozenset[str]:
    chars: set[str] = set()
    for row in load_table("common_chars.tsv"):
        chars.add(row["char"])
        chars.update(split_list(row["traditional"]))
    return frozenset(chars)


def _plausibility(text: str) -> float:
    """Share of the non-ASCII, non-space characters that are common Han characters or CJK
    punctuation. A GB18030 decode of Big5 bytes (or the reverse) is mostly rare characters,
    private-use code points and kana, so it scores far lower than the right decode."""
    common = _common_chars()
    seen = good = 0
    for ch in text:
        if ch.isascii() or ch.isspace():
            continue
        seen += 1
        if ch in common or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef" \
                or ch in "“”‘’…—·":
            good += 1
    return good / seen if seen else 0.0


def decode_bytes(data: bytes, path: str = "") -> tuple[str, str]:
    """Decode an article's bytes; returns (text, encoding name) or raises InputError."""
    name = path or "<bytes>"
    if not data.strip():
        raise InputError(name, "empty file")
    text, encoding = None, None
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text, encoding = data[len(bom):].decode(enc), enc.split("-le")[0].split("-be")[0]
            except UnicodeDecodeError:
                raise InputError(name, f"not valid {enc} despite its byte-order mark") from None
            break
    if text is None:
        if b"\x00" in data:
            raise InputError(name, "binary data (NUL bytes), not a text file")
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            best = None
            for enc in _LEGACY:
                try:
                    cand = data.decode(enc)
                except UnicodeDecodeError:
                    continue
                score = _plausibility(cand)
                if best is None or score > best[0]:
                    best = (score, cand, enc)
            if best is None:
                raise InputError(name, "undecodable: not UTF-8, GB18030 or Big5") from None
            _, text, encoding = best
    check_text(text, name)
    return text, encoding


def check_text(text: str, name: str) -> None:
    """Raise InputError unless ``text`` is non-blank text holding some Chinese."""
    if "\x00" in text:
        raise InputError(name, "binary data (NUL characters), not a text file")
    if not text.strip():
        raise InputError(name, "empty (whitespace only)")
    if not HAN.search(text):
        raise InputError(name, "no Chinese text (English or other script only)")
