"""Commands for questions and the catalogue: ask, chat, lessen, cases."""

from __future__ import annotations

import json
from typing import Annotated, Optional

import typer

import assistant.cli as base
from assistant.cli import _fail, _require_index, app, console, err

def _filters(doc, doc_type, case, place, year):
    from kb.retriever import Filters

    return Filters(doc=doc or None, doc_type=doc_type or None, case=case or None, place=place or None, year=year or None)


def _ask(c, question: str, history=None, filters=None, k: int | None = None):
    from assistant.service import QuestionError

    try:
        return c.assistant.ask(question, history=history, filters=filters, k=k)
    except QuestionError as exc:
        _fail(str(exc), 2)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="De vraag, in het Nederlands.")],
    as_json: Annotated[bool, typer.Option("--json", help="Antwoord als JSON (zelfde vorm als de API).")] = False,
    k: Annotated[Optional[int], typer.Option(help="Aantal passages om op te halen.")] = None,
    doc: Annotated[Optional[list[str]], typer.Option(help="Alleen dit document (id).")] = None,
    doc_type: Annotated[Optional[list[str]], typer.Option("--type", help="Alleen dit documenttype.")] = None,
    case: Annotated[Optional[list[str]], typer.Option(help="Alleen dit praktijkvoorbeeld.")] = None,
    place: Annotated[Optional[list[str]], typer.Option(help="Alleen documenten over deze plaats.")] = None,
    year: Annotated[Optional[list[str]], typer.Option(help="Alleen documenten uit dit jaar.")] = None,
) -> None:
    """Stel één vraag en krijg een antwoord met bronnen."""
    c = base._components()
    _require_index(c)
    answer = _ask(c, question, filters=_filters(doc, doc_type, case, place, year), k=k)
    if as_json:
        print(answer.model_dump_json(indent=2))
    else:
        from assistant.render import print_answer

        print_answer(console, answer)


@app.command()
def chat() -> None:
    """Een gesprek in de terminal; vervolgvragen gebruiken het gesprek tot dan toe."""
    from assistant.records import Turn
    from assistant.render import print_answer
    from assistant.service import QuestionError

    c = base._components()
    _require_index(c)
    console.print("[bold]wijkwijs[/bold] — stel je vraag over wonen, welzijn en zorg in de wijk.")
    console.print("Typ 'nieuw' voor een nieuw gesprek, 'stop' (of Ctrl-D) om te stoppen.\n")
    history: list[Turn] = []
    while True:
        try:
            question = console.input("[bold cyan]Vraag:[/bold cyan] ").strip()
        except (EOFError, KeyboardInterrupt):
            console.print()
            break
        if question.lower() in {"stop", "exit", "quit"}:
            break
        if question.lower() == "nieuw":
            history = []
            console.print("Nieuw gesprek gestart.\n")
            continue
        if not question:
            continue
        try:
            answer = c.assistant.ask(question, history=history)
        except QuestionError as exc:
            err.print(f"[red]{exc}[/red]")
            continue
        print_answer(console, answer)
        history += [Turn(role="user", content=question), Turn(role="assistant", content=answer.answer)]


@app.command()
def lessen(
    kind: Annotated[
        Optional[list[str]],
        typer.Option("--kind", help="Alleen deze soort: les, aanbeveling, pluspunt, minpunt, knelpunt, resultaat."),
    ] = None,
    doc: Annotated[Optional[list[str]], typer.Option("--doc", help="Alleen dit document (id of deel van de titel).")] = None,
    place: Annotated[Optional[list[str]], typer.Option("--place", help="Alleen over deze plaats.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Uitvoer als JSON.")] = False,
) -> None:
    """Wat is er geleerd? Lessen, aanbevelingen, plus- en minpunten, knelpunten en resultaten uit alle documenten."""
    from assistant.catalogue import LESSON_KINDS, lessons

    unknown = [k for k in kind or [] if k not in LESSON_KINDS]
    if unknown:
        _fail(f"Onbekende soort: {', '.join(unknown)}. Kies uit: {', '.join(LESSON_KINDS)}.", 2)
    c = base._components()
    _require_index(c)
    rows = lessons(c, kind=kind or None, doc=doc or None, place=place or None)
    if as_json:
        print(json.dumps([r.model_dump() for r in rows], ensure_ascii=False, indent=2))
        return
    from assistant.catalogue_render import print_lessons

    print_lessons(console, rows)


@app.command()
def cases(
    case_id: Annotated[Optional[str], typer.Argument(help="Eén praktijkvoorbeeld (id) met alle velden en bronnen.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Uitvoer als JSON.")] = False,
) -> None:
    """Praktijkvoorbeelden: per voorbeeld, wijk of gemeente wie wat waar deed, met bronnen."""
    from assistant import catalogue
    from assistant.catalogue_render import print_card, print_cases

    c = base._components()
    _require_index(c)
    if case_id is not None:
        card = catalogue.case(c, case_id)
        if card is None:
            _fail(f"Geen praktijkvoorbeeld met id {case_id!r}. Zie `wijkwijs cases`.")
        if as_json:
            print(card.model_dump_json(indent=2))
        else:
            print_card(console, card)
        return
    cards = catalogue.cases(c)
    if as_json:
        print(json.dumps([card.model_dump() for card in cards], ensure_ascii=False, indent=2))
    else:
        print_cases(console, cards)
