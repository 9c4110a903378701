"""Is a line a heading, and of which level? Recognised by pattern and by repetition, not by a list of
titles (see ingest/structure.py): numbered headings, titles of the table of contents, short lines
that recur as stand-alone lines, short capitalised lines between paragraphs, lines in capitals.
`LineContext` is what build_blocks knows about the lines around the one it reads."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.blocks import LEADING_NUMBER, heading_key
from ingest.lines import LIST_ITEM, TERMINAL

FUNCTION_WORDS = {
    "de", "het", "een", "en", "van", "voor", "in", "op", "met", "aan", "te", "die", "dat", "of",
    "om", "bij", "naar", "als", "door", "tot", "uit", "over", "zijn", "is", "wordt", "worden",
    "er", "ook", "maar", "we", "wij", "ze", "zij", "hun", "haar", "zich", "niet", "nog", "dan",
    "the", "and", "of", "to", "a",
}
NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,2})\.?\s+(\S.*)$")
# Standard names of the parts of a Dutch report: chapters even without a number.
PART_NAME = re.compile(
    r"^(voorwoord|inleiding|(bestuurlijke |management)?samenvatting|managementsamenvatting|"
    r"colofon|verantwoording|nawoord|literatuur(lijst)?|bronnen(lijst|overzicht)?|"
    r"inhoud(sopgave)?|bijlagen)$",
    re.I,
)


def norm_title(text: str) -> str:
    text = LEADING_NUMBER.sub("", text)
    return " ".join(re.findall(r"\w+", text.lower()))


def starts_upper(text: str) -> bool:
    m = re.search(r"[^\W\d_]|\d", text)
    return bool(m) and (m.group(0).isupper() or m.group(0).isdigit())


def starts_lower(text: str) -> bool:
    m = re.match(r"^[\W_]*([^\W\d_])", text)
    return bool(m) and m.group(1).islower() and not re.match(r"^\W*(e\.o\.|i\.s\.m\.)", text)


@dataclass
class LineContext:
    """Neighbourhood of a text line: previous/next content line and whether a paragraph
    break (blank line, label) lies in between."""

    prev: str | None
    prev_break: bool
    nxt: str | None
    next_break: bool
    after_next: str | None
    page_start: bool
    next_label: bool = False  # a removed running header/page tab lies before the next line


def could_be_heading(t: str, c: LineContext, max_words: int = 12) -> bool:
    words = t.split()
    if not words or len(words) > max_words or len(t) > 100:
        return False
    if re.search(r"[.,;]$", t.strip()) or (LIST_ITEM.match(t) and not NUMBERED.match(t)):
        return False
    if c.prev is not None and not (c.prev_break or c.page_start) and not TERMINAL.search(c.prev):
        return False  # the line continues the previous sentence
    return starts_upper(LEADING_NUMBER.sub("", t))


def heading_level(
    t: str, c: LineContext, recurring: set[str], toc: set[str], chapter: int, noisy: bool, style: list
) -> tuple[int, bool]:
    """Heading level of a line (0 = no heading) and whether the next line is part of it."""
    stripped = t.strip()
    if toc and norm_title(stripped) in toc and starts_upper(stripped):
        # Listed in the table of contents: a heading whatever its neighbours look like.
        m = NUMBERED.match(stripped)
        return (2 if m and "." in m.group(1) else 1), False
    if not could_be_heading(t, c, max_words=14):
        return 0, False
    merged = _wraps_onto_next_line(t, c)
    if merged is None:
        return 0, False
    text = f"{t} {c.nxt}" if merged else t
    stripped = text.strip()
    if PART_NAME.match(stripped) and not merged:
        return 1, False
    if re.match(r"^(Bijlage|Hoofdstuk|Appendix|Deel)\s+([\dIVX]+|[A-H])\b", stripped) and not re.search(r"[.,;:]$", stripped):
        return 1, merged
    m = NUMBERED.match(stripped)
    level = _numbered_level(stripped, m, c.nxt, chapter, style) if m else 0
    if level:
        return level, merged
    if heading_key(text) in recurring:
        return 3, merged
    if m:
        return 0, False
    letters = [ch for ch in stripped if ch.isalpha()]
    if len(letters) >= 6 and sum(ch.isupper() for ch in letters) / len(letters) > 0.8 and len(stripped.split()) >= 2:
        return 1, merged  # in capitals
    return (3, merged) if _title_before_prose(stripped, merged, c, noisy) else (0, False)


def _wraps_onto_next_line(t: str, c: LineContext) -> bool | None:
    """Whether a heading continues on the next line ("Waar werd het moeilijk, wat waren de beren /
    op de weg?"): True, False, or None when the line runs on as a sentence (no heading)."""
    nxt = c.nxt
    if not (nxt is not None and not c.next_break and starts_lower(nxt) and not LIST_ITEM.match(nxt)):
        return False
    return True if (
        len(nxt.split()) <= 6
        and not re.search(r"[.,;:]$", nxt.strip())
        and len((t + " " + nxt).split()) <= 14
        and (c.after_next is None or not starts_lower(c.after_next))
    ) else None


def _numbered_level(stripped: str, m: re.Match, nxt: str | None, chapter: int, style: list) -> int:
    """The level of a numbered heading ("4.2 Toegang" 2; "3 Terugblik" a chapter when its number
    is past the current one), 0 when the number does not make it one."""
    number, title = m.group(1), m.group(2)
    ok = starts_upper(title) and not re.search(r"[.,;:!?]$", title) and len(title.split()) <= 12
    if ok and "." in number:
        return 2
    n = int(number)
    # "1 Inleiding" and "2. Het nieuwe samenspel" are not of one kind: chapters are
    # numbered in one style throughout a document.
    dotted = bool(re.match(r"^\d{1,2}\.\s", stripped))
    same_style = style[0] is None or style[0] == dotted
    if (
        ok
        and same_style
        and len(title.split()) <= 10
        and not (nxt is not None and re.match(rf"^\s*{n + 1}[.)]?\s", nxt))  # a numbered list
    ):
        if n > chapter:
            style[0] = dotted
            return 1
        return 2
    return 0


def _title_before_prose(stripped: str, merged: bool, c: LineContext, noisy: bool) -> bool:
    """A short title line between paragraphs, followed by prose."""
    nxt, words = c.nxt, stripped.split()
    if (
        len(words) > (14 if merged else 10)
        or len(stripped) > (110 if merged else 75)
        or re.search(r"[.,;:!]$", stripped)
        or (stripped.endswith("?") and len(words) > 8)
        or words[-1].lower().strip("‘’'\"“”()") in FUNCTION_WORDS
        or nxt is None
        or (merged and len(words) > 14)
    ):
        return False
    if not (c.prev is None or c.prev_break or c.page_start or TERMINAL.search(c.prev)):
        return False
    if noisy and c.next_break:
        return False
    if not (starts_upper(nxt) or LIST_ITEM.match(nxt)):
        return False
    # two short lines in a row: a table or an address, not a heading
    return not (len(nxt) < 40 and not LIST_ITEM.match(nxt) and not c.next_break)
