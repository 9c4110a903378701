"""From cleaned lines to blocks: paragraphs, headings, list items, footnotes and labels, read line by
line. What the whole document says is gathered first (`DocumentLines`: its numbered points, its usual
line width, its table of contents, declared headings, running headers and recurring rubrics); then a
`BlockBuilder` reads each content line with that knowledge and the lines around it, one named step
per kind of line, in the order they are tried."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ingest.blocks import Block, heading_key
from ingest.headings import (
    FUNCTION_WORDS, NUMBERED, LineContext, could_be_heading, heading_level, norm_title, starts_lower, starts_upper,
)
from ingest.lines import ABBREVIATION_END, LIST_ITEM, TERMINAL, CleanedText, Line
from ingest.points import numbered_points

SHORT_LINE = 0.8  # of the usual line width: a line this short ends its paragraph


def build_blocks(cleaned: CleanedText) -> list[Block]:
    doc = DocumentLines.of(cleaned)
    builder = BlockBuilder(doc)
    for pos in range(len(doc.content)):
        builder.read(pos)
    return builder.finish()


@dataclass
class DocumentLines:
    lines: list[Line]
    content: list[int]  # positions of the text and footnote lines
    points: set[int]  # content positions that are points of a numbered list
    width: int  # the usual (90th percentile) length of a text line
    noisy_blanks: bool
    toc: set[str]
    declared: dict[str, int]  # headings the format declares (Word styles, a PDF's font sizes): these and no others
    # what the document prints as a running header or page label (a case's name): such a line
    # between the halves of a sentence is that header again, where the page turned
    headers: set[str]
    recurring: set[str] = field(default_factory=set)  # heading keys of the recurring rubrics

    @classmethod
    def of(cls, cleaned: CleanedText) -> DocumentLines:
        lines = cleaned.lines
        content = [i for i, ln in enumerate(lines) if ln.kind in ("text", "footnote")]
        widths = sorted(len(lines[i].text) for i in content if lines[i].kind == "text")
        headers = {norm_title(h.split(" | ")[-1]) for h in cleaned.running_headers}
        headers |= {norm_title(ln.text) for ln in lines if ln.kind == "label"}
        doc = cls(
            lines=lines,
            content=content,
            points=numbered_points([lines[i].text if lines[i].kind == "text" else None for i in content]),
            width=widths[int(len(widths) * 0.9)] if widths else 80,
            noisy_blanks=_noisy_blanks(lines),
            toc={norm_title(t) for t in cleaned.toc if norm_title(t)},
            declared={norm_title(t): level for t, level in cleaned.headings.items()},
            headers=headers,
        )
        doc.recurring = doc.recurring_rubrics()
        return doc

    def context(self, pos: int) -> LineContext:
        lines, content = self.lines, self.content
        i = content[pos]
        prev = lines[content[pos - 1]].text if pos > 0 else None
        nxt = lines[content[pos + 1]].text if pos + 1 < len(content) else None
        after = lines[content[pos + 2]].text if pos + 2 < len(content) else None
        prev_break = pos == 0 or any(lines[k].kind in ("blank", "label") for k in range(content[pos - 1] + 1, i))
        next_break = pos + 1 >= len(content) or any(
            lines[k].kind in ("blank", "label") for k in range(i + 1, content[pos + 1]))
        next_label = pos + 1 < len(content) and any(lines[k].kind == "label" for k in range(i + 1, content[pos + 1]))
        return LineContext(prev, prev_break, nxt, next_break, after, lines[i].page_start, next_label)

    def recurring_rubrics(self) -> set[str]:
        """Which stand-alone short lines recur (rubrics)? The same first words are not enough:
        "Stadsdeel Amsterdam Zuidoost, ‘Convenant …’" in a source list differ in the rest; a rubric
        comes back (nearly) verbatim."""
        standalone: dict[str, Counter] = {}
        for pos, i in enumerate(self.content):
            t = self.lines[i].text
            if self.lines[i].kind == "text" and could_be_heading(t, self.context(pos), max_words=12):
                standalone.setdefault(heading_key(t), Counter())[norm_title(t)] += 1
        return {
            k for k, variants in standalone.items()
            if k and sum(variants.values()) >= 3 and variants.most_common(1)[0][1] >= 0.5 * sum(variants.values())
        }


class BlockBuilder:
    """Reads the content lines in order into blocks: the paragraph being built (`para`, of
    `para_kind`), the labels met inside it (they follow it), and the chapter numbering so far."""

    def __init__(self, doc: DocumentLines) -> None:
        self.doc = doc
        self.blocks: list[Block] = []
        self.para: list[Line] = []
        self.para_kind = "para"
        self.pending_labels: list[Block] = []
        self.chapter = 0
        self.style: list = [None]  # chapter numbering style: "1." (True) or "1" (False)
        self.last_heading = -2
        self.skip_next = False  # the next line was merged into a heading
        self.last_content = -1

    def read(self, pos: int) -> None:
        i = self.doc.content[pos]
        self._labels_before(i)
        if self.skip_next:
            self.skip_next = False
            return
        line, c = self.doc.lines[i], self.doc.context(pos)
        for step in (self._footnote, self._numbered_point, self._list_item_running_on, self._heading,
                     self._list_item, self._header_between_halves):
            if step(pos, line, c):
                return
        self._paragraph_line(pos, line, c)

    def finish(self) -> list[Block]:
        self.flush()
        lines = self.doc.lines
        for k in range(self.last_content + 1, len(lines)):
            if lines[k].kind == "label":
                self.blocks.append(Block(lines[k].text, "label", lines[k].page, lines[k].page, source=lines[k].source))
        return [b for b in self.blocks if b.text.strip() and b.text.strip() != "•"]

    def flush(self) -> None:
        if self.para:
            text = _join_lines([ln.text for ln in self.para])
            self.blocks.append(Block(text, self.para_kind, self.para[0].page, self.para[-1].page))
            self.para = []
        self.blocks.extend(self.pending_labels)
        self.pending_labels.clear()

    def _labels_before(self, i: int) -> None:
        """The labels between the previous content line and this one: after the paragraph they
        interrupt, else where they stand."""
        for k in range(self.last_content + 1, i):
            line = self.doc.lines[k]
            if line.kind == "label":
                label = Block(line.text, "label", line.page, line.page, source=line.source)
                (self.pending_labels if self.para else self.blocks).append(label)
        self.last_content = i

    def _start(self, kind: str) -> None:
        self.flush()
        self.para_kind = kind

    def _footnote(self, pos: int, line: Line, c: LineContext) -> bool:
        if line.kind != "footnote":
            return False
        if self.para and self.para_kind != "footnote":
            self.flush()
        if self.para_kind == "footnote" and self.para and re.match(r"^\d{1,2}\s", line.text):
            self.flush()
        self.para_kind = "footnote"
        self.para.append(line)
        return True

    def _numbered_point(self, pos: int, line: Line, c: LineContext) -> bool:
        if pos not in self.doc.points:
            return False
        self._start("list")
        self.para.append(line)
        return True

    def _list_item_running_on(self, pos: int, line: Line, c: LineContext) -> bool:
        """The end of a list item that ran on to the next page."""
        doc, t = self.doc, line.text
        if not (
            self.para
            and self.para_kind == "list"
            and c.prev_break
            and not TERMINAL.search(self.para[-1].text)
            and len(t.split()) <= 8
            and not LIST_ITEM.match(t)
            and heading_key(t) not in doc.recurring
            and not NUMBERED.match(t)
            and norm_title(t) not in doc.toc
            and norm_title(t) not in doc.declared
            and not (c.page_start and starts_upper(t))
            and not _opens_list(t)
            and (c.nxt is None or LIST_ITEM.match(c.nxt) or c.next_label)
            and (c.nxt is None or heading_key(c.nxt) not in doc.recurring)
        ):
            return False
        self.para.append(line)
        return True

    def _heading(self, pos: int, line: Line, c: LineContext) -> bool:
        doc, t = self.doc, line.text
        if self.last_heading == pos - 1 and pos > 0:
            c.prev_break = True  # a heading right above: "1 Inleiding" / "1.1 Aanleiding"
        if doc.declared:
            level, merged = doc.declared.get(norm_title(t), 0), False
        else:
            level, merged = heading_level(t, c, doc.recurring, doc.toc, self.chapter, doc.noisy_blanks, self.style)
        if not level:
            return False
        self.flush()
        text = t if not merged else f"{t} {c.nxt}"
        m = NUMBERED.match(text)
        if m and level == 1:
            self.chapter = int(m.group(1).split(".")[0])
        elif m and "." in m.group(1):
            self.chapter = max(self.chapter, int(m.group(1).split(".")[0]))
        self.blocks.append(Block(" ".join(text.split()), "heading", line.page, line.page, level=level,
                                 recurring=heading_key(text) in doc.recurring))
        self.skip_next = merged
        self.last_heading = pos + merged
        self.para_kind = "para"
        return True

    def _list_item(self, pos: int, line: Line, c: LineContext) -> bool:
        t = line.text
        if not LIST_ITEM.match(t):
            return False
        if re.fullmatch(r"\s*[•·▪■◦●○*-]\s*", t):  # a bullet on its own line
            self._start("list")
            self.para = [Line("•", line.page)]
            return True
        if not (self.para and self.para_kind == "list" and len(self.para) == 1 and self.para[0].text == "•"):
            self._start("list")
        self.para.append(line)
        return True

    def _header_between_halves(self, pos: int, line: Line, c: LineContext) -> bool:
        """A running header or page label between the two halves of a sentence: left out."""
        return norm_title(line.text) in self.doc.headers and _label_inside_sentence(
            line.text, c, self.para, self.para_kind)

    def _paragraph_line(self, pos: int, line: Line, c: LineContext) -> None:
        if not self.para:
            self.para_kind = "para"
        elif self._opens_paragraph(pos, line.text, c):
            self._start("para")
        self.para.append(line)

    def _opens_paragraph(self, pos: int, t: str, c: LineContext) -> bool:
        """Does this line start a new paragraph after the one being built?"""
        prev_text, kind, width = self.para[-1].text, self.para_kind, self.doc.width
        ends = bool(TERMINAL.search(prev_text)) and not ABBREVIATION_END.search(prev_text.rstrip())
        if c.prev_break:
            if starts_lower(t):
                return False  # a sentence running on across a page break
            if kind in ("list", "footnote"):
                return True
            return ends or not self.doc.noisy_blanks
        return kind == "footnote" or (
            ends and starts_upper(t) and len(prev_text) < SHORT_LINE * width and kind != "list"
        ) or (kind == "list" and _opens_list(t) and not _runs_on(prev_text)) or (
            # a short numbered point is a title; the capitalised line under it explains it
            len(self.para) == 1 and pos - 1 in self.doc.points and starts_upper(t)
            and len(prev_text) < SHORT_LINE * width and not _runs_on(prev_text)
        )


def _opens_list(t: str) -> bool:
    """A capitalised line ending in ':' after a list item is the next list's intro ("- samenwerken"
    | "Elementen van een zorgzame buurt:"), not the item running on."""
    return starts_upper(t) and t.rstrip().endswith(":")


def _runs_on(line: str) -> bool:
    """A line ending in a function word or a comma goes on in the next ("… door de Raad voor" |
    "Maatschappelijke Ontwikkeling (RMO 2006):"), even when that one is capitalised."""
    words = line.split()
    return bool(words) and (words[-1].lower() in FUNCTION_WORDS or line.rstrip().endswith(","))


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
