"""Photo captions: which lines of an article's text are captions under photos.

A caption is not annotated: no entity, figure or relation comes from it (图为…, …供图,
李某 摄, position marks such as (右三), 由左至右). The markers are those of
``caption_markers.tsv`` plus the caption rows of ``boilerplate.tsv`` (the reader drops short
caption lines already; a long one, with a sentence of context before 图为, stays in the text
and is recognised here). The whole line is the caption: the sentence before 图为 describes
the photo too.

What this module does not do: drop captions from the text (offsets must stay) or decide what
the finders do with them (``ArticleContext.in_caption``).
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg.resources import load_table

# a bracketed position mark: (右三), （左一）, (中), (左起)
POSITION_MARK = r"[(（]{cue}(?:[一二三四五六七八九十\d]{{1,2}}|起)?[)）]"


@lru_cache(maxsize=1)
def caption_re() -> re.Pattern:
    """One regex for photo-caption lines: the markers of ``caption_markers.tsv`` at their
    position (start, end, mark) and the caption patterns of ``boilerplate.tsv``."""
    alts = []
    for r in load_table("caption_markers.tsv"):
        marker, pos = r["marker"], r["position"]
        if pos == "mark":
            alts.append(POSITION_MARK.format(cue=re.escape(marker)))
            continue
        cue = re.escape(marker.replace("（", "(")).replace(r"\(", r"[(（]")
        alts.append({"start": rf"^\s*{cue}", "end": rf"{cue}\s*$"}.get(pos, cue))
    alts += [r["pattern"] for r in load_table("boilerplate.tsv") if r["kind"] == "caption"]
    return re.compile("|".join(f"(?:{a})" for a in alts) if alts else r"(?!)")


def is_caption(line: str) -> bool:
    """Whether a line of text is a photo caption."""
    return bool(caption_re().search(line))


def caption_lines(text: str) -> set[int]:
    """Indices of the lines (paragraphs) of ``text`` that are photo captions."""
    return {i for i, line in enumerate(text.split("\n")) if is_caption(line)}
