"""The building blocks ingest/structure.py makes of a document's cleaned lines, shared by the
steps that read them (cases, chunking, portraits)."""

from __future__ import annotations

import re
from dataclasses import dataclass

SECTION_JOIN = " › "
# The number a heading opens with ("4.2 ", "3. "): not part of its title.
LEADING_NUMBER = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})*\.?\s+")


@dataclass
class Block:
    """A paragraph, heading, list item, footnote or label (a removed running header/tab)."""

    text: str
    kind: str  # heading | subheading | para | list | footnote | label
    page_start: int | None = None
    page_end: int | None = None
    level: int = 0  # headings: 1 = chapter, 2 = section
    recurring: bool = False
    source: str = ""  # labels: "header" or "tab"
    section: str | None = None
    case: str | None = None

    @property
    def words(self) -> int:
        return len(self.text.split())


def heading_key(text: str) -> str:
    """First three words, lower case, numbering and punctuation removed: recurring rubrics
    are compared on this ("Urgentie van de opgave(n)", "… de opgave: Koppelen …")."""
    words = re.findall(r"[^\W\d_]+", LEADING_NUMBER.sub("", text).lower())
    return " ".join(words[:3])
