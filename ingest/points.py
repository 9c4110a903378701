"""Numbered lists without dots: a point such as "1 Bestuur dicht bij de burger" or "A Ambtenaren"
looks like a heading or a sentence on its own; only the run of numbers tells them apart."""

from __future__ import annotations

import re

from ingest.headings import starts_upper

# A point of a list numbered without dots ("1 Bestuur dicht bij de burger", "2 Vorm en inhoud …") or
# lettered ("A Ambtenaren", "B Professionals"): on its own such a line looks like a chapter heading or
# a sentence, so only the run of numbers tells them apart.
POINT = re.compile(r"^\s*(\d{1,2}|[A-H])\s+(?=[(‘'\"“]?[^\W\d_])")
POINT_GAP = 16  # lines at most between two points of one list (explanations between them)


def point_ordinal(mark: str) -> int:
    """1 for "1" or "A", 2 for "2" or "B", …"""
    return ord(mark) - ord("A") + 1 if mark.isalpha() else int(mark)


def numbered_points(texts: list[str | None], first: int | None = 1) -> set[int]:
    """Positions of the lines that are points of a list numbered 1, 2, 3, … (or A, B, C, …)
    without dots: a run of at least two, each next one within POINT_GAP lines of the one
    before. Chapters ("1 Inleiding" … "2 Perspectieven …") lie much further apart. `None`
    marks a line that is no candidate (a footnote). `first=None`: a run may start at any
    number (a passage can begin halfway through a list)."""
    numbers: dict[int, tuple[bool, int]] = {}  # position -> (lettered, ordinal)
    for pos, t in enumerate(texts):
        m = POINT.match(t) if t is not None else None
        if m and starts_upper(t[m.end():]):
            numbers[pos] = (m.group(1).isalpha(), point_ordinal(m.group(1)))
    points: set[int] = set()
    for start, (lettered, n) in numbers.items():
        if (first is not None and n != first) or start in points:
            continue
        run = [start]
        while True:
            last, wanted = run[-1], (lettered, n + len(run))
            nxt = next((p for p in range(last + 1, last + 1 + POINT_GAP) if numbers.get(p) == wanted), None)
            if nxt is None:
                break
            run.append(nxt)
        if len(run) >= 2:
            points.update(run)
    return points
