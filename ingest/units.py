"""A passage as units of evidence: sentences and list items with their offsets and structural role.

Computed once at ingest and stored with the passage, so the assistant never parses a passage
again: it scores units, quotes them and knows which ones may never be quoted (headings, captions,
footnotes, link lists, a sentence cut off by a chunk border).

Written by hand, not with pysbd or llama-index's splitters: those cut running text into
sentences but lose what a line is (a heading, a bullet of a list, the intro that announces it),
and every unit here must be an exact stretch of the passage text (offsets, for highlighting).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import NamedTuple

from ingest.lines import ABBREVIATION_END, LIST_ITEM
from ingest.points import POINT, numbered_points

# What a unit is. Only QUOTABLE roles may be quoted as an answer.
SENTENCE, INTRO, ITEM = "sentence", "intro", "item"
HEADING, CAPTION, FOOTNOTE, LINK, FRAGMENT = "heading", "caption", "footnote", "link", "fragment"
SIGNPOST = "signpost"
ROLES = (SENTENCE, INTRO, ITEM, HEADING, CAPTION, FOOTNOTE, LINK, FRAGMENT, SIGNPOST)
QUOTABLE = frozenset({SENTENCE, INTRO, ITEM})

HEADING_MAX_WORDS = 14
MIN_SENTENCE_WORDS = 3  # shorter running text is a stray label, not a claim

# A sentence ends at . ! ? (perhaps with a closing quote or bracket) and the next one starts with a
# capital, digit, quote or bracket.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'’”)]?\s+(?=[A-ZÀ-Ý0-9‘“'\"(])")
_BULLET = re.compile(r"^\s*([-–•·❖▪■►➢●○◦✓✔*]|\d+[.)])\s+")
# "Bron: …", "Figuur 2: …", "Tabel 3 …": a caption says where a figure comes from, it claims nothing.
_CAPTION = re.compile(r"^(bron(nen)?|foto|figuur|afbeelding|tabel|grafiek|illustratie)(\s+\d+(\.\d+)?)?\s*[:.]",
                      re.IGNORECASE)
# The heading of a list of links or sources: what follows it are titles and addresses, not claims.
_LINKS_HEADING = re.compile(r"^(meer weten|meer informatie|lees meer|links|bronnen|literatuur)\b\W*$", re.IGNORECASE)
_URL = re.compile(r"https?://|www\.|\b[\w-]+\.(nl|com|org|eu|be|net)(/\S*)?$", re.IGNORECASE)
_TERMINAL = re.compile(r"[.!?:;][\"'’”)\]»]*$")
# A report speaking about its own layout ("In dit hoofdstuk …", "In hoofdstuk 3 staan …", "Zie bijlage
# 2.", "Tot zover de inleiding."): a signpost for the reader, never an answer. General Dutch report
# language (the bundled evaluation, quick-scan and jaarplan all use it).
_SIGNPOST = re.compile(
    r"^(?:in (?:dit|het volgende|het vorige|deze) (?:hoofdstuk|paragraaf|deel|rapport|rapportage|document)"
    r"|(?:in )?(?:het )?(?:eerste|tweede|derde|vierde|vijfde|zesde|laatste|volgende|vorige) hoofdstuk"
    r"|in (?:hoofdstuk|paragraaf|bijlage) \d|(?:toelichting: )?zie (?:ook )?(?:de |het )?(?:bijlage|hoofdstuk|paragraaf)"
    r"|tot zover|hieronder (?:staan|volgen|gaan we|beschrijven)|in de volgende (?:paragraaf|hoofdstukken|paragrafen))\b",
    re.IGNORECASE)


class Unit(NamedTuple):
    start: int  # offset in the passage text
    end: int
    role: str
    para: int  # the line of the passage it stands on: units of one line belong together

    def text(self, passage: str) -> str:
        return passage[self.start:self.end]


def sentence_spans(line: str) -> list[tuple[int, int]]:
    """The sentences of one line as (start, end) offsets, each stripped of surrounding space."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(line):
        end = m.start() + len(m.group().rstrip())  # with the closing quote or bracket, if any
        # the full stop of an abbreviation or an initial ends no sentence: "ca. 60%", "T. Nederland"
        if ABBREVIATION_END.search(line[start:end]) or _quote_after_quote(m, line):
            continue
        spans.append((start, end))
        start = m.end()
    spans.append((start, len(line)))
    return _merge_open_quotes([_strip(line, s, e) for s, e in spans if line[s:e].strip()], line)


def sentences(line: str) -> list[str]:
    """The sentences of one line, each an exact substring of it."""
    return [line[s:e] for s, e in sentence_spans(line)]


def _strip(line: str, start: int, end: int) -> tuple[int, int]:
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    return start, end


def _quote_after_quote(m: re.Match, line: str) -> bool:
    """"gekeken ‘wat is ons belang?’ ‘waarop …’": quoted questions in a row are one sentence."""
    return m.group().strip() in ("’", "”", "'", '"') and line[m.end()] in "‘“'\""


def _merge_open_quotes(spans: list[tuple[int, int]], line: str) -> list[tuple[int, int]]:
    """Sentences inside one quotation stay together (‘Terugtreden is vooruitzien. Maatschappelijke
    veerkracht …’). (’ is also an apostrophe: that can only make a quote look closed.)"""
    merged: list[tuple[int, int]] = []
    for span in spans:
        if merged and _opens_quote(line[merged[-1][0]:merged[-1][1]]):
            merged[-1] = (merged[-1][0], span[1])
        else:
            merged.append(span)
    return merged


