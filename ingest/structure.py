"""From cleaned lines to paragraphs, headings, sections and cases: the blocks are read line by line
(ingest/paragraphs.py), the cases found (ingest/cases.py), then each block gets its section path.

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

from dataclasses import dataclass, field

from ingest.blocks import SECTION_JOIN, Block
from ingest.cases import detect_cases
from ingest.headings import NUMBERED
from ingest.lines import CleanedText
from ingest.paragraphs import build_blocks


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


# --- sections ----------------------------------------------------------------------------------


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
