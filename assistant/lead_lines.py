"""The lead line that opens each source's part of an extractive answer ("Volgens <bron>:").

Written by the extractive answerer and read back by the follow-up logic (which sources did the
previous answer quote, and which words are only a title): one format, kept here.
"""

from __future__ import annotations

import re

from kb.retriever import Hit

# The group is the source's name, as `source_name` writes it.
LEAD_LINE = re.compile(r"^Volgens ([^\n]*):\s*$", re.MULTILINE)


def source_name(hit: Hit) -> str:
    """How an answer names a passage's source in its lead line ("Volgens <this>:"): the title,
    and in a magazine of practice cases the case, so the reader knows whose work it is."""
    title = hit.metadata.get("title") or hit.doc_id
    case = hit.metadata.get("case")
    return f"{title}, praktijkvoorbeeld {case}" if case else title


def lead_line(hit: Hit) -> str:
    return f"Volgens {source_name(hit)}:"


def quoted_sources(answer: str) -> list[str]:
    """The source names of an answer's lead lines, in order."""
    return LEAD_LINE.findall(answer)


def without_lead_lines(answer: str) -> str:
    return LEAD_LINE.sub("", answer)
