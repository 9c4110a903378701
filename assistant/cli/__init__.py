"""The `wijkwijs` command line (typer). Heavy libraries load only inside the commands that need them.

The commands live by what they serve: documents and the index (documents.py), questions and the
catalogue (questions.py), evaluation and the servers (running.py). They reach `_components` through
this module, so a test can put its own knowledge base behind every command."""

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

import sys

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


def _writing(c):
    """The write lock the app and the API take too, so a CLI ingest never races them."""
    from assistant.library import write_lock

    def waiting() -> None:
        console.print("[yellow]Er loopt al een opname of wijziging (app, API of CLI); wachten tot die klaar is…[/yellow]")

    return write_lock(c.settings.data_dir, on_wait=waiting)


def _require_index(c) -> None:
    if not c.store.documents():
        _fail("De kennisbank is leeg. Voer eerst `wijkwijs ingest` uit.")


def main() -> None:
    """Entry point: errors every command can meet are told plainly, without a traceback."""
    from kb.store import ModelMismatchError

    try:
        app()
    except ModelMismatchError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        sys.exit(1)


# the commands register themselves on `app` (imported last: they import this module)
from assistant.cli import documents, questions, running  # noqa: E402,F401
