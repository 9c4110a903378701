"""The catalogue as files: lessons to Markdown and CSV, practice-case cards to Markdown.

Every item carries its full source reference (title, publisher, year, case, section, pages,
document and passage id), so an exported list can be checked and quoted without the app.
Publisher and year are not on the lessons and cards themselves: callers pass the documents.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from assistant.catalogue import CaseCard, Lesson
from assistant.catalogue_render import FIELD_LABELS, SOORT_LABELS
from assistant.csv_cells import spreadsheet_csv
from ingest.records import Document

Documents = Mapping[str, Document]  # doc id → document


def pages_label(start: int | None, end: int | None) -> str:
    if start is None:
        return ""
    return f"p. {start}" if end in (None, start) else f"p. {start}–{end}"


def source_reference(item, documents: Documents) -> str:
    """One line for a lesson or a citation: title, publisher, year, case, section, pages, ids
    (the passage id only where the item has one: an answer's citation does not)."""
    doc = documents.get(item.doc)
    section = item.section if item.section != item.title else None
    case = item.case if item.case and item.case != item.title and not (section or "").startswith(item.case) else None
    passage = getattr(item, "chunk_id", None)
    parts = [item.title, doc.publisher if doc else None, doc.year if doc else None, case, section,
             pages_label(item.page_start, item.page_end), f"document {item.doc}", passage and f"passage {passage}"]
    return ", ".join(str(p) for p in parts if p)


@dataclass
class Theme:
    """The lessons of one theme (a practice case or a chapter) of one document."""

    name: str
    doc: str
    title: str
    lessons: list[Lesson] = field(default_factory=list)


def group_by_theme(lessons: list[Lesson]) -> list[Theme]:
    """Themes in the order their first lesson comes (document order), each with its lessons."""
    themes: dict[tuple[str, str], Theme] = {}
    for lesson in lessons:
        key = (lesson.doc, lesson.theme)
        if key not in themes:
            themes[key] = Theme(lesson.theme, lesson.doc, lesson.title)
        themes[key].lessons.append(lesson)
    return list(themes.values())


def _quoted(text: str) -> str:
    return "\n".join("> " + line if line.strip() else ">" for line in text.splitlines())


def lessons_to_markdown(lessons: list[Lesson], documents: Documents, filters: str = "") -> str:
    themes = group_by_theme(lessons)
    what = "les of punt" if len(lessons) == 1 else "lessen en punten"
    noun = "thema" if len(themes) == 1 else "thema's"
    lines = ["# Lessen", "", f"{len(lessons)} {what} in {len(themes)} {noun}, met bronvermelding."]
    if filters:
        lines += ["", f"Selectie: {filters}"]
    n = 0
    for theme in themes:
        lines += ["", f"## {theme.name}", "", f"*{theme.title}*"]
        for lesson in theme.lessons:
            n += 1
            lines += ["", f"### {n}. {lesson.kind_label}: {lesson.summary}", "", _quoted(lesson.text), "",
                      f"Bron: {source_reference(lesson, documents)}"]
    return "\n".join(lines) + "\n"


LESSON_CSV_COLUMNS = [
    "nr", "thema", "soort", "les", "tekst", "plaatsen", "titel", "uitgever", "jaar", "praktijkvoorbeeld",
    "sectie", "pagina_van", "pagina_tot", "document", "passage", "kaart", "bron",
]


def lessons_to_csv(lessons: list[Lesson], documents: Documents) -> str:
    """CSV for Dutch Excel (assistant/csv_cells.py), one lesson per row, grouped by theme as shown."""
    rows = [lesson for theme in group_by_theme(lessons) for lesson in theme.lessons]

    def row(n: int, r: Lesson) -> list:
        doc = documents.get(r.doc)
        return [
            n, r.theme, r.kind, r.summary, r.text, "; ".join(r.places), r.title,
            (doc.publisher if doc else None) or "", (doc.year if doc else None) or "", r.case or "",
            r.section or "", "" if r.page_start is None else r.page_start, "" if r.page_end is None else r.page_end,
            r.doc, r.chunk_id, r.case_id or "", source_reference(r, documents),
        ]

    return spreadsheet_csv(LESSON_CSV_COLUMNS, (row(n, r) for n, r in enumerate(rows, 1)))


def cards_to_markdown(cards: list[CaseCard], documents: Documents) -> str:
    lines = ["# Praktijkvoorbeelden", "", f"{len(cards)} kaarten; bij elk punt het nummer van de bron."]
    for card in cards:
        lines += ["", *_card_markdown(card, documents)]
    return "\n".join(lines) + "\n"


def _card_markdown(card: CaseCard, documents: Documents) -> list[str]:
    lines = [f"## {card.name}", "", f"*{SOORT_LABELS[card.soort]} · {card.doc_title}*"]
    sources: dict[str, str] = {}  # chunk id → reference, numbered in order of first use

    def ref(item) -> str:
        cit = item.citations[0]
        sources.setdefault(cit.chunk_id, source_reference(cit, documents))
        quote = f" (“{cit.quote}”)" if cit.quote.casefold() != item.text.casefold() else ""
        return f"[{list(sources).index(cit.chunk_id) + 1}]{quote}"

    if card.tagline:
        lines += ["", f"> {card.tagline.text} {ref(card.tagline)}"]
    for name, label in FIELD_LABELS.items():
        items = getattr(card, name)
        if not items:
            continue
        lines += ["", f"**{label}**", ""]
        for item in items:
            text = f"{item.label}: {item.text}" if item.label else item.text
            lines.append(f"- {text} {ref(item)}")
    if sources:
        lines += ["", "**Bronnen**", ""]
        lines += [f"{n}. {reference}" for n, reference in enumerate(sources.values(), 1)]
    return lines
