"""Commands that evaluate or serve: eval, eval-docs, ui (the app) and serve (the HTTP API)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Optional

import typer

import assistant.cli as base
from assistant.cli import _fail, _require_index, app, console
from assistant.settings import Settings

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
    c = base._components()
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

    c = base._components()
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

    c = base._components()
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
