"""Cleaning of text extracted from PDFs (by pypdf or by an earlier PDF-to-text step).

Only extraction noise is removed; words and punctuation inside sentences are never rewritten,
because answers are checked against quotes from the source. What counts as noise is decided
by pattern and by repetition inside the document, never by lists of strings from one file:

- characters: NFKC (ligatures such as "ﬁ" and "ĳ", non-breaking spaces), U+FFFC and soft
  hyphens removed, private-use bullets (Symbol/Wingdings, U+E000–U+F8FF) turned into "•";
- double spacing (a blank line after almost every text line) is undone; whitespace-only
  lines then mark the paragraph breaks;
- bare URL lines, table-of-contents lines with dot leaders, isolated page numbers, chart
  residue ("69%"), a trailing bookmark list (tab-indented lines);
- running headers/footers: lines whose start before a " | " separator repeats (the part
  after it is kept as a *label*: it often names the chapter or case), lines that repeat on
  page tops/bottoms (PDF), and short "page tab" lines that sit right before such noise;
- table blocks that repeat verbatim (only the first copy stays);
- footnote markers glued to words ("Holendrecht)1", "bewoners.7", "wonen1 project");
  footnote bodies are moved after the paragraph they interrupt;
- line-end hyphenation (see `join_hyphenation` for the rule).

The result is a list of `Line`s that keep their page number; `structure` builds paragraphs,
headings, sections and cases from it.
"""

from __future__ import annotations

import re
import unicodedata

from ingest.lines import TERMINAL, CleanedText, Line
from ingest.page_noise import drop_repeated_blocks, find_noise, mark_page_tabs
from ingest.records import Page
from ingest.word_repairs import glued_tokens, join_line_hyphenation, short_names, strip_footnote_markers, vocabulary

# Characters NFKC would rewrite into something a reader would not quote ("…" → "...").
_KEEP_AS_IS = "…½¼¾"
# Wingdings/Symbol glyphs that are not bullets but arrows in running text.
_PRIVATE_USE_INLINE = {"\uf0e0": "→", "\uf0e8": "→", "\uf0d8": "↑", "\uf0da": "↓"}
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\ufffc"), None)


# --- characters --------------------------------------------------------------------------


def normalize_chars(text: str) -> str:
    """NFKC (ligatures, compatibility spaces) without touching "…" and fractions; drop
    U+FFFC, soft hyphens and zero-width characters; private-use bullets become "•"."""
    text = text.translate(_ZERO_WIDTH)
    parts = re.split(f"([{_KEEP_AS_IS}])", text)
    text = "".join(p if p and p in _KEEP_AS_IS else unicodedata.normalize("NFKC", p) for p in parts)
    if re.search("[\ue000-\uf8ff]", text):
        lines = []
        for line in text.split("\n"):
            # A private-use glyph opening a line is a bullet from a Symbol/Wingdings font.
            line = re.sub(r"^(\s*)[\ue000-\uf8ff]+\s*", r"\1• ", line)
            for glyph, repl in _PRIVATE_USE_INLINE.items():
                line = line.replace(glyph, repl)
            line = re.sub(r"\s*[\ue000-\uf8ff]+\s*", " ", line)
            lines.append(line)
        text = "\n".join(lines)
    return text


# --- the pipeline ------------------------------------------------------------------------


def clean_text(text: str, title_hint: str | None = None) -> str:
    """Clean one string (a file without pages); returns the cleaned text."""
    return clean_pages([Page(number=None, text=text)], title_hint).text()


def clean_pages(pages: list[Page], title_hint: str | None = None) -> CleanedText:
    lines = _split(pages)
    _drop_outline(lines)
    result = CleanedText(lines=[])
    noise = find_noise(lines, result, any(p.number is not None for p in pages), title_hint)
    mark_page_tabs(lines, noise, result)
    drop_repeated_blocks(lines)
    result.double_spaced = _undo_double_spacing(lines)
    _move_footnotes(lines)
    full = "\n".join(ln.text for ln in lines if ln.kind == "text")
    counts = glued_tokens(full)
    numbers = {m.group(1) for ln in lines if ln.kind == "footnote" and (m := re.match(r"\s*(\d{1,2})\s", ln.text))}
    for ln in lines:
        if ln.kind == "text":
            ln.text = strip_footnote_markers(ln.text, counts, numbers or None)
    join_line_hyphenation(lines, vocabulary(full), short_names(full))
    cleaned: list[Line] = []
    for ln in lines:
        if ln.kind == "deleted":
            continue
        if ln.kind in ("text", "footnote"):
            ln.text = " ".join(ln.text.split())
            if not ln.text:
                ln.kind = "blank"
        if ln.kind == "blank" and cleaned and cleaned[-1].kind == "blank":
            continue
        cleaned.append(ln)
    result.lines = cleaned
    result.running_headers = list(dict.fromkeys(result.running_headers))
    result.links = list(dict.fromkeys(result.links))
    return result


