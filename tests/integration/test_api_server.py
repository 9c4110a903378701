"""The API as it runs for real: `wijkwijs serve` (uvicorn) in its own process, in server mode
against a real `chroma run` started here, both on free loopback ports, with the real e5 model.
Ask, stream, upload, delete over HTTP, and the official `openai` client against /v1.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.integration.conftest import CORPUS, REPO
from tests.chroma_server import ChromaServer, ChromaServerError
from tests.ports import free_port

pytestmark = pytest.mark.integration

TOKEN = "integratie-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
DOCS = ["wijkzorg-oost-evaluatie-2019-jaarplan-2020.txt", "zorgzame-buurten-woonzorgconcepten.txt"]
QUESTION = "Wie zijn er in het najaar van 2019 bij de alliantie van Wijkzorg Oost gekomen?"
UPLOAD_LINES = [
    "Proef met de buurtbus in Zwaag",
    "In 2023 startte in Zwaag een proef met een buurtbus voor ouderen.",
    "Vrijwillige chauffeurs rijden bewoners naar de huisarts, de apotheek en het buurthuis.",
    "De gemeente Hoorn betaalt de brandstof en de corporatie stelt een parkeerplaats beschikbaar.",
    "Na een jaar reden er elke week ruim zestig ritten.",
]


def _wait(url: str, seconds: float, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{url}: process stopped ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    pytest.fail(f"{url} not ready after {seconds} s:\n{log.read_text()[-3000:]}")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("chroma-server")
    try:
        server = ChromaServer(root / "db", root / "chroma.log").__enter__()
    except ChromaServerError as exc:
        pytest.fail(str(exc))
    try:
        yield server.port
    finally:
        server.__exit__()


@pytest.fixture(scope="module")
def api(tmp_path_factory, chroma_server, e5_model_dir):
    root = tmp_path_factory.mktemp("api-server")
    corpus = root / "corpus"
    corpus.mkdir()
    for name in DOCS + ["manifest.json"]:
        shutil.copy(CORPUS / name, corpus / name)
    port = free_port()
    env = {
        **os.environ,
        "WIJKWIJS_DATA_DIR": str(root / "data"),
        "WIJKWIJS_CORPUS_DIR": str(corpus),
        "WIJKWIJS_EMBEDDING__MODEL_DIR": str(e5_model_dir),
        "WIJKWIJS_STORE__MODE": "server",
        "WIJKWIJS_STORE__HOST": "127.0.0.1",
        "WIJKWIJS_STORE__PORT": str(chroma_server),
        "WIJKWIJS_API__TOKEN": TOKEN,
        "WIJKWIJS_CONFIG": str(root / "geen.toml"),  # a developer's wijkwijs.toml must not leak in
    }
    log = root / "api.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "assistant.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT, env=env, cwd=REPO,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{base}/ready", 180, process, log)
        with httpx.Client(base_url=base, timeout=300) as client:
            client.root = root
            client.chroma_port = chroma_server
            yield client
    finally:
        _stop(process)


def test_server_mode_end_to_end(api):
    # The index is empty at first and lives in the Chroma server, not in the data dir.
    assert api.get("/health").json() == {"status": "ok"}
    assert api.get("/ready").json()["documents"] == 0
    report = api.post("/reindex", headers=AUTH).json()
    assert sorted(report["added"]) == sorted(DOCS) and not report["failed"]
    assert not (api.root / "data" / "chroma").exists()
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    direct = chromadb.HttpClient(host="127.0.0.1", port=api.chroma_port, settings=ChromaSettings(anonymized_telemetry=False))
    assert direct.get_collection("wijkwijs_chunks").count() == sum(
        d["chunk_count"] for d in api.get("/documents").json()["documents"]
    )

    # Ask over HTTP: a cited answer from the right document.
    answer = api.post("/ask", json={"question": QUESTION}).json()
    assert answer["abstained"] is False
    assert answer["citations"][0]["doc"] == DOCS[0]
    assert "Informele Zorg" in " ".join(c["quote"] for c in answer["citations"])

    # Upload a PDF, find it, upload it again (no-op), delete it.
    from tests.unit.api.conftest import pdf_bytes

    pdf = pdf_bytes(UPLOAD_LINES)
    r = api.post("/documents", files={"file": ("buurtbus zwaag.pdf", pdf, "application/pdf")}, headers=AUTH)
    assert r.status_code == 201, r.text
    doc_id = r.json()["doc_id"]
    assert doc_id == "buurtbus-zwaag.pdf" and (api.root / "corpus" / doc_id).is_file()
    question = "Wie betaalt de brandstof van de buurtbus in Zwaag?"
    answer = api.post("/ask", json={"question": question}).json()
    assert answer["citations"] and answer["citations"][0]["doc"] == doc_id
    assert answer["citations"][0]["page_start"] == 1
    again = api.post("/documents", files={"file": ("kopie.pdf", pdf)}, headers=AUTH)
    assert again.status_code == 200 and again.json()["status"] == "unchanged"

    r = api.delete(f"/documents/{doc_id}", headers=AUTH)
    assert r.status_code == 200
    assert api.get(f"/documents/{doc_id}").status_code == 404
    answer = api.post("/ask", json={"question": question}).json()
    assert all(c["doc"] != doc_id for c in answer["contexts"])
    assert any(p.name.endswith(doc_id) for p in (api.root / "data" / "prullenbak").iterdir())


def test_stream_over_http_sends_sources_first(api):
    with api.stream("POST", "/ask/stream", json={"question": QUESTION}) as r:
        assert r.status_code == 200
        events = []
        for line in r.iter_lines():
            if line.startswith("event: "):
                events.append(line[len("event: "):])
    assert events[0] == "sources" and events[-1] == "answer" and "delta" in events


def test_the_openai_client_uses_wijkwijs_as_a_model(api):
    from openai import OpenAI

    client = OpenAI(base_url=f"{api.base_url}/v1", api_key="niet-nodig", max_retries=0)
    assert [m.id for m in client.models.list().data] == ["wijkwijs"]

    completion = client.chat.completions.create(model="wijkwijs", messages=[{"role": "user", "content": QUESTION}])
    content = completion.choices[0].message.content
    assert "[1]" in content and "\n\nBronnen:\n[1] " in content
    citations = completion.model_extra["citations"]
    assert citations[0]["doc"] == DOCS[0] and citations[0]["n"] == 1

    stream = client.chat.completions.create(
        model="wijkwijs",
        messages=[
            {"role": "user", "content": QUESTION},
            {"role": "assistant", "content": content},
            {"role": "user", "content": "En wat adviseert Wijkzorg Oost over de Buurtteams?"},
        ],
        stream=True,
    )
    pieces, extras = [], []
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            pieces.append(chunk.choices[0].delta.content)
        if (chunk.model_extra or {}).get("citations"):
            extras.append(chunk.model_extra["citations"])
    text = "".join(pieces)
    assert "Bronnen:" in text and len(pieces) > 3
    assert extras and extras[-1][0]["doc"] == DOCS[0]

    from openai import UnprocessableEntityError

    with pytest.raises(UnprocessableEntityError) as err:
        client.chat.completions.create(model="wijkwijs", messages=[{"role": "user", "content": "  "}])
    assert "leeg" in json.dumps(err.value.body)


def test_a_document_added_by_another_process_is_found(api, e5_embedder, tmp_path):
    """Like the Streamlit app in server mode: another process with its own data dir adds a
    document through the same Chroma server; the API finds it within seconds."""
    from assistant.components import Components
    from assistant.library import Library
    from assistant.settings import Settings

    settings = Settings(
        data_dir=tmp_path / "app-data",
        corpus_dir=api.root / "corpus",
        store={"mode": "server", "host": "127.0.0.1", "port": api.chroma_port},
        api={"token": TOKEN},
    )
    library = Library(Components(settings, embedder=e5_embedder))
    text = "# Repaircafé in Nieuw-West\n\n" + "\n".join(UPLOAD_LINES[1:]).replace("buurtbus", "repaircafé")
    result = library.add("repaircafe.md", text.encode("utf-8"))
    assert result.status == "added"
    try:
        assert api.get("/documents/repaircafe.md").status_code == 200  # the registry is shared at once
        deadline, found = time.monotonic() + 15, False
        while not found and time.monotonic() < deadline:
            hits = api.post("/search", json={"query": "repaircafé brandstof parkeerplaats", "limit": 3}).json()
            found = hits["results"] and hits["results"][0]["doc"] == "repaircafe.md"
            time.sleep(0.5)
        assert found
    finally:
        assert library.delete("repaircafe.md")
    assert api.get("/documents/repaircafe.md").status_code == 404
