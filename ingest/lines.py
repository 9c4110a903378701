"""The lines of a cleaned document and what every cleaning step shares: the `Line` record, the result
(`CleanedText`) and the patterns of sentence ends, list items, URLs, page numbers and headers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Words a title does not end on; a line ending on one is a broken-off sentence.
FUNCTION_WORDS = frozenset(
    "de het een en of van voor in op met aan te die dat om bij naar als door tot uit over is zijn wordt worden".split()
)
TERMINAL = re.compile(r"[.!?:;][\"'’”)\]»]*\s*$")  # a line that ends a sentence
# …unless its full stop belongs to an abbreviation or an initial: "een workshop o.l.v." goes on
# with "Marcel Canoy", "(Van der Veer, 2010, p." with "12)". "enz.", "etc.", "e.v.", "e.d." and
# "e.o." ("Assen e.o.") close a list or a title, and mostly the sentence too.
ABBREVIATION_END = re.compile(
    r"(?:^|[\s(])(?:(?!e\.[vdo]\.$)(?:\w\.){2,}|[A-Z]\.|(?:bijv|ca|nl|zgn|vs|nr|p|pag|blz|dhr|mevr|resp|drs|dr|mr"
    r"|ir|prof|incl|excl|evt)\.)$",
    re.IGNORECASE,
)
LIST_ITEM = re.compile(r"^\s*(?:[•·▪■□◦●○❖➢►✓✔*]|[-–—](?=\s)|\(?\d{1,2}[.)](?=\s)|\(?[a-z][.)](?=\s))")
URL_LINE = re.compile(r"^\s*(?:https?://|ftp://)\S*")
DOT_LEADER = re.compile(r"(?:\.\s?){4,}|…{2,}|(?:_\s?){4,}")
PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:(?:pagina|page|blz\.?|p\.)\s*)?\d{1,3}(?:\s*(?:/|van|of)\s*\d{1,3})?(?:\s*[-–—])?\s*$",
    re.I,
)
PERCENT_ONLY = re.compile(r"^\s*(?:\d{1,3}(?:[.,]\d+)?\s*%\s*)+$")
HEADER_SEPARATOR = re.compile(r"\s+\|\s+")


@dataclass
class Line:
    """One line of the document after cleaning.

    kind: "text" (content), "blank" (a paragraph break is allowed here), "label" (a removed
    running header or page tab; `text` is its label, `source` says which), "footnote", "cover"
    (the title page's lines: metadata, never a passage; ingest/layout.py).
    """

    text: str
    page: int | None
    kind: str = "text"
    page_start: bool = False
    source: str = ""


@dataclass
class CleanedText:
    lines: list[Line]
    running_headers: list[str] = field(default_factory=list)  # stripped, kept as metadata
    links: list[str] = field(default_factory=list)  # bare URL lines taken out of the prose
    toc: list[str] = field(default_factory=list)  # titles from a table of contents
    headings: dict[str, int] = field(default_factory=dict)  # declared by the format (ingest/layout.py)
    double_spaced: bool = False

    def text(self) -> str:
        """The cleaned text: content lines, one empty line where a paragraph may break."""
        out: list[str] = []
        for line in self.lines:
            if line.kind in ("text", "footnote"):
                out.append(line.text)
            elif line.kind == "blank" and out and out[-1] != "":
                out.append("")
        return "\n".join(out).strip("\n")


def norm_key(text: str) -> str:
    return " ".join(re.sub(r"\d+", "#", text).split()).lower()


def is_blankish(ln: Line) -> bool:
    return ln.kind in ("empty", "ws", "sep", "blank", "noise", "deleted")
