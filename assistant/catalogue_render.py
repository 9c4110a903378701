"""The catalogue in the terminal (rich): the lessons table and the practice-case cards, in Dutch."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from assistant.catalogue import KIND_LABELS, CaseCard, Lesson

FIELD_LABELS = {  # card fields for people
    "places": "Plaatsen", "partners": "Partners", "approach": "Aanpak", "results": "Resultaten",
    "obstacles": "Knelpunten", "lessons": "Lessen en aanbevelingen", "links": "Meer weten",
}
SOORT_LABELS = {"praktijkvoorbeeld": "praktijkvoorbeeld", "gebied": "wijk/gemeente", "document": "heel document"}


def _pages(start: int | None, end: int | None) -> str:
    if start is None:
        return ""
    return f"p. {start}" if end in (None, start) else f"p. {start}–{end}"


def print_lessons(console: Console, rows: list[Lesson]) -> None:
    if not rows:
        console.print("Geen lessen gevonden met deze filters.")
        return
    table = Table("soort", "thema", "les / punt", "bron", show_lines=True)
    for r in rows:
        source = r.title if len(r.title) <= 40 else r.title[:38] + "…"
        where = " › ".join(x for x in (source, _pages(r.page_start, r.page_end)) if x)
        table.add_row(r.kind_label, escape(r.theme), escape(r.summary), escape(where))
    console.print(table)
    counts = {}
    for r in rows:
        counts[r.kind] = counts.get(r.kind, 0) + 1
    console.print(", ".join(f"{KIND_LABELS[k].lower()}: {n}" for k, n in counts.items()) + f"  (totaal {len(rows)})")


def print_cases(console: Console, cards: list[CaseCard]) -> None:
    if not cards:
        console.print("De kennisbank is leeg. Voer `wijkwijs ingest` uit.")
        return
    table = Table("id", "naam", "plaatsen", "partners · resultaten · knelpunten")
    table.columns[0].overflow = "fold"
    for c in cards:
        places = ", ".join(dict.fromkeys(p.text.split(" (")[0] for p in c.places[:3]))
        counts = f"{len(c.partners)} · {len(c.results)} · {len(c.obstacles)}"
        table.add_row(c.id, f"{escape(c.name)}\n[dim]{SOORT_LABELS[c.soort]}[/dim]", escape(places), counts)
    console.print(table)
    console.print("Eén kaart bekijken: [bold]wijkwijs cases ID[/bold]")


def print_card(console: Console, card: CaseCard) -> None:
    console.print(f"[bold]{escape(card.name)}[/bold]  ({SOORT_LABELS[card.soort]}; {escape(card.doc_title)})")
    if card.tagline:
        console.print(f"[italic]{escape(card.tagline.text)}[/italic]")
    sources: list[str] = []

    def ref(item) -> str:
        cit = item.citations[0]
        label = " › ".join(x for x in (cit.section or "", _pages(cit.page_start, cit.page_end)) if x) or cit.title
        if label not in sources:
            sources.append(label)
        return f"[dim][{sources.index(label) + 1}][/dim]"

    for field, title in FIELD_LABELS.items():
        items = getattr(card, field)
        if not items:
            continue
        console.print(f"\n[bold]{title}[/bold]")
        for item in items:
            text = f"{item.label}: {item.text}" if item.label else item.text
            console.print(f"  • {escape(text)} {ref(item)}")
    if sources:
        console.print("\n[bold]Bronnen[/bold] " + escape(card.doc_title))
        for n, label in enumerate(sources, 1):
            console.print(f"  [{n}] {escape(label)}")
