"""Practice cases from per-place portraits.

A quick-scan or comparison often presents its cases as portraits: under one heading, three or
more sub-headings that each open with a place ("Middelburg: een visie met een uitvoeringsagenda",
"Goes – regionaal en integraal"). Each such sub-heading opens a case that runs to the next heading
of its level. The magazine form (a repeated cycle of rubrics) is found by ingest/structure.py; this
is the other common form. Places come from the gazetteer (ingest/metadata.py).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.metadata import gazetteer
from ingest.structure import Block

MIN_PORTRAITS = 3
_SEPARATOR = r"\s*(?::|–|—|-\s|\(|$)"


@lru_cache(maxsize=1)
def _opening_place() -> re.Pattern:
    names = sorted(gazetteer(), key=len, reverse=True)  # "Bergen op Zoom" before "Bergen"
    return re.compile(rf"(?P<place>{'|'.join(re.escape(n) for n in names)}){_SEPARATOR}")


def portrait_place(heading: str) -> str | None:
    """The place a heading opens with, followed by a colon, a dash, a bracket or nothing."""
    m = _opening_place().match(heading)
    return m.group("place") if m else None


def find_portraits(blocks: list[Block]) -> list[str]:
    """Mark the blocks of each portrait with its case (the sub-heading) and return the names;
    nothing when the document has no run of portraits."""
    headings = [i for i, b in enumerate(blocks) if b.kind == "heading"]
    for level in sorted({blocks[i].level for i in headings}):
        for run in _sibling_runs(blocks, headings, level):
            portraits = [i for i in run if portrait_place(blocks[i].text)]
            if len(portraits) >= MIN_PORTRAITS:
                return _mark(blocks, portraits, level)
    return []


def _sibling_runs(blocks: list[Block], headings: list[int], level: int) -> list[list[int]]:
    """Headings of `level` that share a parent (no higher heading between them)."""
    runs: list[list[int]] = [[]]
    for i in headings:
        if blocks[i].level < level:
            runs.append([])
        elif blocks[i].level == level:
            runs[-1].append(i)
    return [r for r in runs if r]


def _mark(blocks: list[Block], portraits: list[int], level: int) -> list[str]:
    names = []
    for start in portraits:
        name = blocks[start].text
        names.append(name)
        for b in blocks[start:]:
            if b is not blocks[start] and b.kind == "heading" and b.level <= level:
                break
            b.case = name
    return names
