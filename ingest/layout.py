"""What a file's format says about its structure, before any guessing from the text.

A Word file names its headings (paragraph styles "Heading 1/2", "Kop 1/2", "Title"); a PDF prints
them larger (pypdf's text visitor gives each run's font size). Both show the cover block: the
title page's lines (title, subtitle, publisher, date, authors) before the body starts. The loaders
record that here; `apply_layout` then marks the cleaned lines, so the structure step takes the
declared headings as they are and the cover never becomes a passage (it is kept on the Document
for the metadata step, ingest/metadata.py).

Text cues (ingest/structure.py) stay for files that declare nothing: plain text, Markdown without
headings, PDFs in one font size.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ingest.lines import CleanedText, Line

HEADING_RATIO = 1.15  # a run this much larger than the body text is a heading
MAX_HEADING_WORDS = 15
MAX_COVER_LINES = 15  # a longer block before the first heading is text, not a title page
MAX_COVER_WORDS = 30  # per line


def norm(text: str) -> str:
    return " ".join(text.split())


# --- Word ----------------------------------------------------------------------------------

def docx_heading_level(style: str) -> int:
    """'Heading 2' / 'Kop 2' → 2 (3 at most); 0 for any other style."""
    m = re.match(r"^(?:heading|kop)\s*(\d)", style.strip(), re.IGNORECASE)
    return min(int(m.group(1)), 3) if m else 0


def docx_is_title(style: str) -> bool:
    return style.strip().lower() in {"title", "titel", "subtitle", "ondertitel"}


def docx_front_matter(paragraphs: list[tuple[str, str]]) -> list[str]:
    """The cover of a Word file: the (style, text) paragraphs before the first heading, when
    they are few and short, or when a Title style opens them."""
    front: list[str] = []
    for style, text in paragraphs:
        if docx_heading_level(style):
            break
        if text.strip():
            front.append(norm(text))
    titled = any(docx_is_title(s) for s, _ in paragraphs[: len(front) + 1])
    short = len(front) <= MAX_COVER_LINES and all(len(t.split()) <= MAX_COVER_WORDS for t in front)
    return front if front and (titled or short) and len(front) < len(paragraphs) else []


# --- PDF -----------------------------------------------------------------------------------

@dataclass
class Run:
    page: int
    size: float
    text: str


def read_pdf_page(page, number: int) -> tuple[str, list[Run]]:
    """The text of one PDF page and its runs with their printed font size (font size × text
    matrix × transformation matrix: PDFs scale either), in one pass."""
    runs: list[Run] = []

    def visit(text, cm, tm, font, size):
        try:
            if text and text.strip():
                scale = abs(tm[3] or 1) * abs(cm[3] or 1)
                runs.append(Run(number, round(float(size or 0) * scale * 2) / 2, norm(text)))
        except (TypeError, ValueError, IndexError):  # an odd matrix: this run has no size
            pass

    return page.extract_text(visitor_text=visit) or "", runs


def pdf_layout(runs: list[Run]) -> tuple[dict[str, int], list[str]]:
    """Headings (text → level) and cover lines from the runs of all pages: the body size is the
    size most characters have; larger sizes are heading levels, largest first. Large sizes used
    only on the first page are the cover's; its lines run to the first heading."""
    chars = Counter()
    for r in runs:
        chars[r.size] += len(r.text)
    if not chars:
        return {}, []
    body = chars.most_common(1)[0][0]
    big = [r for r in runs if r.size >= body * HEADING_RATIO and len(r.text.split()) <= MAX_HEADING_WORDS]
    # sizes printed only on the first page are the cover's (title, subtitle); the others are
    # heading levels, largest first
    first = runs[0].page
    sizes = sorted({r.size for r in big if r.page != first}, reverse=True)
    levels = {s: min(i + 1, 3) for i, s in enumerate(sizes)}
    headings = {r.text: levels[r.size] for r in big if r.size in levels}
    front: list[str] = []
    if any(r.size not in levels for r in big if r.page == first):
        for r in runs:
            if r.page != first or r.size in levels:
                break
            front.append(r.text)
        if len(front) > MAX_COVER_LINES or any(len(t.split()) > MAX_COVER_WORDS for t in front):
            front = []
    return headings, front


# --- applying it to the cleaned lines ------------------------------------------------------

def apply_layout(cleaned: CleanedText, headings: dict[str, int], front_matter: list[str]) -> list[str]:
    """Mark the cover lines (kind "cover": never a passage), give each declared heading a line of
    its own (a heading wrapped over two lines joined) and hand the headings to the structure
    step. Returns the cover lines found."""
    cover = _mark_cover(cleaned.lines, {norm(t) for t in front_matter})
    if headings:
        declared = {norm(t): level for t, level in headings.items()}
        cleaned.lines = _isolate_headings(cleaned.lines, declared)
        cleaned.headings = declared
    return cover


def _mark_cover(lines: list[Line], front: set[str]) -> list[str]:
    cover: list[str] = []
    if not front:
        return cover
    for ln in lines:
        if ln.kind == "blank":
            continue
        if ln.kind != "text" or norm(ln.text) not in front:
            break
        ln.kind = "cover"
        cover.append(norm(ln.text))
    return cover


def _isolate_headings(lines: list[Line], declared: dict[str, int]) -> list[Line]:
    out: list[Line] = []
    last_heading: Line | None = None  # the heading just put out (only a blank after it)
    for ln in lines:
        text = norm(ln.text) if ln.kind == "text" else ""
        if text in declared:
            before = norm(last_heading.text) if last_heading is not None else ""
            if before and declared.get(before) == declared[text] and not re.search(r"[.?!:]$", before):
                # a heading wrapped over two lines: one heading
                last_heading.text = f"{before} {text}"
                declared[last_heading.text] = declared[text]
                continue
            if out and out[-1].kind != "blank":
                out.append(Line("", ln.page, "blank"))
            out += [ln, Line("", ln.page, "blank")]
            last_heading = ln
            continue
        if ln.kind == "blank" and out and out[-1].kind == "blank":
            continue
        if ln.kind in ("text", "footnote"):
            last_heading = None
        out.append(ln)
    return out
