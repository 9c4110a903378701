"""From cleaned lines to paragraphs, headings, sections and cases.

Headings are recognised by pattern and by repetition, not by a list of titles:
- numbered headings ("4.2 Toegang", "3. Terugblik …"); a single number lower than the
  current chapter is a numbered sub-heading, not a new chapter;
- titles listed in the table of contents;
- short lines that recur (three or more times) as stand-alone lines: the fixed rubrics of a
  magazine ("Urgentie van de opgave", "Meer weten?");
- short capitalised lines without final punctuation that stand between paragraphs and are
  followed by prose; lines in capitals.

Cases (the practice examples of a magazine) are found by their recurring rubric cycle: when
several recurring headings come back in the same order through the document, each return
of the first one opens a new case. The case runs to the end of its closing rubric's list
(its "Meer weten?" links). A case is named after the running-header label inside it, else
after a page tab inside it, else after its title line; with a manifest, each case gets the
manifest name whose distinctive words fit it best.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from ingest.cleaning import ABBREVIATION_END, LIST_ITEM, TERMINAL, CleanedText, Line

SECTION_JOIN = " › "
_FUNCTION_WORDS = {
    "de", "het", "een", "en", "van", "voor", "in", "op", "met", "aan", "te", "die", "dat", "of",
    "om", "bij", "naar", "als", "door", "tot", "uit", "over", "zijn", "is", "wordt", "worden",
    "er", "ook", "maar", "we", "wij", "ze", "zij", "hun", "haar", "zich", "niet", "nog", "dan",
    "the", "and", "of", "to", "a",
}
_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,2})\.?\s+(\S.*)$")
# Standard names of the parts of a Dutch report: chapters even without a number.
_PART_NAME = re.compile(
    r"^(voorwoord|inleiding|(bestuurlijke |management)?samenvatting|managementsamenvatting|"
    r"colofon|verantwoording|nawoord|literatuur(lijst)?|bronnen(lijst|overzicht)?|"
    r"inhoud(sopgave)?|bijlagen)$",
    re.I,
)


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


@dataclass
class DocumentStructure:
    blocks: list[Block]
    cases: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    title: str | None = None


def analyse(cleaned: CleanedText, case_names: list[str] | None = None) -> DocumentStructure:
    blocks = build_blocks(cleaned)
    cases = detect_cases(blocks, case_names)
    assign_sections(blocks)
    sections = list(dict.fromkeys(b.section for b in blocks if b.section and b.kind != "label"))
    return DocumentStructure(blocks=blocks, cases=cases, sections=sections, title=_first_title(blocks))


# --- paragraphs and headings -------------------------------------------------------------


def _heading_key(text: str) -> str:
    """First three words, lower case, numbering and punctuation removed: recurring rubrics
    are compared on this ("Urgentie van de opgave(n)", "… de opgave: Koppelen …")."""
    words = re.findall(r"[^\W\d_]+", re.sub(r"^\s*\d{1,2}(?:\.\d{1,2})*\.?\s+", "", text).lower())
    return " ".join(words[:3])


def _norm_title(text: str) -> str:
    text = re.sub(r"^\s*\d{1,2}(?:\.\d{1,2})*\.?\s+", "", text)
    return " ".join(re.findall(r"\w+", text.lower()))


def _opens_list(t: str) -> bool:
    """A capitalised line ending in ':' after a list item is the next list's intro ("- samenwerken"
    | "Elementen van een zorgzame buurt:"), not the item running on."""
    return _starts_upper(t) and t.rstrip().endswith(":")


def _runs_on(line: str) -> bool:
    """A line ending in a function word or a comma goes on in the next ("… door de Raad voor" |
    "Maatschappelijke Ontwikkeling (RMO 2006):"), even when that one is capitalised."""
    words = line.split()
    return bool(words) and (words[-1].lower() in _FUNCTION_WORDS or line.rstrip().endswith(","))


def _starts_upper(text: str) -> bool:
    m = re.search(r"[^\W\d_]|\d", text)
    return bool(m) and (m.group(0).isupper() or m.group(0).isdigit())


def _starts_lower(text: str) -> bool:
    m = re.match(r"^[\W_]*([^\W\d_])", text)
    return bool(m) and m.group(1).islower() and not re.match(r"^\W*(e\.o\.|i\.s\.m\.)", text)


@dataclass
class _Ctx:
    """Neighbourhood of a text line: previous/next content line and whether a paragraph
    break (blank line, label) lies in between."""

    prev: str | None
    prev_break: bool
    nxt: str | None
    next_break: bool
    after_next: str | None
    page_start: bool
    next_label: bool = False  # a removed running header/page tab lies before the next line


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
        if m and _starts_upper(t[m.end():]):
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


def build_blocks(cleaned: CleanedText) -> list[Block]:
    lines = cleaned.lines
    content = [i for i, ln in enumerate(lines) if ln.kind in ("text", "footnote")]
    points = numbered_points([lines[i].text if lines[i].kind == "text" else None for i in content])
    widths = sorted(len(lines[i].text) for i in content if lines[i].kind == "text")
    width = widths[int(len(widths) * 0.9)] if widths else 80
    noisy_blanks = _noisy_blanks(lines)
    toc = {_norm_title(t) for t in cleaned.toc if _norm_title(t)}
    # headings the format declares (Word styles, a PDF's font sizes): these and no others
    declared = {_norm_title(t): level for t, level in cleaned.headings.items()}
    # what the document prints as a running header or page label (a case's name): such a line
    # between the halves of a sentence is that header again, where the page turned
    headers = {_norm_title(h.split(" | ")[-1]) for h in cleaned.running_headers}
    headers |= {_norm_title(ln.text) for ln in lines if ln.kind == "label"}

    def ctx(pos: int) -> _Ctx:
        i = content[pos]
        prev = lines[content[pos - 1]].text if pos > 0 else None
        nxt = lines[content[pos + 1]].text if pos + 1 < len(content) else None
        after = lines[content[pos + 2]].text if pos + 2 < len(content) else None
        pb = pos == 0 or any(lines[k].kind in ("blank", "label") for k in range(content[pos - 1] + 1, i))
        nb = pos + 1 >= len(content) or any(
            lines[k].kind in ("blank", "label") for k in range(i + 1, content[pos + 1])
        )
        nl = pos + 1 < len(content) and any(lines[k].kind == "label" for k in range(i + 1, content[pos + 1]))
        return _Ctx(prev, pb, nxt, nb, after, lines[i].page_start, nl)

    # First pass: which stand-alone short lines recur (rubrics)? The same first words are
    # not enough: "Stadsdeel Amsterdam Zuidoost, ‘Convenant …’" in a source list differ in
    # the rest; a rubric comes back (nearly) verbatim.
    standalone: dict[str, Counter] = {}
    for pos, i in enumerate(content):
        c = ctx(pos)
        t = lines[i].text
        if lines[i].kind == "text" and _could_be_heading(t, c, max_words=12):
            standalone.setdefault(_heading_key(t), Counter())[_norm_title(t)] += 1
    recurring = {
        k for k, variants in standalone.items()
        if k and sum(variants.values()) >= 3 and variants.most_common(1)[0][1] >= 0.5 * sum(variants.values())
    }

    blocks: list[Block] = []
    para: list[Line] = []
    para_kind = "para"
    pending_labels: list[Block] = []
    chapter = 0
    style: list = [None]  # chapter numbering style: "1." (True) or "1" (False)
    last_heading = -2
    skip_next = False

    def flush() -> None:
        nonlocal para
        if para:
            text = _join_lines([ln.text for ln in para])
            blocks.append(Block(text, para_kind, para[0].page, para[-1].page))
            para = []
        blocks.extend(pending_labels)
        pending_labels.clear()

    last_content = -1
    for pos, i in enumerate(content):
        ln = lines[i]
        # labels between the previous content line and this one
        for k in range(last_content + 1, i):
            if lines[k].kind == "label":
                lab = Block(lines[k].text, "label", lines[k].page, lines[k].page, source=lines[k].source)
                (pending_labels.append(lab) if para else blocks.append(lab))
        last_content = i
        if skip_next:
            skip_next = False
            continue
        c = ctx(pos)
        t = ln.text
        if ln.kind == "footnote":
            if para and para_kind != "footnote":
                flush()
            if para_kind == "footnote" and para and re.match(r"^\d{1,2}\s", t):
                flush()
            para_kind = "footnote"
            para.append(ln)
            continue
        if pos in points:
            flush()
            para_kind = "list"
            para.append(ln)
            continue
        if (
            para
            and para_kind == "list"
            and c.prev_break
            and not TERMINAL.search(para[-1].text)
            and len(t.split()) <= 8
            and not LIST_ITEM.match(t)
            and _heading_key(t) not in recurring
            and not _NUMBERED.match(t)
            and _norm_title(t) not in toc
            and _norm_title(t) not in declared
            and not (c.page_start and _starts_upper(t))
            and not _opens_list(t)
            and (c.nxt is None or LIST_ITEM.match(c.nxt) or c.next_label)
            and (c.nxt is None or _heading_key(c.nxt) not in recurring)
        ):
            para.append(ln)  # the end of a list item that ran on to the next page
            continue
        if last_heading == pos - 1 and pos > 0:
            c.prev_break = True  # a heading right above: "1 Inleiding" / "1.1 Aanleiding"
        if declared:
            level, merged = declared.get(_norm_title(t), 0), False
        else:
            level, merged = _heading_level(t, c, recurring, toc, chapter, noisy_blanks, style)
        if level:
            flush()
            text = t if not merged else f"{t} {c.nxt}"
            m = _NUMBERED.match(text)
            if m and level == 1:
                chapter = int(m.group(1).split(".")[0])
            elif m and "." in m.group(1):
                chapter = max(chapter, int(m.group(1).split(".")[0]))
            blocks.append(
                Block(" ".join(text.split()), "heading", ln.page, ln.page, level=level,
                      recurring=_heading_key(text) in recurring)
            )
            skip_next = merged
            last_heading = pos + merged
            para_kind = "para"
            continue
        if LIST_ITEM.match(t):
            if re.fullmatch(r"\s*[•·▪■◦●○*-]\s*", t):  # a bullet on its own line
                flush()
                para_kind = "list"
                para = [Line("•", ln.page)]
                continue
            if not (para and para_kind == "list" and len(para) == 1 and para[0].text == "•"):
                flush()
                para_kind = "list"
            para.append(ln)
            continue
        if _norm_title(t) in headers and _label_inside_sentence(t, c, para, para_kind):
            continue  # a running header or page label between the two halves of a sentence
        if para:
            prev_text = para[-1].text
            ends = bool(TERMINAL.search(prev_text)) and not ABBREVIATION_END.search(prev_text.rstrip())
            if c.prev_break:
                if _starts_lower(t):
                    new = False  # a sentence running on across a page break
                elif para_kind == "list" or para_kind == "footnote":
                    new = True
                else:
                    new = ends or not noisy_blanks
            else:
                new = para_kind == "footnote" or (
                    ends and _starts_upper(t) and len(prev_text) < 0.8 * width and para_kind != "list"
                ) or (para_kind == "list" and _opens_list(t) and not _runs_on(prev_text)) or (
                    # a short numbered point is a title; the capitalised line under it explains it
                    len(para) == 1 and pos - 1 in points and _starts_upper(t) and len(prev_text) < 0.8 * width
                    and not _runs_on(prev_text)
                )
            if new:
                flush()
                para_kind = "para"
        else:
            para_kind = "para"
        para.append(ln)
    flush()
    for k in range(last_content + 1, len(lines)):
        if lines[k].kind == "label":
            blocks.append(Block(lines[k].text, "label", lines[k].page, lines[k].page, source=lines[k].source))
    return [b for b in blocks if b.text.strip() and b.text.strip() != "•"]


def _label_inside_sentence(t: str, c: _Ctx, para: list[Line], para_kind: str) -> bool:
    """A short title-like line, set apart by a break, between a paragraph that stops mid-sentence
    and a line that goes on in lower case ("… (vooral mensen met" | "<case name>" | "een sociale
    of medische urgentie), …"): the page's running header, printed where the page turned. (The
    caller also asks that the line is one of the document's headers: a table's wrapped cell looks
    the same.)"""
    return (bool(para) and para_kind == "para" and not TERMINAL.search(para[-1].text)
            and (c.prev_break or c.next_break) and c.nxt is not None and _starts_lower(c.nxt)
            and _starts_upper(t) and not TERMINAL.search(t) and len(t.split()) <= 12 and not LIST_ITEM.match(t))


def _join_lines(texts: list[str]) -> str:
    out = ""
    for t in texts:
        t = t.strip()
        if not out:
            out = t
        elif out == "•":
            out = f"• {t}"
        else:
            out = f"{out} {t}"
    return out


def _noisy_blanks(lines: list[Line]) -> bool:
    """True when blank lines after prose lines often fall inside a sentence: then a blank
    line is no sign of a paragraph break (some PDF converters scatter them)."""
    total = mid = 0
    prev: Line | None = None
    for ln in lines:
        if (
            ln.kind == "blank"
            and prev is not None
            and prev.kind == "text"
            and not LIST_ITEM.match(prev.text)
            and len(prev.text.split()) > 5
        ):
            total += 1
            mid += not TERMINAL.search(prev.text)
        if ln.kind in ("text", "blank"):
            prev = ln
    return total >= 5 and mid / total > 0.33


def _could_be_heading(t: str, c: _Ctx, max_words: int = 12) -> bool:
    words = t.split()
    if not words or len(words) > max_words or len(t) > 100:
        return False
    if re.search(r"[.,;]$", t.strip()) or (LIST_ITEM.match(t) and not _NUMBERED.match(t)):
        return False
    if c.prev is not None and not (c.prev_break or c.page_start) and not TERMINAL.search(c.prev):
        return False  # the line continues the previous sentence
    return _starts_upper(re.sub(r"^\s*\d{1,2}(?:\.\d{1,2})*\.?\s+", "", t))


def _heading_level(
    t: str, c: _Ctx, recurring: set[str], toc: set[str], chapter: int, noisy: bool, style: list
) -> tuple[int, bool]:
    """Heading level of a line (0 = no heading) and whether the next line is part of it."""
    stripped = t.strip()
    if toc and _norm_title(stripped) in toc and _starts_upper(stripped):
        # Listed in the table of contents: a heading whatever its neighbours look like.
        m = _NUMBERED.match(stripped)
        return (2 if m and "." in m.group(1) else 1), False
    if not _could_be_heading(t, c, max_words=14):
        return 0, False
    nxt = c.nxt
    continued = nxt is not None and not c.next_break and _starts_lower(nxt) and not LIST_ITEM.match(nxt)
    merged = False
    if continued:
        # A heading wrapped over two lines: "Waar werd het moeilijk, wat waren de beren / op de weg?"
        if (
            len(nxt.split()) <= 6
            and not re.search(r"[.,;:]$", nxt.strip())
            and len((t + " " + nxt).split()) <= 14
            and (c.after_next is None or not _starts_lower(c.after_next))
        ):
            merged = True
        else:
            return 0, False
    text = f"{t} {nxt}" if merged else t
    stripped = text.strip()
    if _PART_NAME.match(stripped) and not merged:
        return 1, False
    if re.match(r"^(Bijlage|Hoofdstuk|Appendix|Deel)\s+([\dIVX]+|[A-H])\b", stripped) and not re.search(r"[.,;:]$", stripped):
        return 1, merged
    m = _NUMBERED.match(stripped)
    if m:
        number, title = m.group(1), m.group(2)
        ok = _starts_upper(title) and not re.search(r"[.,;:!?]$", title) and len(title.split()) <= 12
        if ok and "." in number:
            return 2, merged
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
                return 1, merged
            return 2, merged
    if _heading_key(text) in recurring:
        return 3, merged
    if m:
        return 0, False
    letters = [ch for ch in stripped if ch.isalpha()]
    if len(letters) >= 6 and sum(ch.isupper() for ch in letters) / len(letters) > 0.8 and len(stripped.split()) >= 2:
        return 1, merged
    # A short title line between paragraphs, followed by prose.
    words = stripped.split()
    if (
        len(words) > (14 if merged else 10)
        or len(stripped) > (110 if merged else 75)
        or re.search(r"[.,;:!]$", stripped)
        or (stripped.endswith("?") and len(words) > 8)
        or words[-1].lower().strip("‘’'\"“”()") in _FUNCTION_WORDS
        or nxt is None
        or (merged and len(words) > 14)
    ):
        return 0, False
    if not (c.prev is None or c.prev_break or c.page_start or TERMINAL.search(c.prev)):
        return 0, False
    if noisy and c.next_break:
        return 0, False
    if not (_starts_upper(nxt) or LIST_ITEM.match(nxt)):
        return 0, False
    if len(nxt) < 40 and not LIST_ITEM.match(nxt) and not c.next_break:
        return 0, False  # two short lines in a row: a table or an address, not a heading
    return 3, merged


# --- cases -------------------------------------------------------------------------------


def detect_cases(blocks: list[Block], case_names: list[str] | None = None) -> list[str]:
    """Find the cases of a magazine-like document and set `Block.case`. Returns the case
    names in document order (empty when the document has no recurring rubric cycle)."""
    heads = [(i, _heading_key(b.text)) for i, b in enumerate(blocks) if b.kind == "heading" and b.recurring]
    counts = Counter(k for _, k in heads)
    seq = [(i, k) for i, k in heads if counts[k] >= 3]
    if not seq:
        return []
    start_key = seq[0][1]
    starts = [i for i, k in seq if k == start_key]
    if len(starts) < 3:
        return []
    bounds = starts + [len(blocks)]
    segments = [[(i, k) for i, k in seq if bounds[n] < i < bounds[n + 1]] for n in range(len(starts))]
    presence = Counter(k for seg in segments for k in {k for _, k in seg})
    cycle = {k for k, n in presence.items() if n >= 0.5 * len(segments)}
    if len(cycle) < 3:
        return []
    # In a case every rubric comes once; summary tables and appendices repeat them freely.
    def is_clean(seg: list) -> bool:
        keys = [k for _, k in seg if k in cycle]
        return len(keys) == len(set(keys)) and len(set(keys)) >= 0.5 * len(cycle)

    clean = sum(1 for seg in segments if is_clean(seg))
    if clean < 0.75 * len(segments):
        return []
    # The rubrics must spread over the whole case; a table that repeats the same three
    # questions at the end of each chapter is no case cycle.
    offsets = _word_offsets(blocks)
    spreads = []
    for n, seg in enumerate(segments[:-1]):
        if seg:
            span = offsets[bounds[n + 1]] - offsets[starts[n]]
            spreads.append((offsets[seg[-1][0]] - offsets[starts[n]]) / max(span, 1))
    if not spreads or sum(spreads) / len(spreads) < 0.5:
        return []
    last_keys = Counter(seg[-1][1] for seg in segments if seg)
    end_key, n_end = last_keys.most_common(1)[0]
    if n_end < 0.5 * len(segments):
        end_key = None

    regions: list[tuple[int, int]] = []
    prev_end = None
    for n, s in enumerate(starts):
        seg = segments[n]
        begin = _case_begin(blocks, s, prev_end)
        stop = bounds[n + 1]
        ends = [i for i, k in seg if k == end_key] if end_key else []
        if ends:
            stop = _after_tail(blocks, ends[-1], stop)
        elif n + 1 < len(starts):
            stop = _case_begin(blocks, starts[n + 1], None)
        regions.append((begin, stop))
        prev_end = stop
    # a region cannot overlap the next one
    regions = [(b, min(e, regions[n + 1][0]) if n + 1 < len(regions) else e) for n, (b, e) in enumerate(regions)]

    detected = [_case_name(blocks, b, e) for b, e in regions]
    names = _match_manifest(blocks, regions, detected, case_names) if case_names else detected
    for (b, e), name in zip(regions, names):
        for i in range(b, e):
            blocks[i].case = name
    return names


def _word_offsets(blocks: list[Block]) -> list[int]:
    out, total = [], 0
    for b in blocks:
        out.append(total)
        total += b.words if b.kind != "label" else 0
    out.append(total)
    return out


def _case_begin(blocks: list[Block], start: int, prev_end: int | None) -> int:
    """Where the case whose first rubric is at `start` begins: right after the previous
    case, or at the running-header label that changes just before it, or at the title and
    lead lines right above the rubric."""
    if prev_end is not None and prev_end <= start:
        return prev_end
    floor = prev_end or 0
    # a change of running-header label between the last content and the rubric
    labels = [i for i in range(floor, start) if blocks[i].kind == "label" and blocks[i].source == "header"]
    if labels:
        i = labels[-1]
        before = [blocks[k].text for k in range(floor, i) if blocks[k].kind == "label" and blocks[k].source == "header"]
        first = i
        while first - 1 >= floor and blocks[first - 1].kind == "label" and blocks[first - 1].text == blocks[i].text:
            first -= 1
        if not before or before[-1] != blocks[i].text:
            return first
    begin = start
    k = start - 1
    taken = 0
    while k >= floor and taken < 2 and blocks[k].kind in ("para", "heading", "label") and (
        blocks[k].kind == "label" or blocks[k].words <= 40
    ):
        if blocks[k].kind != "label":
            taken += 1
        begin = k
        k -= 1
    return begin


def _after_tail(blocks: list[Block], end_heading: int, limit: int) -> int:
    """The closing rubric ("Meer weten?") is followed by its list of links; the case ends
    after that list."""
    i = end_heading + 1
    case_labels = {blocks[k].text for k in range(max(0, end_heading - 400), end_heading) if blocks[k].kind == "label"}
    while i < limit and (
        blocks[i].kind in ("list", "footnote")
        or (blocks[i].kind == "label" and (blocks[i].text in case_labels or blocks[i].source == "tab"))
        or (blocks[i].kind == "para" and blocks[i].words <= 3 and not TERMINAL.search(blocks[i].text) and i == end_heading + 1)
    ):
        i += 1
    return i


def _case_name(blocks: list[Block], begin: int, end: int) -> str:
    headers = Counter(blocks[i].text for i in range(begin, end) if blocks[i].kind == "label" and blocks[i].source == "header")
    if headers:
        return headers.most_common(1)[0][0]
    tabs = Counter(blocks[i].text for i in range(begin, end) if blocks[i].kind == "label")
    if tabs:
        return tabs.most_common(1)[0][0]
    for i in range(begin, end):
        b = blocks[i]
        if b.kind in ("para", "heading") and b.words <= 15:
            return b.text.rstrip(" .:")
        if b.kind == "heading" and b.recurring:
            break
    return f"Praktijkvoorbeeld {begin}"


_STOP = {"de", "het", "een", "en", "van", "voor", "in", "op", "aan", "met", "te", "onze", "ook", "eo", "e", "o"}


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[^\W\d_]+", text.lower()) if len(w) >= 3 and w not in _STOP}


def _match_manifest(
    blocks: list[Block], regions: list[tuple[int, int]], detected: list[str], names: list[str]
) -> list[str]:
    """Give each detected case the manifest case name whose distinctive words fit best:
    words in the detected name or title count three times, words in the case text once;
    words shared by several manifest names or found in many cases count less."""
    texts = [_words(" ".join(blocks[i].text for i in range(b, e))) for b, e in regions]
    titles = [
        _words(detected[n] + " " + " ".join(blocks[i].text for i in range(b, min(e, b + 3)) if blocks[i].kind != "list"))
        for n, (b, e) in enumerate(regions)
    ]
    name_words = [_words(n) for n in names]
    df_names = Counter(w for ws in name_words for w in ws)
    df_cases = Counter(w for ws in texts for w in ws)
    scores = []
    for c in range(len(regions)):
        for m, ws in enumerate(name_words):
            s = 0.0
            for w in ws:
                weight = math.log(1 + len(names) / df_names[w]) * math.log(1 + len(regions) / max(df_cases[w], 1))
                s += weight * (3 if w in titles[c] else 1 if w in texts[c] else 0)
            if s > 0:
                scores.append((s, c, m))
    result = list(detected)
    used_c, used_m = set(), set()
    for s, c, m in sorted(scores, reverse=True):
        if c in used_c or m in used_m:
            continue
        result[c] = names[m]
        used_c.add(c)
        used_m.add(m)
    return result


# --- sections ----------------------------------------------------------------------------


def assign_sections(blocks: list[Block]) -> None:
    """Set `Block.section` as a path: chapter › numbered section › sub-heading. Inside a case
    only its recurring rubrics open sections (other headings there stay in the text)."""
    path: list[str | None] = [None, None, None]  # levels 1, 2, 3
    case: str | None = None
    # A running header whose label changes ("… | Voorwoord", "… | Inleiding") names the part
    # of the document; a constant one names nothing.
    labels = {b.text for b in blocks if b.kind == "label" and b.source == "header"}
    last_label: str | None = None
    for b in blocks:
        if b.case != case:
            case, path = b.case, [None, None, None]
        if b.kind == "label":
            if b.source == "header" and len(labels) > 1 and b.case is None and b.text != last_label:
                path = [b.text, None, None]
            if b.source == "header":
                last_label = b.text
        elif b.kind == "heading":
            if b.text.endswith(":") or (b.case is not None and not b.recurring):
                b.kind = "subheading"  # a lead-in ("Meer informatie:") or a heading inside a case
            elif b.level == 1:
                path = [b.text, None, None]
            elif b.level == 2:
                m = _NUMBERED.match(b.text)
                if m and "." in m.group(1) and path[0]:
                    cm = _NUMBERED.match(path[0])
                    if not cm or cm.group(1).split(".")[0] != m.group(1).split(".")[0]:
                        path[0] = None  # "3.1" after chapter 2: chapter 3's own heading was missed
                path[1], path[2] = b.text, None
            else:
                path[2] = b.text
        parts = [p for p in path if p]
        b.section = SECTION_JOIN.join(parts) if parts else None


def _first_title(blocks: list[Block]) -> str | None:
    for b in blocks[:40]:
        if b.kind == "heading":
            return b.text
    return None
