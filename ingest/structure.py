"""From cleaned lines to paragraphs, headings, sections and cases.

Headings are recognised by pattern and by repetition, not by a list of titles (ingest/headings.py):
- numbered headings ("4.2 Toegang", "3. Terugblik …"); a single number lower than the
  current chapter is a numbered sub-heading, not a new chapter;
- titles listed in the table of contents;
- short lines that recur (three or more times) as stand-alone lines: the fixed rubrics of a
  magazine ("Urgentie van de opgave", "Meer weten?");
- short capitalised lines without final punctuation that stand between paragraphs and are
  followed by prose; lines in capitals.

Cases (the practice examples of a magazine) are found by their recurring rubric cycle
(ingest/cases.py). `Block` and `SECTION_JOIN` live in ingest/blocks.py and are imported from here
by the other steps.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ingest.blocks import SECTION_JOIN, Block, heading_key
from ingest.cases import detect_cases
from ingest.lines import ABBREVIATION_END, LIST_ITEM, TERMINAL, CleanedText, Line
from ingest.headings import (
    FUNCTION_WORDS, NUMBERED, LineContext, could_be_heading, heading_level, norm_title, starts_lower, starts_upper,
)


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


def _opens_list(t: str) -> bool:
    """A capitalised line ending in ':' after a list item is the next list's intro ("- samenwerken"
    | "Elementen van een zorgzame buurt:"), not the item running on."""
    return starts_upper(t) and t.rstrip().endswith(":")


def _runs_on(line: str) -> bool:
    """A line ending in a function word or a comma goes on in the next ("… door de Raad voor" |
    "Maatschappelijke Ontwikkeling (RMO 2006):"), even when that one is capitalised."""
    words = line.split()
    return bool(words) and (words[-1].lower() in FUNCTION_WORDS or line.rstrip().endswith(","))


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


def build_blocks(cleaned: CleanedText) -> list[Block]:
    lines = cleaned.lines
    content = [i for i, ln in enumerate(lines) if ln.kind in ("text", "footnote")]
    points = numbered_points([lines[i].text if lines[i].kind == "text" else None for i in content])
    widths = sorted(len(lines[i].text) for i in content if lines[i].kind == "text")
    width = widths[int(len(widths) * 0.9)] if widths else 80
    noisy_blanks = _noisy_blanks(lines)
    toc = {norm_title(t) for t in cleaned.toc if norm_title(t)}
    # headings the format declares (Word styles, a PDF's font sizes): these and no others
    declared = {norm_title(t): level for t, level in cleaned.headings.items()}
    # what the document prints as a running header or page label (a case's name): such a line
    # between the halves of a sentence is that header again, where the page turned
    headers = {norm_title(h.split(" | ")[-1]) for h in cleaned.running_headers}
    headers |= {norm_title(ln.text) for ln in lines if ln.kind == "label"}

    def ctx(pos: int) -> LineContext:
        i = content[pos]
        prev = lines[content[pos - 1]].text if pos > 0 else None
        nxt = lines[content[pos + 1]].text if pos + 1 < len(content) else None
        after = lines[content[pos + 2]].text if pos + 2 < len(content) else None
        pb = pos == 0 or any(lines[k].kind in ("blank", "label") for k in range(content[pos - 1] + 1, i))
        nb = pos + 1 >= len(content) or any(
            lines[k].kind in ("blank", "label") for k in range(i + 1, content[pos + 1])
        )
        nl = pos + 1 < len(content) and any(lines[k].kind == "label" for k in range(i + 1, content[pos + 1]))
        return LineContext(prev, pb, nxt, nb, after, lines[i].page_start, nl)

    # First pass: which stand-alone short lines recur (rubrics)? The same first words are
    # not enough: "Stadsdeel Amsterdam Zuidoost, ‘Convenant …’" in a source list differ in
    # the rest; a rubric comes back (nearly) verbatim.
    standalone: dict[str, Counter] = {}
    for pos, i in enumerate(content):
        c = ctx(pos)
        t = lines[i].text
        if lines[i].kind == "text" and could_be_heading(t, c, max_words=12):
            standalone.setdefault(heading_key(t), Counter())[norm_title(t)] += 1
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
            and heading_key(t) not in recurring
            and not NUMBERED.match(t)
            and norm_title(t) not in toc
            and norm_title(t) not in declared
            and not (c.page_start and starts_upper(t))
            and not _opens_list(t)
            and (c.nxt is None or LIST_ITEM.match(c.nxt) or c.next_label)
            and (c.nxt is None or heading_key(c.nxt) not in recurring)
        ):
            para.append(ln)  # the end of a list item that ran on to the next page
            continue
        if last_heading == pos - 1 and pos > 0:
            c.prev_break = True  # a heading right above: "1 Inleiding" / "1.1 Aanleiding"
        if declared:
            level, merged = declared.get(norm_title(t), 0), False
        else:
            level, merged = heading_level(t, c, recurring, toc, chapter, noisy_blanks, style)
        if level:
            flush()
            text = t if not merged else f"{t} {c.nxt}"
            m = NUMBERED.match(text)
            if m and level == 1:
                chapter = int(m.group(1).split(".")[0])
            elif m and "." in m.group(1):
                chapter = max(chapter, int(m.group(1).split(".")[0]))
            blocks.append(
                Block(" ".join(text.split()), "heading", ln.page, ln.page, level=level,
                      recurring=heading_key(text) in recurring)
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
        if norm_title(t) in headers and _label_inside_sentence(t, c, para, para_kind):
            continue  # a running header or page label between the two halves of a sentence
        if para:
            prev_text = para[-1].text
            ends = bool(TERMINAL.search(prev_text)) and not ABBREVIATION_END.search(prev_text.rstrip())
            if c.prev_break:
                if starts_lower(t):
                    new = False  # a sentence running on across a page break
                elif para_kind == "list" or para_kind == "footnote":
                    new = True
                else:
                    new = ends or not noisy_blanks
            else:
                new = para_kind == "footnote" or (
                    ends and starts_upper(t) and len(prev_text) < 0.8 * width and para_kind != "list"
                ) or (para_kind == "list" and _opens_list(t) and not _runs_on(prev_text)) or (
                    # a short numbered point is a title; the capitalised line under it explains it
                    len(para) == 1 and pos - 1 in points and starts_upper(t) and len(prev_text) < 0.8 * width
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


def _label_inside_sentence(t: str, c: LineContext, para: list[Line], para_kind: str) -> bool:
    """A short title-like line, set apart by a break, between a paragraph that stops mid-sentence
    and a line that goes on in lower case ("… (vooral mensen met" | "<case name>" | "een sociale
    of medische urgentie), …"): the page's running header, printed where the page turned. (The
    caller also asks that the line is one of the document's headers: a table's wrapped cell looks
    the same.)"""
    return (bool(para) and para_kind == "para" and not TERMINAL.search(para[-1].text)
            and (c.prev_break or c.next_break) and c.nxt is not None and starts_lower(c.nxt)
            and starts_upper(t) and not TERMINAL.search(t) and len(t.split()) <= 12 and not LIST_ITEM.match(t))


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
                m = NUMBERED.match(b.text)
                if m and "." in m.group(1) and path[0]:
                    cm = NUMBERED.match(path[0])
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