def _opens_quote(text: str) -> bool:
    return text.count("‘") > text.count("’") or text.count("“") > text.count("”")


def is_heading_line(line: str) -> bool:
    """A short line without closing punctuation that is not a list item: a (sub)heading."""
    stripped = line.strip()
    return (bool(stripped) and not _BULLET.match(stripped) and not LIST_ITEM.match(stripped)
            and not _TERMINAL.search(stripped) and not stripped.endswith((",", "’", "”"))
            and len(stripped.split()) <= HEADING_MAX_WORDS)


def _question_heading(line: str) -> bool:
    """A short question on a line of its own ("Wat is bereikt?", "Waar werd het moeilijk, wat
    waren de beren op de weg?"): a rubric the text below answers, not an answer itself."""
    return line.endswith("?") and len(line.split()) <= HEADING_MAX_WORDS and len(sentence_spans(line)) == 1


def split_units(text: str, footnotes: Iterable[str] = ()) -> list[Unit]:
    """The units of a passage in reading order (see the module docstring)."""
    notes = {" ".join(n.split()) for n in footnotes}
    lines = text.split("\n")
    points = numbered_points([ln.strip() for ln in lines], first=None)
    units: list[Unit] = []
    offset, in_links = 0, False
    for number, line in enumerate(lines):
        stripped = line.strip()
        if _LINKS_HEADING.match(stripped):
            in_links = True
        units.extend(_line_units(line, offset, number, number in points, in_links, notes))
        offset += len(line) + 1
    return _mark_cut_edges(_signposted_lists(_announcing_sentences(units)), text)


def _line_units(line: str, offset: int, number: int, is_point: bool, in_links: bool, notes: set[str]) -> list[Unit]:
    stripped = line.strip()
    if not stripped:
        return []
    lead = len(line) - len(line.lstrip())
    whole = [Unit(offset + lead, offset + lead + len(stripped), "", number)]
    if in_links or _URL.search(stripped):
        return [u._replace(role=LINK) for u in whole]
    if " ".join(stripped.split()) in notes:
        return [u._replace(role=FOOTNOTE) for u in whole]
    if _CAPTION.match(stripped):
        return [u._replace(role=CAPTION) for u in whole]
    point = POINT.match(line) if is_point else None
    bullet = point or _BULLET.match(line) or LIST_ITEM.match(line)
    if not bullet and (is_heading_line(stripped) or _question_heading(stripped)):
        return [u._replace(role=HEADING) for u in whole]
    body_start = bullet.end() if bullet else 0
    body = line[body_start:]
    units = []
    for s, e in sentence_spans(body):
        part = body[s:e]
        if bullet:
            role = ITEM
        elif _SIGNPOST.match(part):
            role = SIGNPOST
        elif part.endswith(":"):
            role = INTRO
        else:
            role = SENTENCE if len(part.split()) >= MIN_SENTENCE_WORDS else FRAGMENT
        units.append(Unit(offset + body_start + s, offset + body_start + e, role, number))
    return units


def _announcing_sentences(units: list[Unit]) -> list[Unit]:
    """The last sentence of a paragraph that a list of two or more items follows announces it,
    also without a colon ("De partijen kwamen onderweg praktische hobbels tegen." | – … | – …)."""
    out = list(units)
    for i, unit in enumerate(units[:-2]):
        nxt, after = units[i + 1], units[i + 2:]
        if unit.role != SENTENCE or nxt.para == unit.para or nxt.role != ITEM:
            continue
        run = [nxt]
        for u in after:
            if u.role != ITEM:
                break
            run.append(u)
        if len({u.para for u in run}) >= 2:
            out[i] = unit._replace(role=INTRO)
    return out


def _signposted_lists(units: list[Unit]) -> list[Unit]:
    """The list a signpost announces ("In dit hoofdstuk … geordend naar:" | – algemene bevindingen
    | – …) is the report's table of contents, not content: it is a signpost too."""
    out = list(units)
    for i, unit in enumerate(units):
        if unit.role != SIGNPOST:
            continue
        for j in range(i + 1, len(units)):
            if units[j].role != ITEM:
                break
            out[j] = units[j]._replace(role=SIGNPOST)
    return out


def _mark_cut_edges(units: list[Unit], text: str) -> list[Unit]:
    """A chunk border may cut running text: the passage's first sentence starting in lower case
    (the overlap began mid-sentence) and its last sentence without closing punctuation are
    fragments; quoted alone they read as nonsense ("… is wijkrestaurant")."""
    if not units:
        return units
    first, last = units[0], units[-1]
    if first.role == SENTENCE and text[first.start:first.end][:1].islower():
        units[0] = first._replace(role=FRAGMENT)
    if last.role in (SENTENCE, INTRO) and not _TERMINAL.search(text[last.start:last.end]):
        units[-1] = last._replace(role=FRAGMENT)
    return units


def units_to_json(units: list[Unit]) -> str:
    """Compact storage form (Chroma metadata holds strings, numbers and lists of one type)."""
    return json.dumps([[u.start, u.end, ROLES.index(u.role), u.para] for u in units], separators=(",", ":"))


def units_from_json(data: str | None) -> list[Unit]:
    if not data:
        return []
    return [Unit(s, e, ROLES[r], p) for s, e, r, p in json.loads(data)]
