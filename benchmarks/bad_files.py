"""Prints what wijkwijs says about each of issue 8's bad files, through each upload path:
the CLI (`wijkwijs docs add`), the API (`POST /documents`) and the app (Beheer page).

    .venv/bin/python benchmarks/bad_files.py [--big-mb 200]

Each path gets a fresh knowledge base (two small documents, fake embedder: no model needed);
the summary ends with whether anything already indexed changed. The same files are asserted on
by tests/unit/test_bad_files_library.py, tests/unit/api/test_bad_files_api.py,
tests/unit/ui/test_bad_files_ui.py and tests/integration/test_bad_files_cli.py.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from assistant.components import Components  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from tests.badfiles import BadFile, bad_files  # noqa: E402
from tests.fakes import HashEmbedder  # noqa: E402

TOKEN = "bench-token"
SEED = {
    "waakvlam.txt": "Uitstroom uit beschermd wonen\n\nDe begeleider blijft na de begeleiding twee jaar bereikbaar. " * 3,
    "wijknetwerk.md": "# Wijknetwerken\n\nElke maand is er een wijktafel waar professionals casussen bespreken. " * 3,
}


def fresh_components(root: Path) -> Components:
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    for name, text in SEED.items():
        (corpus / name).write_text(text, "utf-8")
    settings = Settings(data_dir=root / "data", corpus_dir=corpus, embedding={"model": "fake-hash-64"},
                        api={"token": TOKEN})
    c = Components(settings, embedder=HashEmbedder())
    c.indexer.sync_folder(corpus)
    return c


def snapshot(c: Components) -> dict:
    return {d.document.doc_id: (d.version, d.chunk_count) for d in c.store.documents()}


def via_cli(c: Components, files: list[BadFile], work: Path) -> list[str]:
    import assistant.cli as cli
    from typer.testing import CliRunner

    paths = []
    for bad in files:
        path = work / bad.name.replace("\0", "").split("/")[-1]
        with path.open("wb") as fh:
            fh.truncate(bad.size) if bad.size else fh.write(bad.data)
        paths.append(path)
    cli._components = lambda: c  # the benchmark's knowledge base instead of the settings'
    out = []
    for path in paths:
        result = CliRunner().invoke(cli.app, ["docs", "add", str(path)], env={"COLUMNS": "400"})
        out.append(" ".join((result.stdout + result.stderr if hasattr(result, "stderr") else result.output).split()))
    return out


def via_api(c: Components, files: list[BadFile]) -> list[str]:
    from fastapi.testclient import TestClient

    from assistant.api import create_app

    out = []
    with TestClient(create_app(c)) as client:
        for bad in files:
            r = client.post("/documents", files={"file": (bad.name, bad.payload())},
                            headers={"Authorization": f"Bearer {TOKEN}"})
            body = r.json()
            text = body.get("detail") if r.status_code >= 400 else body.get("message")
            warns = " | ".join(body.get("warnings") or []) if r.status_code < 400 else ""
            out.append(f"{r.status_code} {text} {warns}".strip())
    return out


def via_app(c: Components, files: list[BadFile]) -> list[str]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from ui import resources

    c.settings.api.token = None  # the page is then open locally (no unlock step to script)
    resources.build_components = lambda settings: c
    st.cache_resource.clear()
    at = AppTest.from_file(str(REPO / "ui" / "app.py"), default_timeout=120).run()
    at.switch_page("views/beheer.py").run()
    out = []
    for bad in files:
        at.file_uploader[0].upload(bad.name.replace("\0", ""), bad.payload()).run()
        next(b for b in at.button if b.label == "Toevoegen aan de kennisbank").click().run()
        shown = [e.value for e in (*at.error, *at.success, *at.info, *at.warning)]
        out.append(("UITZONDERING " if at.exception else "") + " | ".join(shown))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--big-mb", type=int, default=200)
    args = parser.parse_args()
    files = bad_files(args.big_mb)
    results, unchanged = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, run in (("CLI", via_cli), ("API", via_api), ("app", via_app)):
            root = Path(tmp) / name
            c = fresh_components(root)
            before = snapshot(c)
            if name == "CLI":
                (root / "uploads").mkdir()
                results[name] = run(c, files, root / "uploads")
            else:
                results[name] = run(c, files)
            after = snapshot(c)
            unchanged[name] = {k: after.get(k) for k in before} == before
    console = Console(width=220)
    table = Table("bestand", "verwacht", "CLI", "API", "app", show_lines=True)
    for i, bad in enumerate(files):
        expected = f"{bad.outcome}" + (f" {bad.status}" if bad.status else "")
        table.add_row(bad.case, expected, *(results[p][i][:160] for p in ("CLI", "API", "app")))
    console.print(table)
    for name, ok in unchanged.items():
        console.print(f"{name}: al opgenomen documenten {'ongewijzigd' if ok else 'GEWIJZIGD'}")


if __name__ == "__main__":
    main()