def _split(pages: list[Page]) -> list[Line]:
    lines: list[Line] = []
    for page in pages:
        text = normalize_chars(page.text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n"))
        first = True
        for raw in text.split("\n"):
            if not raw.strip():
                # Long whitespace-only lines are footnote separators in these extractions.
                kind = "sep" if len(raw) >= 15 else ("ws" if raw else "empty")
                lines.append(Line("", page.number, kind=kind))
                continue
            if page.number is not None:
                start = first
            else:
                # In text extractions of PDFs a new page often starts with one leading space.
                start = bool(re.match(r"^ (?! )(?![-–•·]\s)\S", raw)) or not lines
            lines.append(Line(raw.rstrip(), page.number, page_start=start))
            first = False
    return lines


def _drop_outline(lines: list[Line]) -> None:
    """A bookmark list at the very end (tab-indented lines) is navigation, not text."""
    i = len(lines) - 1
    while i >= 0 and lines[i].kind != "text":
        i -= 1
    run = []
    while i >= 0 and (lines[i].kind != "text" or lines[i].text.startswith("\t")):
        if lines[i].kind == "text":
            run.append(i)
        i -= 1
    if len(run) >= 3:
        for k in run:
            lines[k].kind = "deleted"
    for ln in lines:
        if ln.kind == "text" and "\t" in ln.text:
            ln.text = ln.text.replace("\t", " ")


def _undo_double_spacing(lines: list[Line]) -> bool:
    """Decide whether the text is double spaced and turn the blank-ish lines into
    "blank" (a paragraph may break here) or delete them."""
    text_n = followed = 0
    lengths = []
    for i, ln in enumerate(lines[:-1]):
        if ln.kind == "text":
            text_n += 1
            followed += lines[i + 1].kind == "empty"
            lengths.append(len(ln.text))
    # Wrapped lines (a PDF page) rather than one line per paragraph (Markdown, Word): only
    # then is a blank line after every line double spacing.
    wrapped = bool(lengths) and sorted(lengths)[len(lengths) // 2] <= 110
    double = text_n >= 4 and followed / text_n >= 0.7 and wrapped
    for ln in lines:
        if ln.kind == "empty":
            ln.kind = "deleted" if double else "blank"
        elif ln.kind in ("ws", "sep", "noise"):
            ln.kind = "blank" if ln.kind != "sep" else "sep"
    return double


def _move_footnotes(lines: list[Line]) -> None:
    """Footnote bodies (after a long whitespace separator, "1 Stadsdeel …") often sit in the
    middle of a sentence that runs on to the next page. They are marked and moved to the
    next place where a paragraph ends."""
    i = 0
    while i < len(lines):
        if lines[i].kind != "sep":
            i += 1
            continue
        lines[i].kind = "blank"
        j = i + 1
        while j < len(lines) and lines[j].kind in ("blank", "deleted"):
            j += 1
        block: list[int] = []
        while j < len(lines) and lines[j].kind == "text" and len(block) < 8:
            t = lines[j].text
            if block and (lines[j].page_start or (not re.match(r"^\s*\d{1,2}\s+\S", t) and TERMINAL.search(lines[block[-1]].text))):
                break
            if not block and not re.match(r"^\s*\d{1,2}\s+\S", t):
                break
            block.append(j)
            j += 1
        if not block:
            i += 1
            continue
        moved_n = 0
        for k in block:
            lines[k].kind = "footnote"
        # Does the sentence before the footnotes continue after them?
        before = i - 1
        while before >= 0 and lines[before].kind in ("blank", "deleted", "label"):
            before -= 1
        after = j
        while after < len(lines) and lines[after].kind in ("blank", "deleted", "label"):
            after += 1
        continues = (
            before >= 0
            and after < len(lines)
            and lines[after].kind == "text"
            and not TERMINAL.search(lines[before].text)
        )
        if continues:
            end = after
            while end < len(lines) and not (lines[end].kind == "text" and TERMINAL.search(lines[end].text)):
                end += 1
            moved = [lines[k] for k in block]
            blank = Line("", moved[0].page, kind="blank")
            for k in reversed(block):
                del lines[k]
            insert_at = end + 1 - len(block)
            lines[insert_at:insert_at] = [blank, *moved, Line("", moved[-1].page, kind="blank")]
            moved_n = len(block)
        i = j - moved_n
